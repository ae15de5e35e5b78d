# kubectl get --raw: the health endpoints (plain, verbose and one check), /version, objects
# and lists in the API server's JSON, NotFound answers, and the metrics API once
# metrics-server has scraped.
kubectl get --raw /healthz
kubectl get --raw='/livez?verbose'
kubectl get --raw /readyz/etcd
kubectl get --raw /readyz/nope
kubectl get --raw /version
kubectl create deployment web --image=nginx
kubectl create configmap conf --from-literal=a=1
sleep 30s
kubectl get --raw /api/v1/namespaces/default/configmaps/conf
kubectl get --raw /api/v1/namespaces/kube-system/configmaps/nope
kubectl get --raw /apis/apps/v1/namespaces/default/deployments | grep -c web
kubectl get --raw /apis/metrics.k8s.io/v1beta1/namespaces/default/pods
kubectl get --raw /apis/metrics.k8s.io/v1beta1/nodes/nope
kubectl get --raw /apis/nothing/v1/things
kubectl get pods --raw /healthz
# Pod A records (CoreDNS's `pods insecure`) and a headless Service's per-endpoint records.
kubectl run bb --image=busybox:1.28 -- sleep 3600
kubectl create service clusterip web --clusterip=None --tcp=80
sleep 20s
kubectl get pods -o wide
kubectl exec bb -- nslookup 10-42-0-9.default.pod.cluster.local
kubectl exec bb -- nslookup 10-42-0-9.default.pod
kubectl exec bb -- nslookup 10-42-0-8.web.default.svc.cluster.local
kubectl exec bb -- nslookup 10-42-0-7.web.default.svc.cluster.local
kubectl exec bb -- nslookup 10-42-0.default.pod
