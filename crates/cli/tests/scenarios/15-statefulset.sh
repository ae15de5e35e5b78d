# The StatefulSet basics tutorial: ordinal names, ordered start, PVCs from templates,
# scaling down keeps the claims, and a rolling update in reverse order.
kubectl apply -f web-statefulset.yaml
kubectl get service nginx
kubectl get statefulset web
kubectl get pods -l app=nginx
sleep 10s
kubectl get pods -l app=nginx
kubectl rollout status statefulset/web
kubectl get pvc -l app=nginx
kubectl get pv
kubectl get sc
kubectl scale sts web --replicas=5
kubectl rollout status sts/web
kubectl scale sts web --replicas=3
settle
kubectl get pods -l app=nginx
kubectl get pvc
kubectl patch statefulset web --type='json' -p='[{"op": "replace", "path": "/spec/template/spec/containers/0/image", "value":"nginx:1.27"}]'
kubectl rollout status sts/web
kubectl get pod web-0 -o jsonpath='{.spec.containers[0].image}{"\n"}'
kubectl describe pvc www-web-0
