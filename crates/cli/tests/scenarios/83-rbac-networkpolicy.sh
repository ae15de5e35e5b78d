# RBAC objects and NetworkPolicies, as the "Using RBAC Authorization" and "Declare Network Policy"
# pages create them: stored, listed and described as kubectl shows them, with a note that
# kubeplay does not enforce them.
kubectl create namespace dev
kubectl apply -f - <<EOF
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  namespace: default
  name: pod-reader
rules:
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["get", "watch", "list"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: read-pods
  namespace: default
subjects:
- kind: User
  name: jane
  apiGroup: rbac.authorization.k8s.io
- kind: ServiceAccount
  name: default
  namespace: dev
roleRef:
  kind: Role
  name: pod-reader
  apiGroup: rbac.authorization.k8s.io
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: test-network-policy
  namespace: default
spec:
  podSelector:
    matchLabels:
      role: db
  policyTypes:
  - Ingress
EOF
kubectl get roles,rolebindings,netpol
kubectl get rolebindings -o wide
kubectl describe role pod-reader
kubectl describe rolebinding read-pods
kubectl get clusterroles
kubectl delete role pod-reader
kubectl create role pod-reader --verb=get --verb=list --verb=watch --resource=pods
kubectl create role pod-reader2 --verb=get,list --resource=pods,deployments.apps,rs --resource-name=readablepod --dry-run=client -o yaml
kubectl create clusterrole foo --verb=get,list --resource=rs.apps,pods/log --dry-run=client -o yaml
kubectl create clusterrole urls --verb=get --non-resource-url=/logs/*
kubectl create rolebinding bob-admin-binding --clusterrole=admin --user=bob --namespace=default
kubectl create rolebinding bad --user=bob
kubectl create clusterrolebinding root-cluster-admin-binding --clusterrole=cluster-admin --user=root --serviceaccount=default:myapp -o yaml --dry-run=client
kubectl create role bad --verb=fly --resource=pods
kubectl create role bad --verb=get --resource=podz
kubectl describe clusterrole urls
kubectl get rolebindings,clusterroles,clusterrolebindings -o wide
kubectl delete rolebinding bob-admin-binding
kubectl describe networkpolicy test-network-policy
kubectl apply -f - <<EOF
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: access-nginx
spec:
  podSelector:
    matchLabels:
      app: nginx
  ingress:
  - from:
    - podSelector:
        matchLabels:
          access: "true"
    - namespaceSelector:
        matchLabels:
          team: ops
      podSelector:
        matchLabels:
          role: monitor
    ports:
    - port: 80
  - from:
    - ipBlock:
        cidr: 172.17.0.0/16
        except:
        - 172.17.1.0/24
  egress:
  - to:
    - podSelector: {}
EOF
kubectl describe netpol access-nginx
kubectl get networkpolicy access-nginx -o jsonpath='{.spec.policyTypes}'
