# Field selectors the API server refuses (per kind), creating an empty ConfigMap or Secret (no data
# key), a patch removing the last finalizer of an object being deleted, and a resumed Job's events.
kubectl get pods --field-selector status.phase=Running
kubectl get pods --field-selector foo=bar
kubectl get ingress --field-selector foo.bar=baz
kubectl get services --all-namespaces --field-selector metadata.namespace!=default
kubectl get pods -A --field-selector spec.hostNetwork=false,status.phase=Running
kubectl get events --field-selector type=Warning
kubectl get statefulsets,services --all-namespaces --field-selector=status.phase!=Running,spec.restartPolicy=Always
kubectl get nodes --field-selector spec.unschedulable=false
kubectl get secrets -A --field-selector type=kubernetes.io/service-account-token
kubectl get deploy -l app=x --field-selector spec.replicas=1
kubectl create configmap mymap
kubectl get cm mymap -o yaml
kubectl create secret generic s0
kubectl get secret s0 -o yaml
kubectl create configmap c2 --from-literal=a=b --dry-run=client -o yaml
kubectl apply -f - <<EOF
apiVersion: v1
kind: ConfigMap
metadata:
  name: mymap
  finalizers:
  - kubernetes
EOF
kubectl delete configmap/mymap --wait=false
kubectl get configmap/mymap -o yaml | grep -A2 -i "deletion\|finalizers"
kubectl patch configmap/mymap --type json --patch='[ { "op": "remove", "path": "/metadata/finalizers" } ]'
kubectl get configmap/mymap
kubectl create job myjob --image=busybox -- sleep 60
sleep 5s
kubectl patch job/myjob --type=strategic --patch '{"spec":{"suspend":true}}'
sleep 5s
kubectl patch job/myjob --type=strategic --patch '{"spec":{"suspend":false}}'
sleep 5s
kubectl describe job myjob | sed -n '/Events/,$p'
