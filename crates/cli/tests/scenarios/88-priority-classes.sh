# PriorityClass (scheduling.k8s.io/v1): the API server's two system classes, classes from the
# "Pod Priority and Preemption" page and kubectl create priorityclass, their validation and
# the one-default rule, and the Priority admission plugin on pods (class lookup, global default,
# priority or preemptionPolicy given in the spec refused).
kubectl get pc
kubectl get priorityclass system-node-critical -o yaml
kubectl describe pc system-cluster-critical
kubectl api-resources | grep -i priority
cat <<EOF | kubectl apply -f -
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata:
  name: high-priority
value: 1000000
globalDefault: false
description: "This priority class should be used for XYZ service pods only."
EOF
kubectl create priorityclass high-priority-nonpreempting --value=1000000 --preemption-policy=Never --description="This priority class will not cause other pods to be preempted."
kubectl create priorityclass default-priority --value=1000 --global-default=true --description="default priority"
kubectl create priorityclass second-default --value=10 --global-default
kubectl create priorityclass big --value=2000000000
kubectl create priorityclass system-mine --value=5
kubectl create priorityclass bad --value=5 --preemption-policy=Sometimes
kubectl create priorityclass high-priority --value=5
kubectl get pc
cat <<EOF | kubectl apply -f -
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata:
  name: high-priority
value: 2000
preemptionPolicy: Never
description: "changed"
EOF
kubectl delete pc system-node-critical
cat <<EOF | kubectl apply -f -
apiVersion: v1
kind: Pod
metadata:
  name: nginx
  labels:
    env: test
spec:
  containers:
  - name: nginx
    image: nginx
    imagePullPolicy: IfNotPresent
  priorityClassName: high-priority
EOF
kubectl run plain --image=nginx
kubectl run missing --image=nginx --overrides='{"spec":{"priorityClassName":"nope"}}'
kubectl run given --image=nginx --overrides='{"spec":{"priorityClassName":"high-priority","priority":5}}'
kubectl run given2 --image=nginx --overrides='{"spec":{"priorityClassName":"high-priority","preemptionPolicy":"Never"}}'
kubectl get pods -o custom-columns=NAME:.metadata.name,CLASS:.spec.priorityClassName,PRIORITY:.spec.priority,POLICY:.spec.preemptionPolicy
kubectl get pods -n kube-system -o custom-columns=NAME:.metadata.name,CLASS:.spec.priorityClassName,PRIORITY:.spec.priority
kubectl describe pod nginx | head -5
kubectl delete pc high-priority
kubectl get pod nginx -o jsonpath='{.spec.priority}'
