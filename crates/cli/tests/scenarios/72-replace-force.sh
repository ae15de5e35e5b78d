# `kubectl replace --force` (the cheat sheet's) deletes the object, waits for it to go,
# and creates it again from the manifest; a plain replace of a pod may not change its spec.
kubectl run p2 --image=nginx --dry-run=client -o yaml > p2.yaml
kubectl create -f p2.yaml
settle
kubectl get pod p2 -o jsonpath='{.metadata.uid}{"\n"}'
kubectl replace -f p2.yaml
kubectl replace --force -f p2.yaml
kubectl get pod p2 -o jsonpath='{.metadata.uid}{"\n"}'
kubectl get pods
