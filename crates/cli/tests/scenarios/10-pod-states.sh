# Pod STATUS strings and the kubelet's events: image pull errors, crash loops, completion.
kubectl run web --image=nginx:1.25
kubectl get pods
sleep 10s
kubectl get pods
kubectl run typo --image=ngnix:1.25
kubectl run badtag --image=nginx:9.99
sleep 20s
kubectl get pods
kubectl describe pod badtag
kubectl run crash --image=busybox --restart=Always -- sh -c "echo starting; exit 1"
sleep 90s
kubectl get pod crash
kubectl logs crash
kubectl logs crash -p
kubectl run once --image=busybox --restart=Never -- sh -c "echo done"
kubectl run fails --image=busybox --restart=Never -- sh -c "exit 3"
sleep 10s
kubectl get pods once fails
kubectl logs once
kubectl logs typo
kubectl run pg --image=postgres:16
sleep 20s
kubectl logs pg
kubectl get pod pg
kubectl delete pod web
kubectl get pods web
kubectl run sleeper --image=busybox -- sleep 3600
settle
kubectl delete pod sleeper --wait=false
kubectl get pod sleeper
sleep 31s
kubectl get pod sleeper
