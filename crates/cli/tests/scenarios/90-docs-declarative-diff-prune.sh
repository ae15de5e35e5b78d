# "Declarative Management of Kubernetes Objects Using Configuration Files": kubectl diff
# before and after apply (a dry-run create for a new object, the three-way merge for a live
# one, exit status 0/1/2), Secret values masked, apply --prune with a label selector and an
# allowlist (and its flag errors), diff --prune, and rm on the learner's files.
kubectl diff -f https://k8s.io/examples/application/simple_deployment.yaml
echo "exit $?"
kubectl apply -f https://k8s.io/examples/application/simple_deployment.yaml
kubectl diff -f https://k8s.io/examples/application/simple_deployment.yaml
echo "exit $?"
kubectl get -f https://k8s.io/examples/application/simple_deployment.yaml -o yaml
kubectl scale deployment/nginx-deployment --replicas=2
kubectl diff -f https://k8s.io/examples/application/update_deployment.yaml
echo "exit $?"
kubectl apply -f https://k8s.io/examples/application/update_deployment.yaml
kubectl get -f https://k8s.io/examples/application/update_deployment.yaml -o jsonpath='{.spec.replicas} {.spec.minReadySeconds} {.spec.template.spec.containers[0].image}{"\n"}'
kubectl diff -f https://k8s.io/examples/application/update_deployment.yaml
echo "exit $?"
# Errors exit 2.
kubectl diff
echo "exit $?"
kubectl diff deployment nginx-deployment -f https://k8s.io/examples/application/update_deployment.yaml
echo "exit $?"
cat <<EOF > bad.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx-deployment
spec:
  replicas: -1
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
        image: nginx:1.16.1
EOF
kubectl diff -f bad.yaml
echo "exit $?"
# A Secret's values are masked; a changed one is marked before/after.
kubectl create secret generic db --from-literal=user=admin --from-literal=password=one
cat <<EOF > db.yaml
apiVersion: v1
kind: Secret
metadata:
  name: db
stringData:
  user: admin
  password: two
EOF
kubectl diff -f db.yaml
# Prune: objects an earlier apply made, that this apply leaves out.
mkdir -p app
cat <<EOF > app/config.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  labels:
    team: web
data:
  mode: fast
EOF
cat <<EOF > app/worker.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: worker
  labels:
    team: web
spec:
  selector:
    matchLabels:
      app: worker
  template:
    metadata:
      labels:
        app: worker
    spec:
      containers:
      - name: worker
        image: busybox:1.36
        command: ["sleep", "3600"]
EOF
kubectl apply -f app/
kubectl create configmap by-hand --from-literal=a=b
kubectl label configmap by-hand team=web
ls app
rm app/worker.yaml
ls app
rm app/worker.yaml
echo "exit $?"
rm app
kubectl apply -f app/ --prune
kubectl apply -f app/ --prune --all -l team=web
kubectl apply -f app/ --prune -l team=web --prune-allowlist=apps/v1
kubectl apply -f app/ --prune -l team=web --prune-allowlist=apps/v1/Widget
kubectl diff -f app/ --prune -l team=web | head -12
# diff has no --all: without a selector it shows everything a prune would delete.
kubectl diff -f app/ --prune | grep "^diff"
# An apply that passes no objects prunes nothing.
kubectl apply -f app/ --prune -l team=nobody
kubectl apply -f app/ --prune -l team=web --dry-run=server
kubectl apply -f app/ --prune -l team=web --prune-allowlist=core/v1/ConfigMap
kubectl get deployments
kubectl apply -f app/ --prune -l team=web
kubectl get deployments,configmaps
settle
kubectl get pods
rm -rf app
ls app
rm -f -- missing.yaml
echo "exit $?"
