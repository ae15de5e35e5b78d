# The Indexed Job page (a bash array in the init container, busybox `rev` in the worker;
# and the downward API variant), the probes page's gRPC example (registry.k8s.io/etcd;
# describe prints "grpc <pod>:2379 " and the API defaults grpc.service to ""), and the
# first manifest of Debug Running Pods.
kubectl apply -f https://kubernetes.io/examples/application/job/indexed-job.yaml
kubectl apply -f https://k8s.io/examples/pods/probe/grpc-liveness.yaml
kubectl apply -f https://k8s.io/examples/application/nginx-with-request.yaml
settle
kubectl get pods -l batch.kubernetes.io/job-name=indexed-job
kubectl describe jobs/indexed-job | grep -E '^(Completion Mode|Completions|Completed Indexes|Pods Statuses)'
kubectl logs indexed-job-3-gcgbz
kubectl logs indexed-job-4-m55rp -c input
kubectl describe pod etcd-with-grpc | grep Liveness
kubectl get pod etcd-with-grpc -o jsonpath='{.spec.containers[0].livenessProbe.grpc}{"\n"}'
kubectl logs etcd-with-grpc
kubectl get deploy nginx-deployment
kubectl delete job indexed-job
kubectl apply -f https://kubernetes.io/examples/application/job/indexed-job-vol.yaml
settle
kubectl logs -l batch.kubernetes.io/job-completion-index=2
