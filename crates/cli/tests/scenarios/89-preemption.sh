# Pod priority and preemption: a pod that fits no node preempts lower-priority pods (the
# DisruptionTarget condition, a graceful delete, Preempted events naming the preemptor's uid),
# is nominated to the node and binds once they are gone, ahead of the replacements; pods with
# preemptionPolicy Never, of equal priority, or too big to fit anyway only get FailedScheduling.
kubectl create priorityclass high-priority --value=1000000 --description="high"
kubectl create priorityclass low-priority --value=1000 --description="low"
kubectl create priorityclass high-nonpreempting --value=1000000 --preemption-policy=Never
kubectl create deployment low --image=nginx --replicas=3
kubectl patch deployment low -p '{"spec":{"template":{"spec":{"priorityClassName":"low-priority","containers":[{"name":"nginx","resources":{"requests":{"cpu":"500m"}}}]}}}}'
sleep 20
kubectl get pods -o wide
kubectl describe node k3s-server | grep -A12 "Allocated resources"
kubectl run np --image=nginx --overrides='{"spec":{"priorityClassName":"high-nonpreempting","containers":[{"name":"np","image":"nginx","resources":{"requests":{"cpu":"900m"}}}]}}'
kubectl run same --image=nginx --overrides='{"spec":{"priorityClassName":"low-priority","containers":[{"name":"same","image":"nginx","resources":{"requests":{"cpu":"900m"}}}]}}'
kubectl run huge --image=nginx --overrides='{"spec":{"priorityClassName":"high-priority","containers":[{"name":"huge","image":"nginx","resources":{"requests":{"cpu":"5"}}}]}}'
sleep 2
kubectl get events --field-selector involvedObject.name=np
kubectl get events --field-selector involvedObject.name=same
kubectl get events --field-selector involvedObject.name=huge
kubectl delete pod np same huge
kubectl run high --image=nginx --overrides='{"spec":{"priorityClassName":"high-priority","containers":[{"name":"high","image":"nginx","resources":{"requests":{"cpu":"900m"}}}]}}'
kubectl get pods -o wide
kubectl get pods -o jsonpath='{range .items[?(@.metadata.deletionTimestamp)]}{.metadata.name}: {.status.conditions[?(@.type=="DisruptionTarget")]}{"\n"}{end}'
kubectl describe pod high | grep -E "^(Priority|NominatedNodeName)"
sleep 1
kubectl get pods -o wide
sleep 5
kubectl get pods -o wide
kubectl get events --sort-by=.lastTimestamp | tail -15
kubectl describe pod high | grep -E "^(Priority|Node|Status)|Nominated"
kubectl get events --field-selector reason=Preempted
# Required anti-affinity is not fixed by evicting lower-priority pods: no nomination.
cat <<YAML | kubectl apply -f -
apiVersion: apps/v1
kind: Deployment
metadata:
  name: spread
spec:
  replicas: 2
  selector:
    matchLabels: {app: spread}
  template:
    metadata:
      labels: {app: spread}
    spec:
      priorityClassName: high-priority
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
          - labelSelector:
              matchLabels: {app: spread}
            topologyKey: kubernetes.io/hostname
      containers:
      - name: c
        image: nginx
YAML
sleep 5
kubectl get pods -o wide
kubectl get events --field-selector reason=FailedScheduling
