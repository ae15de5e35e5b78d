# ReplicationController: the docs' replication.yaml, describe, scale, expose, set image, logs,
# orphaning, validation, rollout's and autoscale's answers for it, and `get all`.
kubectl apply -f https://k8s.io/examples/controllers/replication.yaml
kubectl describe replicationcontrollers/nginx
kubectl get rc
sleep 30s
kubectl describe replicationcontrollers/nginx
kubectl get pods --selector=app=nginx --output=jsonpath={.items..metadata.name}
kubectl get rc nginx -o wide
kubectl get all
kubectl scale rc nginx --replicas=2
settle
kubectl get pods
kubectl describe pod -l app=nginx | grep -i "controlled"
kubectl expose rc nginx --port=80
kubectl get svc nginx -o wide
kubectl set image rc/nginx nginx=nginx:1.25
kubectl logs rc/nginx | head -2
kubectl delete rc nginx --cascade=orphan
kubectl get pods
kubectl apply -f - <<EOF
apiVersion: v1
kind: ReplicationController
metadata:
  name: bad
spec:
  replicas: -1
  selector:
    app: x
  template:
    metadata:
      labels:
        app: y
    spec:
      restartPolicy: Never
      containers:
      - name: c
        image: nginx
EOF
kubectl apply -f - <<EOF
apiVersion: v1
kind: ReplicationController
metadata:
  name: nosel
spec:
  template:
    spec:
      containers:
      - name: c
        image: nginx
EOF
kubectl delete svc nginx
kubectl delete pods --all
kubectl apply -f https://k8s.io/examples/controllers/replication.yaml
settle
kubectl get rc nginx -o yaml
kubectl rollout status rc/nginx
kubectl autoscale rc nginx --max=5
kubectl get hpa
kubectl delete rc nginx
settle
kubectl get pods
