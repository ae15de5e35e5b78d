# The docs' "Assign Memory Resources" walkthrough: within its limit a container runs; over
# it, the OOM killer ends it (OOMKilled, then CrashLoopBackOff); a request no node can
# hold stays Pending.
kubectl create namespace mem-example
kubectl apply -n mem-example -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: memory-demo
  namespace: mem-example
spec:
  containers:
  - name: memory-demo-ctr
    image: polinux/stress
    resources:
      requests:
        memory: "100Mi"
      limits:
        memory: "200Mi"
    command: ["stress"]
    args: ["--vm", "1", "--vm-bytes", "150M", "--vm-hang", "1"]
EOF
kubectl apply -n mem-example -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: memory-demo-2
  namespace: mem-example
spec:
  containers:
  - name: memory-demo-2-ctr
    image: polinux/stress
    resources:
      requests:
        memory: "50Mi"
      limits:
        memory: "100Mi"
    command: ["stress"]
    args: ["--vm", "1", "--vm-bytes", "250M", "--vm-hang", "1"]
EOF
kubectl apply -n mem-example -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: memory-demo-3
  namespace: mem-example
spec:
  containers:
  - name: memory-demo-3-ctr
    image: polinux/stress
    resources:
      requests:
        memory: "1000Gi"
      limits:
        memory: "1000Gi"
    command: ["stress"]
    args: ["--vm", "1", "--vm-bytes", "150M", "--vm-hang", "1"]
EOF
sleep 20s
kubectl get pod memory-demo --namespace=mem-example
kubectl get pod memory-demo-2 --namespace=mem-example
kubectl get pod memory-demo-2 --output=yaml --namespace=mem-example | grep -A6 lastState
sleep 60s
kubectl get pod memory-demo-2 --namespace=mem-example
kubectl describe pod memory-demo-2 --namespace=mem-example | grep -A4 "Last State"
kubectl describe pod memory-demo-3 --namespace=mem-example | tail -4
kubectl delete namespace mem-example
