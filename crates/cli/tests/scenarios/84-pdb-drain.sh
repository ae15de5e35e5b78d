# nodes: 3
# PodDisruptionBudgets, as "Specifying a Disruption Budget" and "Safely Drain a Node" use
# them: the disruption controller's status, kubectl's columns and describe, and kubectl drain
# evicting through the budget, retrying refused evictions every 5s until --timeout.
kubectl create pdb web-pdb --selector=app=web --min-available=3 --dry-run=client -o yaml
kubectl create pdb web-pdb --selector=app=web --min-available=2 --max-unavailable=1
kubectl create pdb web-pdb --selector=app=web --min-available=two
kubectl create pdb web-pdb --min-available=2
kubectl create deployment web --image=nginx --replicas=3
kubectl create pdb web-pdb --selector=app=web --min-available=3
settle
kubectl get pdb
kubectl get pdb web-pdb -o yaml
kubectl get pods -o wide
kubectl drain k3s-agent-1 --ignore-daemonsets --timeout=12s
kubectl get pods -o wide
kubectl uncordon k3s-agent-1
kubectl patch pdb web-pdb --type=merge -p '{"spec":{"minAvailable":2}}'
settle
kubectl get pdb
kubectl drain k3s-agent-1 --ignore-daemonsets
settle
kubectl describe pdb web-pdb
kubectl get pods -o wide
# A percentage of the Deployment's scale, and a budget for pods that have no controller.
kubectl apply -f - <<YAML
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: half
spec:
  maxUnavailable: 50%
  selector:
    matchLabels:
      app: web
YAML
kubectl run solo --image=nginx --labels=app=solo
kubectl create pdb solo-pdb --selector=app=solo --max-unavailable=1
kubectl create pdb none-pdb --selector=app=nothing --max-unavailable=1
settle
kubectl get pdb
kubectl describe pdb solo-pdb none-pdb
# Two budgets select the web pods: the eviction API refuses them.
kubectl drain k3s-server --ignore-daemonsets --force --timeout=10s
# Invalid budgets.
kubectl apply -f - <<YAML
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: bad
spec:
  minAvailable: 2
  maxUnavailable: 150%
  selector:
    matchLabels:
      app: web
YAML
# The ZooKeeper tutorial's ensemble: a StatefulSet, its budget, and the names its pods know.
kubectl delete pdb --all
kubectl delete deployment web
kubectl delete pod solo
kubectl uncordon k3s-server k3s-agent-1
kubectl apply -f https://k8s.io/examples/application/zookeeper/zookeeper.yaml
settle
kubectl get pdb zk-pdb
for i in 0 1 2; do echo "myid zk-$i"; kubectl exec zk-$i -- cat /var/lib/zookeeper/data/myid; done
for i in 0 1 2; do kubectl exec zk-$i -- hostname -f; done
kubectl exec zk-0 -- cat /opt/zookeeper/conf/zoo.cfg
