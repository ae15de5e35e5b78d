# ownerReferences: dependents of a deleted owner go (background), or stay (orphan).
kubectl create configmap owner --from-literal=k=v
kubectl apply -f owned1.yaml
kubectl get cm
kubectl delete cm owner
settle
kubectl get cm
kubectl create configmap owner --from-literal=k=v
kubectl apply -f owned2.yaml
kubectl delete cm owner --cascade=orphan
settle
kubectl get cm
kubectl get cm child -o jsonpath='{.metadata.ownerReferences}{"\n"}'
