# kubectl run -i/--rm: the container's output instead of "created", and cleanup.
kubectl run hello --rm -i --restart=Never --image=busybox:1.36 -- echo hello from a pod
kubectl get pods
kubectl run shell -it --rm --image=busybox:1.36
echo inside the pod
exit
kubectl get pods
# -t needs -i; -i keeps stdin open (once) and -t gives the container a terminal.
kubectl run t -t --image=busybox:1.36
kubectl run keep2 -it --image=busybox:1.36 --dry-run=client -o yaml
kubectl run keep2 -it --image=busybox:1.36 --quiet
exit
kubectl get pod keep2 -o yaml | grep -E 'stdin|tty'
kubectl run tmp --rm --image=busybox:1.36 -- echo hi
kubectl run keep -i --restart=Never --image=busybox:1.36 -- sh -c "echo one; echo two"
kubectl get pods
