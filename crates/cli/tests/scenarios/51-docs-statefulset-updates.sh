# nodes: 2
# "StatefulSet Basics": updating, staging with a partition, and history.
kubectl apply -f https://k8s.io/examples/application/web/web.yaml
settle
kubectl patch statefulset web --type='json' -p='[{"op": "replace", "path": "/spec/template/spec/containers/0/image", "value":"registry.k8s.io/nginx-slim:0.24"}]'
kubectl rollout status sts/web
kubectl get pod web-0 --template '{{range $i, $c := .spec.containers}}{{$c.image}}{{end}}'
echo
kubectl patch statefulset web -p '{"spec":{"updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"partition":3}}}}'
kubectl scale sts web --replicas=3
kubectl patch statefulset web --type='json' -p='[{"op": "replace", "path": "/spec/template/spec/containers/0/image", "value":"registry.k8s.io/nginx-slim:0.21"}]'
kubectl delete pod web-2
settle
kubectl get pod web-2 --template '{{range $i, $c := .spec.containers}}{{$c.image}}{{end}}'
echo
# The canary: the partition at 2 updates web-2 only.
kubectl patch statefulset web -p '{"spec":{"updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"partition":2}}}}'
settle
kubectl get pod web-2 --template '{{range $i, $c := .spec.containers}}{{$c.image}}{{end}}'
echo
kubectl delete pod web-1
settle
kubectl get pod web-1 --template '{{range $i, $c := .spec.containers}}{{$c.image}}{{end}}'
echo
kubectl get controllerrevisions
kubectl rollout history sts/web
kubectl rollout undo sts/web --to-revision=2 --dry-run=client
kubectl rollout history sts/web --revision=1 | head -6
# Orphaned pods are adopted back by a new StatefulSet.
kubectl delete statefulset web
settle
kubectl apply -f https://k8s.io/examples/application/web/web.yaml
settle
kubectl scale sts web --replicas=3
settle
kubectl delete statefulset web --cascade=orphan
kubectl get pods -l app=nginx
kubectl delete pod web-0
settle
kubectl get pods -l app=nginx
kubectl apply -f https://k8s.io/examples/application/web/web.yaml
settle
kubectl get pods -l app=nginx
kubectl get sts web
