# kubectl replace (PUT, with optimistic concurrency), --dry-run=client -o yaml, and a
# foreground deletion.
kubectl create deployment web --image=nginx:1.25 --dry-run=client -o yaml
kubectl create deployment web --image=nginx:1.25
kubectl get deploy
kubectl replace -f - <<EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  resourceVersion: "1"
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
EOF
kubectl replace -f - <<EOF
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
EOF
settle
kubectl get deploy web
kubectl delete deployment web --cascade=foreground --wait=false
kubectl get deploy web -o jsonpath='{.metadata.finalizers}{"\n"}'
settle
kubectl get deploy,rs,pods
