# fault kill: a container killed with SIGKILL (137) restarts under restartPolicy Always and
# leaves a Never pod in Error.
kubectl create deployment web --image=nginx
kubectl run once --image=busybox --restart=Never -- sleep 3600
settle
POD=$(kubectl get pods -l app=web -o jsonpath='{.items[0].metadata.name}')
fault kill $POD
kubectl get pods
sleep 2s
kubectl get pods
kubectl describe pod $POD | grep -A6 "Last State"
fault kill once
sleep 2s
kubectl get pod once
fault kill once
fault kill nope
