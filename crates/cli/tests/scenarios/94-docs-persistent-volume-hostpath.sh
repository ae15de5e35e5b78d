# Configure a Pod to Use a PersistentVolume for Storage: the node's /mnt/data (written here
# from a node debugging pod, whose /host is the node's root) is what a hostPath
# PersistentVolume serves, so nginx answers with the file; a file the pod writes shows on
# the node. Without the file, nginx's empty root is a 403.
kubectl debug node/k3s-server --image=busybox:1.36 --profile=general -- sleep 1d
kubectl apply -f https://k8s.io/examples/pods/storage/pv-volume.yaml
kubectl get pv task-pv-volume
kubectl apply -f https://k8s.io/examples/pods/storage/pv-claim.yaml
kubectl get pv task-pv-volume
kubectl get pvc task-pv-claim
kubectl apply -f https://k8s.io/examples/pods/storage/pv-pod.yaml
settle
kubectl get pod task-pv-pod
kubectl exec task-pv-pod -- curl -s http://localhost/
NODE_POD=$(kubectl get pods -o name | grep node-debugger)
kubectl exec $NODE_POD -- sh -c "mkdir -p /host/mnt/data && echo 'Hello from Kubernetes storage' > /host/mnt/data/index.html"
kubectl exec task-pv-pod -- curl -s http://localhost/
kubectl exec task-pv-pod -- sh -c "echo written by the pod > /usr/share/nginx/html/pod.txt"
kubectl exec $NODE_POD -- ls -l /host/mnt/data
kubectl delete pod task-pv-pod
kubectl delete pvc task-pv-claim
kubectl delete pv task-pv-volume
kubectl exec $NODE_POD -- cat /host/mnt/data/index.html
