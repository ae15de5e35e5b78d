# A web app and PostgreSQL: the password in a Secret (env from secretKeyRef in both), the
# database behind a Service with a tcpSocket readiness probe, the app behind an Ingress.
# The cluster converges, DNS names the database, and the app answers through Traefik.
kubectl create secret generic db --from-literal=POSTGRES_PASSWORD=s3cret
kubectl apply -f - <<EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: db
spec:
  selector:
    matchLabels:
      app: db
  template:
    metadata:
      labels:
        app: db
    spec:
      containers:
      - name: postgres
        image: postgres:17
        ports:
        - containerPort: 5432
        env:
        - name: POSTGRES_PASSWORD
          valueFrom:
            secretKeyRef:
              name: db
              key: POSTGRES_PASSWORD
        readinessProbe:
          tcpSocket:
            port: 5432
---
apiVersion: v1
kind: Service
metadata:
  name: db
spec:
  selector:
    app: db
  ports:
  - port: 5432
---
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
      - name: web
        image: gcr.io/google-samples/hello-app:1.0
        ports:
        - containerPort: 8080
        env:
        - name: DATABASE_HOST
          value: db
        - name: DATABASE_PASSWORD
          valueFrom:
            secretKeyRef:
              name: db
              key: POSTGRES_PASSWORD
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
    targetPort: 8080
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  rules:
  - host: shop.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: web
            port:
              number: 80
EOF
settle
kubectl get pods
kubectl get endpoints db web
sleep 5s
kubectl logs deploy/db
kubectl exec deploy/web -- env | grep DATABASE
kubectl run check --image=busybox:1.28 --rm -i --restart=Never -- nslookup db
curl -H 'Host: shop.example.com' http://10.0.0.2/
kubectl get ingress web
