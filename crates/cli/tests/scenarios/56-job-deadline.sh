# A Job past its activeDeadlineSeconds: FailureTarget while its pod terminates (30 s grace:
# busybox sleep ignores SIGTERM), then Failed with the DeadlineExceeded event.
kubectl apply -f - <<EOF
apiVersion: batch/v1
kind: Job
metadata:
  name: slow
spec:
  activeDeadlineSeconds: 10
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: c
        image: busybox
        command: ["sleep", "600"]
EOF
sleep 11s
kubectl get jobs
kubectl get pods
kubectl get job slow -o jsonpath='{range .status.conditions[*]}{.type}={.status} {end}{"\n"}'
sleep 30s
kubectl get jobs
kubectl get pods
kubectl describe job slow | tail -6
