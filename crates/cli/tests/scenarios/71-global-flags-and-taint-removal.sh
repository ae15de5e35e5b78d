# Global flags before the verb (the cheat sheet's `kubectl -n my-ns delete pod,svc --all`),
# short flags with glued values holding `=` (-lkey=val, -ojsonpath=...), and removing a
# taint written with its value (the Taints page's `key1=value1:NoSchedule-`).
kubectl -n kube-system get deploy coredns
kubectl --namespace=kube-system get pods -lk8s-app=kube-dns
kubectl get pods -A -ojsonpath='{.items[0].metadata.namespace}{"\n"}'
kubectl create namespace my-ns
kubectl -n my-ns run p --image=nginx
kubectl -n my-ns expose pod p --port=80
kubectl -n my-ns delete pod,svc --all
kubectl taint nodes k3s-server key1=value1:NoSchedule
kubectl describe node k3s-server | grep Taints
kubectl taint nodes k3s-server key1=value1:NoSchedule-
kubectl describe node k3s-server | grep Taints
