# `kubectl run --expose` (Service printed first), `logs --all-containers` and the Defaulted
# container notice before a log, and `patch --subresource=scale` (docs: "Update API
# Objects in Place Using kubectl patch").
kubectl run nginx --image=nginx --port=80 --expose
kubectl run bad --image=nginx --expose
kubectl get svc nginx -o jsonpath='{.spec.selector} {.spec.ports}{"\n"}'
kubectl create deployment patch-demo --image=nginx
kubectl patch deployment patch-demo --subresource='scale' --type='merge' -p '{"spec":{"replicas":3}}'
settle
kubectl get deployment patch-demo
kubectl patch deployment patch-demo --subresource=foo -p '{}'
kubectl patch pod nginx --subresource=scale -p '{"spec":{"replicas":2}}'
kubectl apply -f - <<YAML
apiVersion: v1
kind: Pod
metadata:
  name: two
spec:
  initContainers:
  - name: init
    image: busybox
    command: ['sh', '-c', 'echo init done']
  containers:
  - name: a
    image: busybox
    command: ['sh', '-c', 'echo from a; sleep 3600']
  - name: b
    image: busybox
    command: ['sh', '-c', 'echo from b; sleep 3600']
YAML
settle
kubectl logs two --all-containers=true
kubectl logs two
