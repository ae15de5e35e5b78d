# nodes: 3
# The taint eviction controller (Taints and Tolerations, "NoExecute"): a NoExecute taint
# evicts the pods that do not tolerate it at once (marked DisruptionTarget first), a pod
# that tolerates it for tolerationSeconds goes when they run out, one that tolerates it
# without a limit stays; the Deployment's replacement lands elsewhere.
kubectl create deployment web --image=nginx --replicas=3
sleep 10s
kubectl get pods -o wide
cat <<YAML | kubectl apply -f -
apiVersion: v1
kind: Pod
metadata:
  name: tolerate-30s
spec:
  nodeName: k3s-agent-1
  tolerations:
  - key: key1
    operator: Equal
    value: value1
    effect: NoExecute
    tolerationSeconds: 30
  containers:
  - name: c
    image: nginx
---
apiVersion: v1
kind: Pod
metadata:
  name: tolerate-forever
spec:
  nodeName: k3s-agent-1
  tolerations:
  - key: key1
    operator: Exists
    effect: NoExecute
  containers:
  - name: c
    image: nginx
YAML
sleep 5s
kubectl taint nodes k3s-agent-1 key1=value1:NoExecute
kubectl get node k3s-agent-1 -o jsonpath='{range .spec.taints[*]}{.key}={.value}:{.effect} added {.timeAdded}{"\n"}{end}'
sleep 1s
kubectl get events --field-selector reason=TaintManagerEviction
kubectl get pods -o wide
sleep 20s
kubectl get pods tolerate-30s
sleep 10s
kubectl get pods -o wide
kubectl get events --field-selector involvedObject.name=tolerate-30s
kubectl taint nodes k3s-agent-1 key1=value1:NoExecute-
kubectl get pods tolerate-forever
# The clock starts when a time-limited toleration first applies: a taint tolerated forever
# that came first does not count.
cat <<YAML | kubectl apply -f -
apiVersion: v1
kind: Pod
metadata:
  name: dedicated
spec:
  nodeName: k3s-agent-2
  tolerations:
  - key: dedicated
    operator: Exists
    effect: NoExecute
  - key: maintenance
    operator: Exists
    effect: NoExecute
    tolerationSeconds: 30
  containers:
  - name: c
    image: nginx
YAML
kubectl taint nodes k3s-agent-2 dedicated=team:NoExecute
sleep 60s
kubectl taint nodes k3s-agent-2 maintenance=now:NoExecute
sleep 20s
kubectl get pod dedicated
sleep 15s
kubectl get pod dedicated
