# "Debug Services" (kubernetes.io tasks), replayed in non-interactive forms.
kubectl create deployment hostnames --image=registry.k8s.io/serve_hostname
kubectl scale deployment hostnames --replicas=3
settle
kubectl get pods -l app=hostnames
kubectl get pods -l app=hostnames -o go-template='{{range .items}}{{.status.podIP}}{{"\n"}}{{end}}'
kubectl expose deployment hostnames --port=80 --target-port=9376
kubectl get svc hostnames
kubectl run box --image=busybox:1.28 -- sleep 3600
settle
kubectl exec box -- nslookup hostnames
kubectl exec box -- cat /etc/resolv.conf
kubectl exec box -- wget -qO- hostnames
echo
kubectl get svc hostnames -o json | head -8
kubectl get endpointslices -l kubernetes.io/service-name=hostnames
# A Service turned NodePort gets a node port; grep takes options after the pattern.
kubectl patch svc hostnames -p '{"spec":{"type":"NodePort"}}'
kubectl get svc hostnames -o yaml | grep nodePort -C 1
# get/describe -f, several types at once, and exec without a shell.
kubectl apply -f https://k8s.io/examples/pods/storage/redis.yaml
kubectl get -f https://k8s.io/examples/pods/storage/redis.yaml
kubectl exec box -- frob
kubectl exec box -- sh -c 'frob'
kubectl delete deployments,svc hostnames
