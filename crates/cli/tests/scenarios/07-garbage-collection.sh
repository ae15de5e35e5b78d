# ownerReferences: dependents of a deleted owner go (background), or stay (orphan).
kubectl create configmap owner --from-literal=k=v
kubectl apply -f owned1.yaml
kubectl get cm
kubectl delete cm owner
settle
kubectl get cm
kubectl create configmap owner --from-literal=k=v
# owned2.yaml names an owner uid that is not this owner's: the collector deletes it at once.
kubectl apply -f owned2.yaml
kubectl get cm child
# A dependent that names the live owner's uid stays when the owner goes with --cascade=orphan.
kubectl create configmap child --from-literal=k=v
UID=$(kubectl get cm owner -o jsonpath='{.metadata.uid}')
kubectl patch cm child --type=merge -p "{\"metadata\":{\"ownerReferences\":[{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"name\":\"owner\",\"uid\":\"$UID\"}]}}"
settle
kubectl get cm child
kubectl delete cm owner --cascade=orphan
settle
kubectl get cm
kubectl get cm child -o jsonpath='{.metadata.ownerReferences}{"\n"}'
# An ownerReference added to a live object, to an owner that does not exist: the garbage
# collector deletes the dependent (it reacts to changed ownerReferences, not only to creates).
kubectl run lone --image=nginx
settle
kubectl patch pod lone --type=merge -p '{"metadata":{"ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"gone","uid":"00000000-0000-0000-0000-000000000001","controller":true}]}}'
settle
kubectl get pods
