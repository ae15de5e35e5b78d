# Edges: a namespace and its pod in one manifest, the default ServiceAccount made again,
# refused pods retried once their ServiceAccount exists, a pod's own traffic under a deny-all
# policy, contexts without a cluster or that do not exist, create token's checks, field
# selectors on Namespaces, dnsPolicy None without dnsConfig, token Secrets without an account.
kubectl apply -f - <<EOF
apiVersion: v1
kind: Namespace
metadata:
  name: bar
---
apiVersion: v1
kind: Pod
metadata:
  name: q
  namespace: bar
spec:
  containers:
  - name: c
    image: nginx
EOF
kubectl delete sa default
settle
kubectl get sa default
kubectl create deployment needs-sa --image=nginx
kubectl patch deployment needs-sa -p '{"spec":{"template":{"spec":{"serviceAccountName":"mysa"}}}}'
settle
kubectl get pods -l app=needs-sa
kubectl create sa mysa
settle
kubectl get pods -l app=needs-sa
kubectl run web --image=nginx
settle
kubectl apply -f - <<EOF
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: deny-all
spec:
  podSelector: {}
EOF
kubectl exec web -- curl -s localhost | head -4
kubectl config set-context dev --namespace=dev
kubectl config use-context dev
kubectl get pods
kubectl config use-context default
kubectl get pods --context=nope
kubectl get pods --context=nope -n default
kubectl config delete-context a b
kubectl config rename-context foo
kubectl create token default --duration=5m
kubectl create token ghost --duration=5m
kubectl create token default --duration=-1s
kubectl create token default --duration=1500ms
kubectl create token a b
kubectl get ns --field-selector metadata.namespace=x
kubectl run dnsnone --image=nginx --overrides='{"spec":{"dnsPolicy":"None"}}'
kubectl create secret generic tok --type=kubernetes.io/service-account-token
