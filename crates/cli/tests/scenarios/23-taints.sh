# nodes: 3
# Taints and tolerations (the docs' example): a NoSchedule taint keeps pods off a node
# unless they tolerate it.
kubectl taint nodes k3s-agent-1 key1=value1:NoSchedule
kubectl taint nodes k3s-agent-1 key1=value1:NoSchedule
kubectl taint nodes k3s-agent-1 key1=value2:NoSchedule --overwrite
kubectl describe node k3s-agent-1 | grep Taints
kubectl taint nodes k3s-agent-1 key1=value1:Sometimes
kubectl taint nodes k3s-agent-1 key1
kubectl taint pods x a=b:NoSchedule
kubectl taint nodes k3s-agent-1 nope:NoSchedule-
kubectl create deployment web --image=nginx:1.25 --replicas=6
settle
kubectl get pods -o wide --no-headers | grep -c k3s-agent-1
kubectl taint nodes k3s-agent-1 key1:NoSchedule-
kubectl taint nodes k3s-server key2=x:NoExecute
kubectl get node k3s-agent-1 -o jsonpath='{.spec.taints}'
