# nodes: 3
# The scheduler's placement and its FailedScheduling messages.
kubectl get nodes
kubectl create deployment web --image=nginx:1.25 --replicas=6
settle
kubectl get pods -o wide
kubectl apply -f big-pod.yaml
settle
kubectl get pod big
kubectl describe pod big
kubectl cordon k3s-agent-1
kubectl get nodes
kubectl apply -f selector-pod.yaml
settle
kubectl get pod picky
kubectl uncordon k3s-agent-1
settle
kubectl get pod picky -o wide
# A pod bound by hand to a node that does not exist: nobody runs it, and PodGC deletes it after 40s.
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: nowhere
spec:
  nodeName: foo-node
  containers:
  - name: nowhere
    image: nginx
EOF
sleep 10s
kubectl get pod nowhere -o wide
kubectl describe pod nowhere | tail -3
sleep 35s
kubectl get pod nowhere
