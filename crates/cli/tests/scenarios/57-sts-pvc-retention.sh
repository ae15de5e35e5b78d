# persistentVolumeClaimRetentionPolicy: whenScaled: Delete hands a condemned pod's claims to
# the pod, so scaling down deletes them; whenDeleted: Delete makes the StatefulSet own its
# claims, so deleting it deletes them (and local-path then deletes their volumes).
kubectl apply -f - <<EOF
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: web
  replicas: 3
  persistentVolumeClaimRetentionPolicy:
    whenDeleted: Delete
    whenScaled: Delete
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx
        volumeMounts:
        - name: www
          mountPath: /usr/share/nginx/html
  volumeClaimTemplates:
  - metadata:
      name: www
    spec:
      accessModes: ["ReadWriteOnce"]
      resources:
        requests:
          storage: 1Gi
EOF
settle
kubectl get pvc
kubectl get pvc www-web-0 -o jsonpath='{.metadata.ownerReferences}{"\n"}'
kubectl scale sts web --replicas=1
settle
kubectl get pvc
kubectl delete sts web
settle
kubectl get pvc
kubectl get pv
