# kubectl events: kubectl's own event printer (oldest first, Kind/name objects, repeated
# events as AGE (xN over AGE)), with --for, --types and -A.
kubectl run web --image=nginx
kubectl run bad --image=nginx:no-such-tag
sleep 60s
kubectl events
kubectl events --for pod/bad
kubectl events --types=Warning
kubectl events -n nope
kubectl events --for pod
kubectl events -A --types=Warning
