# restartPolicy: OnFailure counts container restarts against the backoff limit. Once the
# Job is past it (FailureTarget), its pod is deleted and the Job fails; it does not start
# a new pod when the deleted pod's restarts leave the count. Found by the lesson-pack fuzzer:
# a CronJob of such Jobs used to pile up Jobs stuck in FailureTarget.
kubectl apply -f - <<EOF
apiVersion: batch/v1
kind: Job
metadata:
  name: j
spec:
  backoffLimit: 2
  template:
    spec:
      restartPolicy: OnFailure
      containers:
      - name: c
        image: busybox:1.37
        command: ["sh", "-c", "exit 3"]
EOF
sleep 3m
kubectl get jobs,pods
kubectl describe job j | tail -5
kubectl create cronjob cleanup --image=busybox:1.37 --schedule="*/15 * * * *" -- sh )c 'echo cleanup done'
sleep 65m
kubectl get cronjob,jobs
