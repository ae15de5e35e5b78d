# Immutable fields: a Deployment's selector and a Service's clusterIP.
kubectl create deployment checkout --image=nginx
kubectl apply -f - <<EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: checkout
spec:
  selector:
    matchLabels:
      app: checkout
      tier: backend
  template:
    metadata:
      labels:
        app: checkout
        tier: backend
    spec:
      containers:
      - name: web
        image: nginx
EOF
kubectl apply -f - <<EOF
apiVersion: v1
kind: Service
metadata:
  name: db
spec:
  clusterIP: 10.43.100.100
  selector:
    app: db
  ports:
  - port: 5432
EOF
kubectl apply -f - <<EOF
apiVersion: v1
kind: Service
metadata:
  name: db
spec:
  clusterIP: 10.43.100.101
  selector:
    app: db
  ports:
  - port: 5432
EOF
kubectl apply -f - <<EOF
apiVersion: v1
kind: Service
metadata:
  name: db2
spec:
  clusterIP: 10.43.100.100
  ports:
  - port: 5432
EOF
kubectl get svc db
