# ServiceAccounts: the token controller fills (or deletes) token Secrets, describe sa lists
# its secrets, kubectl create token, and admission: the pod's ServiceAccount must exist and
# lends its imagePullSecrets.
kubectl get serviceaccounts
kubectl apply -f - <<EOF
apiVersion: v1
kind: ServiceAccount
metadata:
  name: build-robot
EOF
kubectl get serviceaccounts/build-robot -o yaml
kubectl create token build-robot
kubectl apply -f - <<EOF
apiVersion: v1
kind: Secret
metadata:
  name: build-robot-secret
  annotations:
    kubernetes.io/service-account.name: build-robot
type: kubernetes.io/service-account-token
EOF
kubectl get secret/build-robot-secret -o yaml
kubectl describe secrets/build-robot-secret
kubectl describe sa build-robot
kubectl create secret docker-registry myregistrykey --docker-server=DUMMY_SERVER --docker-username=DUMMY_USERNAME --docker-password=DUMMY_DOCKER_PASSWORD --docker-email=DUMMY_DOCKER_EMAIL
kubectl get secrets myregistrykey
kubectl patch serviceaccount default -p '{"imagePullSecrets": [{"name": "myregistrykey"}]}'
kubectl get serviceaccounts default -o yaml
kubectl describe serviceaccount default
kubectl run nginx --image=nginx --restart=Never
kubectl get pod nginx -o=jsonpath='{.spec.imagePullSecrets[0].name}{"\n"}'
kubectl get pod nginx -o jsonpath='{.spec.serviceAccountName}{"\n"}'
kubectl delete pod nginx
kubectl create -f https://k8s.io/examples/pods/pod-projected-svc-token.yaml
kubectl get pods
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: my-pod
spec:
  serviceAccountName: build-robot
  automountServiceAccountToken: false
  containers:
  - name: c
    image: nginx
EOF
kubectl get pod my-pod -o jsonpath='{.spec.automountServiceAccountToken}'
kubectl get sa
kubectl get sa -A
kubectl delete secret/build-robot-secret
kubectl delete serviceaccount/build-robot
kubectl create serviceaccount foo
kubectl create sa bar -n kube-system
kubectl delete sa foo
kubectl create token foo
kubectl create token default --duration=5m
kubectl create token default --duration=2h | cut -d. -f1
kubectl create token
kubectl run nosa --image=nginx --overrides='{"spec":{"serviceAccountName":"ghost"}}'
kubectl apply -f - <<EOF
apiVersion: v1
kind: Secret
metadata:
  name: orphan-token
  annotations:
    kubernetes.io/service-account.name: ghost
type: kubernetes.io/service-account-token
EOF
kubectl get secret orphan-token
kubectl create sa robot2
kubectl apply -f - <<EOF
apiVersion: v1
kind: Secret
metadata:
  name: robot2-token
  annotations:
    kubernetes.io/service-account.name: robot2
type: kubernetes.io/service-account-token
EOF
kubectl get secrets robot2-token
kubectl delete sa robot2
kubectl get secrets
