# Docs tasks on pod configuration and the shell around kubectl: HostAliases in /etc/hosts,
# a security context seen through `id` and busybox `ps`, a shared process namespace
# (`ps ax`, signals to another container's process), dependent environment variables,
# and "Parallel Processing using Expansions" with its multi-line for loop, curl -O and
# sed, plus commands continued over lines with a backslash or a trailing `&&`; and "Pod
# Scheduling Readiness": a gated pod is SchedulingGated until its gates are removed.
kubectl apply -f https://k8s.io/examples/service/networking/hostaliases-pod.yaml
sleep 5
kubectl get pod --output=wide
kubectl logs hostaliases-pod
cat <<YAML | kubectl apply -f -
apiVersion: v1
kind: Pod
metadata:
  name: bad-aliases
spec:
  hostAliases:
  - ip: "300.1.2.3"
    hostnames: ["Foo_Bar"]
  containers:
  - name: c
    image: busybox:1.28
YAML
kubectl apply -f https://k8s.io/examples/pods/security/security-context.yaml
kubectl wait --for=condition=Ready pod/security-context-demo
kubectl exec security-context-demo -- ps
kubectl exec security-context-demo -- id
kubectl exec security-context-demo -- sh -c "cd /data/demo && echo hello > testfile && ps"
kubectl exec security-context-demo -- ps -o pid,user
kubectl apply -f https://k8s.io/examples/pods/share-process-namespace.yaml
kubectl wait --for=condition=Ready pod/nginx
kubectl exec nginx -c shell -- ps ax
kubectl exec nginx -c shell -- kill -HUP 7
kubectl exec nginx -c shell -- kill 13
kubectl exec nginx -c shell -- kill 99
kubectl exec nginx -c shell -- kill 7
sleep 2
kubectl get pod nginx
kubectl exec nginx -c shell -- ps ax
kubectl exec nginx -c nginx -- ps
cat <<YAML | kubectl apply -f -
apiVersion: v1
kind: Pod
metadata:
  name: dependent-envars-demo
spec:
  containers:
    - name: dependent-envars-demo
      args:
        - while true; do echo -en '\n'; printf UNCHANGED_REFERENCE=$UNCHANGED_REFERENCE'\n'; printf SERVICE_ADDRESS=$SERVICE_ADDRESS'\n';printf ESCAPED_REFERENCE=$ESCAPED_REFERENCE'\n'; sleep 30; done;
      command:
        - sh
        - -c
      image: busybox:1.28
      env:
        - name: SERVICE_PORT
          value: "80"
        - name: SERVICE_IP
          value: "172.17.0.1"
        - name: UNCHANGED_REFERENCE
          value: "$(PROTOCOL)://$(SERVICE_IP):$(SERVICE_PORT)"
        - name: PROTOCOL
          value: "https"
        - name: SERVICE_ADDRESS
          value: "$(PROTOCOL)://$(SERVICE_IP):$(SERVICE_PORT)"
        - name: ESCAPED_REFERENCE
          value: "$$(PROTOCOL)://$(SERVICE_IP):$(SERVICE_PORT)"
YAML
sleep 5
kubectl logs pod/dependent-envars-demo
curl -L -s -O https://k8s.io/examples/application/job/job-tmpl.yaml
cat job-tmpl.yaml
mkdir ./jobs
for i in apple banana cherry
do
  cat job-tmpl.yaml | sed "s/\$ITEM/$i/" > ./jobs/job-$i.yaml
done
ls jobs/
kubectl create -f ./jobs
kubectl get jobs -l jobgroup=jobexample
kubectl get pods -l jobgroup=jobexample -o=jsonpath='{range .items[*]}{.metadata.name}{"\n"}{end}'
sleep 30
kubectl logs -f -l jobgroup=jobexample
kubectl delete job -l jobgroup=jobexample
kubectl create deployment web \
  --image=nginx:1.25 \
  --replicas=2
kubectl get deployment web -o jsonpath='{.spec.replicas}' &&
  echo " replicas"
echo "x" | sed "s/x/\$HOME/"
kubectl apply -f https://k8s.io/examples/pods/pod-with-scheduling-gates.yaml
kubectl get pod test-pod
kubectl get pod test-pod -o jsonpath='{.spec.schedulingGates}'
echo
kubectl get pod test-pod -o jsonpath='{range .status.conditions[*]}{.type}={.status} {.reason}: {.message}{"\n"}{end}'
kubectl patch pod test-pod --type=json -p='[{"op":"add","path":"/spec/schedulingGates/-","value":{"name":"example.com/baz"}}]'
kubectl apply -f https://k8s.io/examples/pods/pod-without-scheduling-gates.yaml
kubectl get pod test-pod -o jsonpath='{.spec.schedulingGates}'
kubectl wait --for=condition=Ready pod/test-pod
kubectl get pods test-pod -o wide
kubectl apply -f https://k8s.io/examples/pods/pod-with-scheduling-gates.yaml --dry-run=server
kubectl apply -f https://k8s.io/examples/pods/pod-with-numeric-toleration.yaml
cat <<YAML | kubectl apply -f -
apiVersion: v1
kind: Pod
metadata:
  name: bad-tolerations
spec:
  containers:
  - name: c
    image: busybox:1.28
  tolerations:
  - operator: Equal
    value: x
  - key: a
    operator: Exists
    value: "1"
  - key: b
    effect: NoSchedule
    tolerationSeconds: 5
  - key: c
    effect: Sometimes
YAML
