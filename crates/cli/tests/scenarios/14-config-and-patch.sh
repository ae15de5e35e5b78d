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
# The patch walkthrough: a strategic merge patch puts a new container first; --patch-file; a list without a merge key is replaced.
kubectl apply -f - <<EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: patch-demo
spec:
  replicas: 2
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: patch-demo-ctr
        image: nginx
      tolerations:
      - effect: NoSchedule
        key: dedicated
        value: test-team
EOF
kubectl patch deployment patch-demo -p '{"spec":{"template":{"spec":{"containers":[{"name":"patch-demo-ctr-2","image":"redis"}]}}}}'
kubectl get deployment patch-demo -o jsonpath='{range .spec.template.spec.containers[*]}{.name}{" "}{end}{"\n"}'
cat <<EOF > patch-file-tolerations.yaml
spec:
  template:
    spec:
      tolerations:
      - effect: NoSchedule
        key: disktype
        value: ssd
EOF
kubectl patch deployment patch-demo --patch-file patch-file-tolerations.yaml
kubectl get deployment patch-demo -o jsonpath='{.spec.template.spec.tolerations}{"\n"}'
kubectl patch deployment patch-demo
