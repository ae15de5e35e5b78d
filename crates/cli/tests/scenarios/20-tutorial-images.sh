# Images from the Kubernetes docs tutorials: agnhost netexec (hello-node), Google's hello-app 1.0/2.0.
kubectl create deployment hello-node --image=registry.k8s.io/e2e-test-images/agnhost:2.53 -- /agnhost netexec --http-port=8080
kubectl expose deployment hello-node --type=LoadBalancer --port=8080
settle
kubectl get pods
kubectl logs deployment/hello-node
curl http://10.0.0.2:8080/
curl http://10.0.0.2:8080/hostname
kubectl create deployment web --image=gcr.io/google-samples/hello-app:1.0
kubectl expose deployment web --type=NodePort --port=8080
kubectl create deployment web2 --image=gcr.io/google-samples/hello-app:2.0
settle
kubectl get pods
kubectl get svc web
curl http://10.0.0.2:31361/
kubectl run curl --image=radial/busyboxplus:curl --restart=Never -- sleep 100
sleep 20s
kubectl get pods
kubectl describe pod curl | tail -4
