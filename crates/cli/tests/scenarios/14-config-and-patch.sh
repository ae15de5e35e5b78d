# ConfigMap/Secret env injection, CreateContainerConfigError, kubectl patch, -L columns.
kubectl create deployment web --image=nginx:1.25 --replicas=2
kubectl patch deployment web -p '{"spec":{"replicas":3}}'
kubectl patch deployment web --type=json -p '[{"op":"replace","path":"/spec/replicas","value":1}]'
kubectl patch deployment web -p '{"spec":{"replicas":1}}'
kubectl get deploy web
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: app
spec:
  containers:
  - name: app
    image: postgres:16
    env:
    - name: POSTGRES_PASSWORD
      valueFrom:
        secretKeyRef:
          name: db-secret
          key: password
EOF
sleep 20s
kubectl get pods
kubectl describe pod app
kubectl create secret generic db-secret --from-literal=password=s3cret
sleep 30s
kubectl get pods app
kubectl get pods -L run
kubectl describe node k3s-server
