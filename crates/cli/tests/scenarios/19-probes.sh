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

# The docs' probe examples: exec (cat /tmp/healthy), agnhost liveness over HTTP, goproxy over TCP.
kubectl apply -f https://k8s.io/examples/pods/probe/exec-liveness.yaml
sleep 30s
kubectl describe pod liveness-exec
sleep 35s
kubectl describe pod liveness-exec
kubectl get pod liveness-exec
kubectl apply -f https://k8s.io/examples/pods/probe/http-liveness.yaml
sleep 10s
kubectl get pod liveness-http
sleep 20s
kubectl describe pod liveness-http
kubectl apply -f https://k8s.io/examples/pods/probe/tcp-liveness-readiness.yaml
sleep 5s
kubectl get pod goproxy
sleep 15s
kubectl get pod goproxy
settle
kubectl get pods
