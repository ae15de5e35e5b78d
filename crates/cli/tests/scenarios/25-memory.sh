# The docs' "Assign Memory Resources" walkthrough: within its limit a container runs; over
# it, the OOM killer ends it (OOMKilled, then CrashLoopBackOff); a request no node can
# hold stays Pending.
kubectl create namespace mem-example
kubectl apply -f https://k8s.io/examples/pods/resource/memory-request-limit.yaml --namespace=mem-example
kubectl apply -f https://k8s.io/examples/pods/resource/memory-request-limit-2.yaml --namespace=mem-example
kubectl apply -f https://k8s.io/examples/pods/resource/memory-request-limit-3.yaml --namespace=mem-example
sleep 20s
kubectl get pod memory-demo --namespace=mem-example
kubectl get pod memory-demo-2 --namespace=mem-example
kubectl get pod memory-demo-2 --output=yaml --namespace=mem-example | grep -A6 lastState
sleep 60s
kubectl get pod memory-demo-2 --namespace=mem-example
kubectl describe pod memory-demo-2 --namespace=mem-example | grep -A4 "Last State"
kubectl describe pod memory-demo-3 --namespace=mem-example | tail -4
kubectl delete namespace mem-example
