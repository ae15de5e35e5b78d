# nodes: 3
# The docs' StatefulSet Basics and DaemonSet pages: the bundled web.yaml and daemonset.yaml,
# for loops over ordinal names, stable DNS, data kept in each pod's claim across deletion,
# PVCs kept across scale-down, and describe.
kubectl apply -f https://k8s.io/examples/application/web/web.yaml
kubectl get service nginx
kubectl get statefulset web
settle
kubectl get pods -l app=nginx
for i in 0 1; do kubectl exec "web-$i" -- sh -c 'hostname'; done
kubectl run -i --tty --image busybox:1.28 dns-test --restart=Never --rm -- nslookup web-0.nginx
kubectl get pvc -l app=nginx
for i in 0 1; do kubectl exec "web-$i" -- sh -c 'echo "$(hostname)" > /usr/share/nginx/html/index.html'; done
for i in 0 1; do kubectl exec -i -t "web-$i" -- curl http://localhost/; done
kubectl delete pod -l app=nginx
settle
for i in 0 1; do kubectl exec -i -t "web-$i" -- curl http://localhost/; done
kubectl scale sts web --replicas=5
settle
kubectl get pods -l app=nginx
kubectl patch sts web -p '{"spec":{"replicas":3}}'
settle
kubectl get pvc -l app=nginx
kubectl apply -f https://k8s.io/examples/controllers/daemonset.yaml
settle
kubectl get ds -n kube-system
kubectl describe ds fluentd-elasticsearch -n kube-system
kubectl describe sts web
