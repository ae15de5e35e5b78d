# kubeconfig and cluster-info as k3s sets them up; commands kubeplay does not simulate say so.
kubectl config view
kubectl config current-context
kubectl config get-contexts
kubectl cluster-info
kubectl top pods
kubectl gte pods
kubectl foo
kubectl config set-context --current --namespace=dev
kubectl create namespace dev
kubectl config set-context --current --namespace=dev
kubectl config get-contexts
kubectl run web --image=nginx:1.25
kubectl get pods
kubectl get pods -n default
kubectl config view | grep namespace
kubectl config set-context --current --namespace=default
kubectl get pods
kubectl config set-context
