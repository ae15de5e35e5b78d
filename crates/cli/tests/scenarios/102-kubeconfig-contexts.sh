# kubeconfig contexts: the docs' namespaces walkthrough (set-context NAME with cluster, user and
# namespace, use-context, get-contexts), --context for one command, rename and delete.
kubectl get namespaces
kubectl create -f https://k8s.io/examples/admin/namespace-dev.yaml
kubectl create -f https://k8s.io/examples/admin/namespace-prod.yaml
kubectl get namespaces --show-labels
kubectl config view
kubectl config current-context
kubectl config set-context dev --namespace=development --cluster=default --user=default
kubectl config set-context prod --namespace=production --cluster=default --user=default
kubectl config view
kubectl config get-contexts
kubectl config use-context dev
kubectl config current-context
kubectl apply -f https://k8s.io/examples/admin/snowflake-deployment.yaml
sleep 30s
kubectl get deployment
kubectl get pods -l app=snowflake
kubectl config use-context prod
kubectl get deployment
kubectl get pods
kubectl create deployment cattle --image=registry.k8s.io/serve_hostname --replicas=5
sleep 30s
kubectl get deployment
kubectl get pods -l app=cattle
kubectl config set-context --current --namespace=default
kubectl config view --minify
kubectl config view --minify -o jsonpath='{..namespace}'
kubectl describe namespaces default
kubectl describe namespaces development
kubectl get namespaces development -o yaml
kubectl create namespace my-namespace
kubectl apply -f - <<EOF
apiVersion: v1
kind: Namespace
metadata:
  name: my-namespace2
EOF
kubectl delete namespaces my-namespace
kubectl get namespaces
kubectl delete namespace development production
kubectl get ns
kubectl config get-contexts
kubectl config delete-context dev
kubectl config use-context nonexistent
kubectl get pods --namespace=kube-system
kubectl config set-context dev2 --namespace=development2
kubectl config get-contexts -o name
kubectl config get-contexts dev2
kubectl config get-contexts nope
kubectl --context=dev2 get pods
kubectl get pods --context=nope
kubectl config rename-context dev2 staging
kubectl config use staging
kubectl config current-context
kubectl config delete-context staging
kubectl config current-context
kubectl config use-context default
kubectl config delete-context nope
kubectl config set-context --current --namespace=
kubectl config view --minify
