# Files in containers: what `sh -c 'echo ... > file'` writes, where it lives, and how long.
# The container's own filesystem dies with the container, an emptyDir with the pod, a
# PersistentVolumeClaim's volume outlives both; ConfigMap volumes are read-only files.
kubectl create deployment plain --image=nginx
kubectl create configmap cfg --from-literal=color=blue
kubectl apply -f - <<EOF
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
spec:
  accessModes: ["ReadWriteOnce"]
  resources:
    requests:
      storage: 1Gi
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: keeper
spec:
  replicas: 1
  selector:
    matchLabels: {app: keeper}
  template:
    metadata:
      labels: {app: keeper}
    spec:
      containers:
      - name: c
        image: busybox
        command: ["sleep", "3600"]
        volumeMounts:
        - {name: scratch, mountPath: /scratch}
        - {name: data, mountPath: /data}
        - {name: cfg, mountPath: /etc/config}
      volumes:
      - name: scratch
        emptyDir: {}
      - name: data
        persistentVolumeClaim: {claimName: data}
      - name: cfg
        configMap: {name: cfg}
EOF
settle
kubectl exec deploy/plain -- ls /usr/share/nginx/html
kubectl exec deploy/plain -- sh -c 'echo hello > /usr/share/nginx/html/index.html && cat /usr/share/nginx/html/index.html'
kubectl exec deploy/plain -- curl -s localhost/
kubectl exec deploy/plain -- curl -s localhost/nope.html
kubectl exec deploy/keeper -- sh -c 'echo one > /tmp/a; echo two >> /tmp/a; cat /tmp/a; ls /tmp; cat /tmp/missing'
kubectl exec deploy/keeper -- sh -c 'echo lost > /scratch/f; echo kept > /data/f; touch /data/empty'
kubectl exec deploy/keeper -- ls /data /scratch /etc/config
kubectl exec deploy/keeper -- cat /etc/config/color
kubectl exec deploy/keeper -- sh -c 'echo red > /etc/config/color'
kubectl delete pod -l app=keeper
settle
kubectl exec deploy/keeper -- cat /data/f
kubectl exec deploy/keeper -- cat /scratch/f
kubectl exec deploy/keeper -- cat /tmp/a
kubectl exec deploy/keeper -- rm /data/empty
kubectl exec deploy/keeper -- ls /data
kubectl exec deploy/keeper -- date
