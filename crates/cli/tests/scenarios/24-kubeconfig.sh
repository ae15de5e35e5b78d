# kubeconfig and cluster-info as k3s sets them up; commands kubeplay does not simulate say so.
kubectl config view
kubectl config current-context
kubectl config get-contexts
kubectl cluster-info
kubectl top pods
kubectl gte pods
kubectl foo
kubectl config set-context --current --namespace=dev
