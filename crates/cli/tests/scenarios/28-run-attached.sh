# kubectl run -i/--rm: the container's output instead of "created", and cleanup.
kubectl run hello --rm -i --restart=Never --image=busybox:1.36 -- echo hello from a pod
kubectl get pods
kubectl run shell -it --rm --image=busybox:1.36
kubectl get pods
kubectl run tmp --rm --image=busybox:1.36 -- echo hi
kubectl run keep -i --restart=Never --image=busybox:1.36 -- sh -c "echo one; echo two"
kubectl get pods
