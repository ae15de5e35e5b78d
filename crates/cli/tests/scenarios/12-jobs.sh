# Jobs: the docs' pi Job, a failing Job with its back-off, and an Indexed Job.
kubectl apply -f pi-job.yaml
kubectl get jobs
sleep 15s
kubectl get jobs
kubectl get pods
kubectl describe job pi
kubectl logs job/pi --tail=1
kubectl create job fail --image=busybox -- sh -c "exit 1"
sleep 10m
kubectl get job fail
kubectl get pods -l job-name=fail
kubectl apply -f indexed-job.yaml
settle
kubectl get pods -l job-name=indexed
kubectl get job indexed -o jsonpath='{.status.completedIndexes}{"\n"}'
# A pod failure policy: exit code 42 fails the Job at once (FailJob), without using up the backoff limit.
kubectl create -f https://k8s.io/examples/controllers/job-pod-failure-policy-example.yaml
sleep 30s
kubectl get job job-pod-failure-policy-example
kubectl get job job-pod-failure-policy-example -o jsonpath='{.status.conditions[-1:].reason}: {.status.conditions[-1:].message}'
echo
# Suspending and resuming a Job: pods deleted with events, the Suspended condition kept (False) and the clock restarted.
kubectl create job myjob --image=busybox:1.37 -- sleep 60
sleep 5s
kubectl patch job/myjob --type=strategic --patch '{"spec":{"suspend":true}}'
settle
kubectl get job myjob -o jsonpath="{.status.conditions}"
echo
sleep 60s
kubectl patch job/myjob --type=strategic --patch '{"spec":{"suspend":false}}'
sleep 3s
kubectl get jobs myjob
kubectl get job myjob -o jsonpath="{.status.conditions}"
echo
kubectl describe job myjob | tail -7
