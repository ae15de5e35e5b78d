# nodes: 3
# A DaemonSet: one pod per node, a new node's pod, a rolling update, and a node selector.
kubectl apply -f daemonset.yaml
kubectl get ds -n kube-system
kubectl rollout status ds/fluentd-elasticsearch -n kube-system
kubectl get pods -n kube-system -o wide
kubectl set image ds/fluentd-elasticsearch -n kube-system fluentd-elasticsearch=busybox:1.37
kubectl rollout status ds/fluentd-elasticsearch -n kube-system
kubectl label node k3s-agent-1 disk=ssd
kubectl patch ds fluentd-elasticsearch -n kube-system -p '{"spec":{"template":{"spec":{"nodeSelector":{"disk":"ssd"}}}}}'
settle
kubectl get ds -n kube-system
kubectl get pods -n kube-system -o wide
