# The simulation's own limits: too many replicas is refused as a field error, and the
# cluster is left as it was (kubeplay says the limit is its own, not Kubernetes').
kubectl create deployment web --image=nginx --replicas=2
settle
kubectl scale deployment web --replicas=100000
kubectl get deployment web
kubectl apply -f - <<EOF
apiVersion: batch/v1
kind: Job
metadata:
  name: wide
spec:
  parallelism: 9000
  completions: 9000
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: c
        image: busybox
        command: ["true"]
EOF
kubectl get jobs
