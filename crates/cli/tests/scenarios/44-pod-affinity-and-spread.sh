# nodes: 3
kubectl apply -f - <<EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: redis-cache
spec:
  selector:
    matchLabels:
      app: store
  replicas: 3
  template:
    metadata:
      labels:
        app: store
    spec:
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
          - labelSelector:
              matchExpressions:
              - key: app
                operator: In
                values:
                - store
            topologyKey: "kubernetes.io/hostname"
      containers:
      - name: redis-server
        image: redis:3.2-alpine
EOF
kubectl apply -f - <<EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-server
spec:
  selector:
    matchLabels:
      app: web-store
  replicas: 3
  template:
    metadata:
      labels:
        app: web-store
    spec:
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
          - labelSelector:
              matchExpressions:
              - key: app
                operator: In
                values:
                - web-store
            topologyKey: "kubernetes.io/hostname"
        podAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
          - labelSelector:
              matchExpressions:
              - key: app
                operator: In
                values:
                - store
            topologyKey: "kubernetes.io/hostname"
      containers:
      - name: web-app
        image: nginx:1.16-alpine
EOF
settle
kubectl get pods -o wide
kubectl scale deployment redis-cache --replicas=4
settle
kubectl get pods -l app=store
kubectl describe pod -l app=store | grep -A3 Events | tail -4
kubectl get events --field-selector reason=FailedScheduling
kubectl delete deployment redis-cache web-server
settle
# Required pod affinity with no matching pod anywhere: Pending, unresolvable by preemption.
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: needs-db
spec:
  affinity:
    podAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
      - labelSelector:
          matchLabels:
            app: db
        topologyKey: kubernetes.io/hostname
  containers:
  - name: app
    image: nginx:1.25
EOF
settle
kubectl get pod needs-db
kubectl get events --field-selector involvedObject.name=needs-db
# The db arrives: the waiting pod is retried and lands next to it.
kubectl run db --image=redis:7.2 --labels=app=db
settle
kubectl get pods -o wide
# An existing pod's anti-affinity keeps others away from its node.
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: loner
  labels:
    app: loner
spec:
  nodeName: k3s-agent-1
  affinity:
    podAntiAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
      - labelSelector:
          matchLabels:
            role: noisy
        topologyKey: kubernetes.io/hostname
  containers:
  - name: app
    image: nginx:1.25
EOF
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: noisy
  labels:
    role: noisy
spec:
  nodeSelector:
    kubernetes.io/hostname: k3s-agent-1
  containers:
  - name: app
    image: nginx:1.25
EOF
settle
kubectl get pod loner noisy
kubectl get events --field-selector involvedObject.name=noisy
kubectl delete pod needs-db db loner noisy
settle
# Topology spread: maxSkew 1 over hostnames, DoNotSchedule. Five replicas on three nodes
# go 2/2/1; a sixth on a cordoned cluster cannot keep the skew.
kubectl apply -f - <<EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: spread
spec:
  replicas: 5
  selector:
    matchLabels:
      app: spread
  template:
    metadata:
      labels:
        app: spread
    spec:
      topologySpreadConstraints:
      - maxSkew: 1
        topologyKey: kubernetes.io/hostname
        whenUnsatisfiable: DoNotSchedule
        labelSelector:
          matchLabels:
            app: spread
      containers:
      - name: app
        image: nginx:1.25
EOF
settle
kubectl get pods -l app=spread -o wide --no-headers | grep -c k3s-server
kubectl get pods -l app=spread -o wide --no-headers | grep -c k3s-agent-1
kubectl get pods -l app=spread -o wide --no-headers | grep -c k3s-agent-2
kubectl cordon k3s-server
kubectl cordon k3s-agent-1
kubectl scale deployment spread --replicas=7
settle
kubectl get pods -l app=spread --field-selector status.phase=Pending
kubectl get events --field-selector reason=FailedScheduling | tail -1
kubectl uncordon k3s-server k3s-agent-1
kubectl delete deployment spread
settle
# Preferred node affinity: the heavier preference wins when both nodes fit.
kubectl label nodes k3s-agent-2 disktype=ssd
kubectl label nodes k3s-agent-1 zone=blue
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: prefers-ssd
spec:
  affinity:
    nodeAffinity:
      preferredDuringSchedulingIgnoredDuringExecution:
      - weight: 1
        preference:
          matchExpressions:
          - key: zone
            operator: In
            values:
            - blue
      - weight: 50
        preference:
          matchExpressions:
          - key: disktype
            operator: In
            values:
            - ssd
  containers:
  - name: nginx
    image: nginx:1.25
EOF
settle
kubectl get pod prefers-ssd -o wide
# Preferred pod affinity: near the cache when it can, scheduled anyway when it cannot.
kubectl run cache --image=redis:7.2 --labels=app=cache --overrides='{"spec":{"nodeName":"k3s-server"}}'
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: near-cache
spec:
  affinity:
    podAffinity:
      preferredDuringSchedulingIgnoredDuringExecution:
      - weight: 100
        podAffinityTerm:
          labelSelector:
            matchLabels:
              app: cache
          topologyKey: kubernetes.io/hostname
  containers:
  - name: nginx
    image: nginx:1.25
EOF
settle
kubectl get pod cache near-cache -o wide
