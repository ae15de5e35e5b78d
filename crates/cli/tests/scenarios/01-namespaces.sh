# Namespaces at boot, creating and deleting one, and what an empty namespace prints.
kubectl get namespaces
kubectl get ns -o name
kubectl get pods
kubectl get pods -A
kubectl create namespace shop
kubectl get ns shop
kubectl create namespace shop
kubectl create namespace Shop
kubectl create configmap settings -n shop --from-literal=color=blue
kubectl get cm -n shop
kubectl delete namespace shop
kubectl get ns
kubectl get cm -n shop
kubectl api-resources --namespaced=false
