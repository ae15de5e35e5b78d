# kubectl get -w prints a row per change until the cluster settles; logs -f says where it stops.
kubectl run web --image=nginx:1.25
kubectl get pods -w
kubectl logs -f web
kubectl run ticker --image=busybox:1.36 -- sh -c "while true; do echo tick; sleep 5; done"
sleep 12s
kubectl logs -f ticker
kubectl logs ticker --tail=1
kubectl create deployment app --image=nginx:1.25 --replicas=2
kubectl get pods -l app=app --watch
kubectl delete pod web --wait=false
kubectl get pod web -w -o wide
# -f on a container that will end follows it to the end, as virtual time passes.
kubectl create job counter --image=busybox:1.37 -- sh -c 'for i in 1 2 3 4 5; do echo tick $i; sleep 2; done'
sleep 5s
kubectl logs -f job/counter
kubectl get pods -l job-name=counter
