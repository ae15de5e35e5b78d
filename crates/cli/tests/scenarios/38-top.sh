# kubectl top through k3s's metrics-server: modelled usage (stress's --vm-bytes, typical
# resident sizes, k3s's own footprint), available after the first 15 s scrape.
kubectl top pod
kubectl top node
kubectl create namespace mem-example
kubectl apply -f https://k8s.io/examples/pods/resource/memory-request-limit.yaml --namespace=mem-example
sleep 10s
kubectl top pod memory-demo --namespace=mem-example
sleep 20s
kubectl top pod memory-demo --namespace=mem-example
kubectl top pods -A
kubectl top pods -A --containers --sort-by=memory
kubectl top node
kubectl top nodes k3s-server
kubectl top pods nope
kubectl top
