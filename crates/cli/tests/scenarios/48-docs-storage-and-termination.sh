# "Configure a Pod to Use a PersistentVolume for Storage", replayed.
kubectl apply -f https://k8s.io/examples/pods/storage/pv-volume.yaml
kubectl get pv task-pv-volume
settle
kubectl describe pv task-pv-volume
kubectl apply -f https://k8s.io/examples/pods/storage/pv-claim.yaml
settle
kubectl get pv task-pv-volume
kubectl get pvc task-pv-claim
kubectl apply -f https://k8s.io/examples/pods/storage/pv-pod.yaml
settle
kubectl get pod task-pv-pod
kubectl exec task-pv-pod -- sh -c "echo 'Hello from Kubernetes storage' > /usr/share/nginx/html/index.html"
kubectl exec task-pv-pod -- curl -s http://localhost/
kubectl delete pod task-pv-pod
kubectl delete pvc task-pv-claim
settle
kubectl get pv task-pv-volume
kubectl delete pv task-pv-volume
settle
kubectl get pv
# "Configure a Pod to Use a Volume for Storage".
kubectl apply -f https://k8s.io/examples/pods/storage/redis.yaml
settle
kubectl get pod redis
kubectl exec redis -- sh -c 'cd /data/redis/ && echo Hello > test-file && ls /data/redis'
kubectl apply -f https://k8s.io/examples/pods/storage/redis.yaml
kubectl exec redis -- sh -c 'kill 1'
kubectl get pod redis
settle
kubectl get pod redis
kubectl exec redis -- cat /data/redis/test-file
# "Communicate Between Containers in the Same Pod Using a Shared Volume".
kubectl apply -f https://k8s.io/examples/pods/two-container-pod.yaml
settle
kubectl get pod two-containers
kubectl exec two-containers -c nginx-container -- curl -s localhost
# "Determine the Reason for Pod Failure".
kubectl apply -f https://k8s.io/examples/debug/termination.yaml
sleep 20s
kubectl get pod termination-demo
kubectl get pod termination-demo -o go-template="{{range .status.containerStatuses}}{{.lastState.terminated.message}}{{end}}"
