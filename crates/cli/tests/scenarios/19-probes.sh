# Readiness and liveness probes: a wrong readiness path keeps the pod out of its Service;
# a failing liveness probe restarts the container.
kubectl apply -f - <<EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
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
        image: nginx:1.25
        ports:
        - containerPort: 80
        readinessProbe:
          httpGet:
            path: /healthz
            port: 80
          initialDelaySeconds: 5
          periodSeconds: 5
EOF
kubectl expose deployment web --port=80
settle
kubectl get pods
kubectl get endpoints web
kubectl describe pod -l app=web
kubectl rollout status deployment/web
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: live
spec:
  containers:
  - name: app
    image: nginx:1.25
    livenessProbe:
      tcpSocket:
        port: 8080
      initialDelaySeconds: 10
      periodSeconds: 10
EOF
sleep 45s
kubectl get pod live
kubectl describe pod live
