# Sidecar containers (init containers with restartPolicy: Always): they start before the
# containers and keep running beside them, count in READY, restart whatever the pod's policy,
# and are stopped once a Job's container is done. tail -F waits for its file.
kubectl apply -f https://k8s.io/examples/application/deployment-sidecar.yaml
kubectl get pods
sleep 10s
kubectl get pods
kubectl get deploy
kubectl describe pod -l app=myapp | sed -n '/Init Containers/,/Volumes:/p'
kubectl logs deploy/myapp -c logshipper
kubectl apply -f https://k8s.io/examples/application/job/job-sidecar.yaml
sleep 10s
kubectl get pods -l job-name=myjob
kubectl get jobs
sleep 30s
kubectl get pods -l job-name=myjob
kubectl get jobs
kubectl describe pod -l job-name=myjob | grep -A8 "logshipper:" | head -30
kubectl get events --field-selector involvedObject.kind=Pod | grep myjob
kubectl run t --image=busybox --restart=Never -- tail -f /dev/null
kubectl run t2 --image=busybox --restart=Never -- tail -f /nope
sleep 5s
kubectl get pods t t2
kubectl logs t2
kubectl delete pod t t2
kubectl delete deploy myapp
kubectl delete job myjob
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: sc
spec:
  restartPolicy: Never
  initContainers:
  - name: crashy
    image: busybox:1.36
    restartPolicy: Always
    command: ["sh", "-c", "sleep 5; exit 3"]
  - name: setup
    image: busybox:1.36
    command: ["sh", "-c", "echo setup done"]
  containers:
  - name: main
    image: busybox:1.36
    command: ["sh", "-c", "sleep 3600"]
EOF
sleep 3s
kubectl get pod sc
sleep 13s
kubectl get pod sc -o jsonpath="{.status.initContainerStatuses[0].state}"
sleep 7s
kubectl get pod sc
kubectl get pod sc -o jsonpath="{.status.initContainerStatuses[0]}"
kubectl delete pod sc
kubectl get pod sc
kubectl get events --field-selector involvedObject.name=sc
