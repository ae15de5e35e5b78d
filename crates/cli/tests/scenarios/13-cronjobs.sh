# CronJobs over virtual hours: schedules, history limits, concurrency, and a manual run.
kubectl create cronjob cleanup --image=busybox --schedule="*/15 * * * *" -- sh -c "echo cleaning up; sleep 5"
kubectl get cronjobs
sleep 1h
kubectl get cronjobs
kubectl get jobs
kubectl create job manual --from=cronjob/cleanup
settle
kubectl get jobs
kubectl apply -f - <<EOF
apiVersion: batch/v1
kind: CronJob
metadata:
  name: slow
spec:
  schedule: "@hourly"
  concurrencyPolicy: Forbid
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: slow
            image: busybox
            command: ["sleep", "5400"]
EOF
sleep 3h
kubectl get cj slow
kubectl get jobs
kubectl apply -f - <<EOF
apiVersion: batch/v1
kind: CronJob
metadata:
  name: broken
spec:
  schedule: "every hour"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
          - name: x
            image: busybox
EOF
kubectl describe cronjob cleanup
