# nodes: 3
# Fault injection: a node stops. Its kubelet goes silent; after the 50 s node monitor grace
# period the node is NotReady and tainted unreachable, its pods leave the Service's
# endpoints, and after their 300 s toleration they are evicted (Terminating until the node
# returns) and replaced elsewhere. DaemonSet pods tolerate it and stay.
kubectl create deployment web --image=nginx --replicas=3
kubectl expose deployment web --port=80
kubectl apply -f https://k8s.io/examples/controllers/daemonset.yaml
settle
kubectl get pods -o wide
fault stop-node k3s-agent-1
fault stop-node k3s-agent-1
sleep 49s
kubectl get nodes
sleep 1s
kubectl get nodes
kubectl describe node k3s-agent-1 | grep -A10 Taints
kubectl get pods -o wide
kubectl get endpoints web
sleep 5m
kubectl get pods -o wide
kubectl get pods -n kube-system -l name=fluentd-elasticsearch -o wide
kubectl get events --field-selector reason=TaintManagerEviction
kubectl get events --field-selector involvedObject.kind=Node
fault start-node k3s-agent-1
settle
kubectl get nodes
kubectl describe node k3s-agent-1 | grep Taints
kubectl get pods -o wide
fault start-node k3s-agent-1
fault stop-node nope
fault reboot k3s-server
