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
