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
