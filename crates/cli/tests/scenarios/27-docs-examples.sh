# "Run a Stateless Application Using a Deployment", with the docs' manifests by URL (bundled
# copies: the page has no network).
kubectl apply -f https://k8s.io/examples/application/deployment.yaml
kubectl describe deployment nginx-deployment
kubectl get pods -l app=nginx
settle
kubectl get pods -l app=nginx
kubectl apply -f https://k8s.io/examples/application/deployment-update.yaml
kubectl get pods -l app=nginx
settle
kubectl apply -f https://k8s.io/examples/application/deployment-scale.yaml
settle
kubectl get pods -l app=nginx
kubectl delete deployment nginx-deployment
kubectl apply -f https://k8s.io/examples/controllers/job.yaml
kubectl wait --for=condition=complete job/pi --timeout=2m
kubectl logs job/pi | wc -c
kubectl apply -f https://example.com/app.yaml
# "Connecting Applications with Services".
kubectl apply -f https://k8s.io/examples/service/networking/run-my-nginx.yaml
settle
kubectl get pods -l run=my-nginx -o wide
kubectl get pods -l run=my-nginx -o custom-columns=POD_IP:.status.podIPs
kubectl get pods -l run=my-nginx -o custom-columns=NAME:.metadata.name,IMAGE:.spec.containers[*].image,NODE:.spec.nodeName,MISSING:.spec.nothing
kubectl apply -f https://k8s.io/examples/service/networking/nginx-svc.yaml
kubectl get svc my-nginx
kubectl describe svc my-nginx
kubectl get endpointslices -l kubernetes.io/service-name=my-nginx
kubectl get pods -o custom-columns=BROKEN
# More of the docs' files: the single-instance MySQL page, QoS, and the LoadBalancer tutorial.
kubectl apply -f https://k8s.io/examples/application/mysql/mysql-pv.yaml
kubectl apply -f https://k8s.io/examples/application/mysql/mysql-deployment.yaml
kubectl create namespace qos-example
kubectl apply -f https://k8s.io/examples/pods/qos/qos-pod-4.yaml --namespace=qos-example
kubectl apply -f https://k8s.io/examples/service/load-balancer-example.yaml
settle
kubectl get pv,pvc
kubectl get pod qos-demo-4 -n qos-example -o jsonpath='{.status.qosClass}{"\n"}'
kubectl get deployments hello-world
kubectl describe pv mysql-pv-volume | head -5
