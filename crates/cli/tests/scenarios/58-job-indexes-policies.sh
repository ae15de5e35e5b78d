# Indexed Jobs: backoffLimitPerIndex/maxFailedIndexes (the docs' example, with the odd/even
# rule in busybox: failedIndexes 0,2,4,6,8 and FailedIndexes), and successPolicy (the first
# rule met gives SuccessCriteriaMet, then Complete once the other pods have terminated).
kubectl apply -f - <<EOF
apiVersion: batch/v1
kind: Job
metadata:
  name: job-backoff-limit-per-index-example
spec:
  completions: 10
  parallelism: 3
  completionMode: Indexed
  backoffLimitPerIndex: 1
  maxFailedIndexes: 5
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: example
        image: busybox
        command: ["sh", "-c", "echo Node rank $JOB_COMPLETION_INDEX; if [ $((JOB_COMPLETION_INDEX % 2)) -eq 0 ]; then exit 1; fi"]
EOF
sleep 5m
kubectl get jobs
kubectl get job job-backoff-limit-per-index-example -o jsonpath='{.status.completedIndexes}|{.status.failedIndexes}|{.status.succeeded}|{.status.failed}{"\n"}{range .status.conditions[*]}{.type} {.reason}: {.message}{"\n"}{end}'
kubectl get job job-backoff-limit-per-index-example -o jsonpath='{.spec.backoffLimit} {.spec.podReplacementPolicy}{"\n"}'
kubectl apply -f - <<EOF
apiVersion: batch/v1
kind: Job
metadata:
  name: job-success
spec:
  parallelism: 10
  completions: 10
  completionMode: Indexed
  successPolicy:
    rules:
      - succeededIndexes: 0,2-3
        succeededCount: 1
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: main
        image: busybox
        command: ["sh", "-c", "if [ $JOB_COMPLETION_INDEX -ne 2 ]; then sleep 999999; fi; exit 0"]
EOF
sleep 10s
kubectl get jobs job-success
kubectl get job job-success -o jsonpath='{range .status.conditions[*]}{.type} {.reason}: {.message}{"\n"}{end}'
sleep 40s
kubectl get jobs job-success
kubectl get job job-success -o jsonpath='{range .status.conditions[*]}{.type} {.reason}: {.message}{"\n"}{end}'
