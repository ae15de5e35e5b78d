# Pod Security Admission ("Apply Pod Security Standards at the Namespace Level", "Enforce
# Pod Security Standards with Namespace Labels"): warn and enforce labels, the warnings a
# pod and a Deployment get, refused pods (kubectl run, apply -f, a ReplicaSet's
# FailedCreate), bad labels, and the existing-pod warnings of a stricter enforce label.
kubectl create ns example
kubectl label --overwrite ns example pod-security.kubernetes.io/warn=baseline pod-security.kubernetes.io/warn-version=latest
kubectl label --overwrite ns example pod-security.kubernetes.io/enforce=baseline pod-security.kubernetes.io/enforce-version=latest pod-security.kubernetes.io/warn=restricted pod-security.kubernetes.io/warn-version=latest pod-security.kubernetes.io/audit=restricted pod-security.kubernetes.io/audit-version=latest
kubectl apply -n example -f https://k8s.io/examples/security/example-baseline-pod.yaml
kubectl apply -n default -f https://k8s.io/examples/security/example-baseline-pod.yaml
kubectl run priv -n example --image=nginx --privileged
cat > hostpod.yaml <<'YAML'
apiVersion: v1
kind: Pod
metadata:
  name: node-exporter
spec:
  hostNetwork: true
  hostPID: true
  volumes:
  - name: proc
    hostPath:
      path: /proc
  - name: sys
    hostPath:
      path: /sys
  containers:
  - name: node-exporter
    image: nginx
    ports:
    - containerPort: 9100
      hostPort: 9100
    securityContext:
      capabilities:
        add: ["NET_ADMIN", "SYS_TIME", "CHOWN"]
YAML
kubectl apply -n example -f hostpod.yaml
kubectl label ns example pod-security.kubernetes.io/enforce=strict --overwrite
kubectl label ns example pod-security.kubernetes.io/enforce-version=1.35 --overwrite
kubectl apply -f https://k8s.io/examples/security/podsecurity-restricted.yaml
kubectl get ns my-restricted-namespace --show-labels
kubectl create deployment web -n my-restricted-namespace --image=nginx --replicas=2
settle
kubectl get deploy,rs,pods -n my-restricted-namespace
kubectl describe rs -n my-restricted-namespace
why deploy/web -n my-restricted-namespace
kubectl label ns my-restricted-namespace pod-security.kubernetes.io/enforce=baseline --overwrite
settle
kubectl get deploy -n my-restricted-namespace
kubectl scale deploy web -n my-restricted-namespace --replicas=3
kubectl label ns example pod-security.kubernetes.io/enforce=restricted --overwrite
kubectl set image pod/nginx -n example nginx=nginx:1.27
kubectl label ns example pod-security.kubernetes.io/enforce=restricted --overwrite
kubectl get namespaces --selector='!pod-security.kubernetes.io/enforce'
kubectl label --dry-run=server --overwrite ns --all pod-security.kubernetes.io/enforce=baseline
kubectl label --dry-run=server --overwrite ns --all pod-security.kubernetes.io/enforce=restricted
kubectl get ns kube-system --show-labels
kubectl run priv -n example --image=nginx --privileged --dry-run=server
kubectl apply -n my-restricted-namespace --dry-run=server -f https://k8s.io/examples/security/example-baseline-pod.yaml
kubectl create deployment d -n my-restricted-namespace --image=nginx --dry-run=server
kubectl debug -n my-restricted-namespace deploy/web -it --image=busybox --profile=general
kubectl debug -n example nginx -it --image=busybox --profile=general
kubectl get pod nginx -n example -o jsonpath='{.spec.ephemeralContainers}'
cat > sts.yaml <<'YAML'
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  replicas: 2
  selector:
    matchLabels:
      app: db
  template:
    metadata:
      labels:
        app: db
    spec:
      containers:
      - name: db
        image: nginx
YAML
kubectl apply -n example -f sts.yaml
kubectl apply -n example -f sts.yaml
settle
kubectl get sts,pods -n example
kubectl get events -n example --field-selector involvedObject.kind=StatefulSet
