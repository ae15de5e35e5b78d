# The API server's validation messages, as kubectl prints them.
kubectl apply -f - <<EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: My_App
spec:
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
        image: nginx
EOF
kubectl apply -f - <<EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: checkout
spec:
  selector:
    matchLabels:
      app: checkout
  template:
    metadata:
      labels:
        app: check-out
    spec:
      containers:
      - name: web
        image: nginx
EOF
kubectl apply -f - <<EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: nosel
spec:
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: nginx
EOF
kubectl apply -f - <<EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: empty
spec:
  selector: {}
  template:
    metadata:
      labels:
        app: web
    spec:
      containers: []
EOF
kubectl apply -f - <<EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx-deployment
spec:
  replica: 3
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: nginx:1.14.2
EOF
kubectl apply -f - <<EOF
apiVersion: extensions/v1beta1
kind: Deployment
metadata:
  name: nginx-deployment
spec:
  replicas: 1
EOF
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: noimage
spec:
  containers:
  - name: app
    ports:
    - containerPort: 70000
EOF
kubectl apply -f - <<EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: -1
  strategy:
    rollingUpdate:
      maxSurge: 0
      maxUnavailable: 0
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      restartPolicy: Never
      containers:
      - name: web
        image: nginx
EOF
kubectl apply -f - <<EOF
apiVersion: v1
kind: Service
metadata:
  name: 1web
spec:
  type: NodePort
  selector:
    app: web
  ports:
  - port: 80
    nodePort: 80
EOF
kubectl apply -f - <<EOF
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
  - port: 0
EOF
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: bad-yaml
  labels: app: web
EOF
kubectl apply -f - <<EOF
metadata:
  name: untyped
EOF
# Secret data that is not base64: Go's decoder names the byte.
kubectl apply -f - <<EOF
apiVersion: v1
kind: Secret
metadata:
  name: nginxsecret
type: kubernetes.io/tls
data:
  tls.crt: "REPLACE_WITH_BASE64_ENCODED_CERT"
  tls.key: "REPLACE_WITH_BASE64_ENCODED_KEY"
EOF
