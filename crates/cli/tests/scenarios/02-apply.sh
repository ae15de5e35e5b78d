# Client-side apply: created, unchanged, configured, and removed fields go away.
kubectl apply -f - <<EOF
apiVersion: v1
kind: ConfigMap
metadata:
  name: app-config
  labels:
    app: web
data:
  color: blue
  size: large
EOF
kubectl apply -f - <<EOF
apiVersion: v1
kind: ConfigMap
metadata:
  name: app-config
  labels:
    app: web
data:
  color: blue
  size: large
EOF
kubectl label configmap app-config team=core
kubectl apply -f - <<EOF
apiVersion: v1
kind: ConfigMap
metadata:
  name: app-config
  labels:
    app: web
data:
  color: green
EOF
kubectl get configmap app-config -o yaml
kubectl get cm app-config --show-labels
# Re-applying a pod: the token volume the server added survives the merge (keyed lists).
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: redis
spec:
  containers:
  - name: redis
    image: redis
    volumeMounts:
    - name: redis-storage
      mountPath: /data/redis
  volumes:
  - name: redis-storage
    emptyDir: {}
EOF
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: redis
spec:
  containers:
  - name: redis
    image: redis
    volumeMounts:
    - name: redis-storage
      mountPath: /data/redis
  volumes:
  - name: redis-storage
    emptyDir: {}
EOF
# A strategic patch merges containers by name: ports and other fields stay.
kubectl create deployment web --image=nginx:1.25 --port=80
kubectl patch deployment web -p '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.27"}]}}}}'
kubectl get deployment web -o jsonpath='{.spec.template.spec.containers[0].image} {.spec.template.spec.containers[0].ports[0].containerPort}'
echo
kubectl patch deployment web --type=merge -p '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.26"}]}}}}'
kubectl get deployment web -o jsonpath='{.spec.template.spec.containers[0].image} {.spec.template.spec.containers[0].ports}'
echo
# apply after an imperative create warns and patches the annotation in; view-last-applied reads it (and applies nothing); a key with a dot in JSONPath.
kubectl create deployment nginx --image=nginx
kubectl apply -f - <<EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx
spec:
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
        image: nginx:1.27
EOF
kubectl apply view-last-applied deployment nginx
kubectl apply view-last-applied deployment/nginx -o json
kubectl create configmap c --from-literal=a=b
kubectl apply view-last-applied configmap c
kubectl create secret generic s --from-literal=ca.crt=CA
kubectl get secret s -o jsonpath='{.data.ca\.crt}'
