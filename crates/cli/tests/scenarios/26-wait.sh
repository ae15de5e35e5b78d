# kubectl wait: conditions, jsonpath, deletion and timeouts, in virtual time.
kubectl create deployment web --image=nginx:1.25 --replicas=2
kubectl wait --for=condition=Available deployment/web --timeout=60s
kubectl wait --for=condition=Ready pod -l app=web
kubectl run sleeper --image=busybox:1.36 --restart=Never -- sleep 5
kubectl wait --for=jsonpath='{.status.phase}'=Succeeded pod/sleeper --timeout=1m
kubectl create job once --image=busybox:1.36 -- echo done
kubectl wait --for=condition=complete job/once --timeout=2m
kubectl run broken --image=nginx:no-such-tag
kubectl wait --for=condition=Ready pod/broken --timeout=10s
kubectl get pod broken
kubectl delete pod broken --wait=false
kubectl wait --for=delete pod/broken --timeout=60s
kubectl wait --for=condition=Ready pod/nope
kubectl wait pod/sleeper
kubectl wait --for=condition=Ready pod -l app=nothing
kubectl wait --for=sometimes pod/sleeper
