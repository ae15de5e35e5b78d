# kubectl logs --timestamps, --since, --since-time and --limit-bytes; a streaming sidecar's
# tail -F shows what the app container appends to a shared file; strategic-merge patch
# directives ($retainKeys, $patch: replace, $deleteFromPrimitiveList); PersistentVolumeClaim
# limits of a LimitRange; a quoted loop on one script line.
kubectl run counter2 --image=busybox:1.28 -- /bin/sh -c 'i=0; while true; do echo "$i: $(date)"; i=$((i+1)); sleep 1; done'
kubectl apply -f https://k8s.io/examples/admin/logging/two-files-counter-pod-streaming-sidecar.yaml
sleep 10s
kubectl logs counter2 --tail=2 --timestamps
kubectl logs counter2 --since=2s
kubectl logs counter2 --since-time=2026-01-01T00:00:11Z
kubectl logs counter2 --since=soon
kubectl logs counter count-log-1
kubectl logs counter count-log-2 --tail=2
kubectl apply -f https://k8s.io/examples/application/deployment-retainkeys.yaml
cat > patch-file-retainkeys.yaml <<'EOF'
spec:
  strategy:
    $retainKeys:
    - type
    type: Recreate
EOF
kubectl patch deployment retainkeys-demo --type strategic --patch-file patch-file-retainkeys.yaml
kubectl get deployment retainkeys-demo -o jsonpath='{.spec.strategy}'
kubectl patch deployment retainkeys-demo -p '{"spec":{"template":{"metadata":{"labels":{"$patch":"replace","app":"nginx"}}}}}'
kubectl patch deployment retainkeys-demo -p '{"metadata":{"finalizers":["a/b","c/d"]}}'
kubectl patch deployment retainkeys-demo -p '{"metadata":{"$deleteFromPrimitiveList/finalizers":["a/b"]}}'
kubectl get deployment retainkeys-demo -o jsonpath='{.metadata.finalizers}'
kubectl patch deployment retainkeys-demo --type=json -p '[{"op":"remove","path":"/metadata/finalizers"}]'
kubectl create -f https://k8s.io/examples/admin/resource/storagelimits.yaml
kubectl apply -f - <<EOF
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: pvc-limit-lower
spec:
  accessModes:
    - ReadWriteOnce
  resources:
    requests:
      storage: 500Mi
EOF
kubectl apply -f - <<EOF
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: pvc-limit-greater
spec:
  accessModes:
    - ReadWriteOnce
  resources:
    requests:
      storage: 100Gi
EOF
kubectl apply -f https://k8s.io/examples/application/nginx/nginx-svc.yaml -f https://k8s.io/examples/application/nginx/nginx-deployment.yaml
