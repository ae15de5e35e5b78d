# nodes: 3
# kubectl 1.35's event texts: the kubelet's "Container created"/"Container started", the
# image-present message of the pulled-image check, and describe's container field path in
# front of each container event (an init container's and a second container's too; events
# of two containers are two Events, told apart by field path). Then flag parsing as
# pflag and kubectl do it: durations, --raw, values left out.
kubectl apply -f - <<YAML
apiVersion: v1
kind: Pod
metadata:
  name: two
spec:
  initContainers:
  - name: setup
    image: busybox:1.36
    command: ["sh", "-c", "echo ready"]
  containers:
  - name: web
    image: nginx
  - name: side
    image: busybox:1.36
    command: ["sh", "-c", "while true; do echo tick; sleep 1; done"]
YAML
sleep 30s
kubectl describe pod two
kubectl get events -o wide --field-selector involvedObject.name=two
kubectl run missing --image=nginx:1.161
sleep 20s
kubectl describe pod missing
# logs with a selector: each pod's last 10 lines; a container some pod lacks is an error.
kubectl create deployment hello --image=nginx --replicas=2
settle
kubectl logs -l app=hello
kubectl logs -l app=hello --tail=2
kubectl logs -l app=hello -c nope
kubectl logs two -c side --since=5
kubectl logs two -c side --since=5d
kubectl logs two -c side --since=2s
# JSONPath unions: quoted keys are paths.
kubectl get pods -l app=hello -o jsonpath="{.items[*]['metadata.name', 'status.phase']}"
kubectl get pods -l app=hello -o jsonpath="{.items[0,1].metadata.name}"
# Revisions: the template as kubectl's PrefixWriter writes it (raw tabs), dry runs of undo.
kubectl set image deployment/hello nginx=nginx:1.25
settle
kubectl rollout history deployment/hello --revision=1
kubectl rollout undo deployment/hello --dry-run=client
kubectl rollout undo deployment/hello --dry-run=server
kubectl rollout status deployment/hello --timeout=5
# JSON patches that do not apply: the API server's 422.
kubectl patch deployment hello --type json -p='[{"op":"remove","path":"/spec/template/spec/containers/0/livenessProbe"}]'
kubectl get --raw /api -o yaml
kubectl get --raw /api -l app=hello
kubectl get --raw api
kubectl get pods -n
kubectl delete pod two --dry-run
# A pod's new image: the kubelet kills the container and starts it again with it.
kubectl set image pod/two web=nginx:1.25
sleep 20s
kubectl get pod two
kubectl get pod two -o jsonpath='{.status.containerStatuses[?(@.name=="web")].image}{"\n"}'
kubectl describe pod two
# References containerd cannot parse: InvalidImageName.
kubectl run upper --image=Nginx
kubectl patch pod two -p '{"spec":{"containers":[{"name":"web","image":"new image"}]}}'
sleep 10s
kubectl get pods upper two
kubectl describe pod upper
# Output formats: a template format needs a template; jsonpath-as-json prints one array.
kubectl get pods -o jsonpath
kubectl get pods -l app=hello -o jsonpath-as-json='{.items[*].metadata.name}'
kubectl get pods -l app=hello -o jsonpath --template='{.items[0].metadata.name}{"\n"}'
# A pull retried after a back-off keeps ImagePullBackOff until it fails again.
sleep 1s
kubectl get pod missing
sleep 1s
kubectl get pod missing
# The defaulted-container notice comes before the error of a container not started yet.
kubectl apply -f - <<YAML
apiVersion: v1
kind: Pod
metadata:
  name: myapp-pod
spec:
  containers:
  - name: myapp-container
    image: busybox:1.28
    command: ['sh', '-c', 'echo The app is running! && sleep 3600']
  initContainers:
  - name: init-myservice
    image: busybox:1.28
    command: ['sh', '-c', "until nslookup myservice.default.svc.cluster.local; do echo waiting for myservice; sleep 2; done"]
YAML
sleep 10s
kubectl logs myapp-pod
kubectl drain k3s-agent-1
# Durations are exact; a negative wait timeout means a week.
kubectl create token default --duration=16.4m | cut -c1-10
kubectl create token default --duration=1ns
kubectl create token default --duration=-1ns
kubectl wait --for=condition=PodScheduled pod/upper --timeout=-1s
# A type alone: every object of it.
kubectl rollout restart deployment
kubectl rollout status deployment
# A failing pull after an image change keeps its back-off status and restart count.
kubectl set image deployment/hello nginx=nginx:9.99
kubectl run web --image=nginx
sleep 20s
kubectl set image pod/web web=nginx:doesnotexist
sleep 12s
kubectl get pod web
sleep 1s
kubectl get pod web
sleep 1s
kubectl get pod web
# A running init container's new image waits for it to finish: no restart.
kubectl set image pod/myapp-pod init-myservice=busybox:1.36
sleep 5s
kubectl get pod myapp-pod
# JSON patches: a body that is not a list is a 400; an operation that cannot apply, a 422.
kubectl patch deployment hello --type json -p '{"op":"replace"}'
kubectl patch deployment hello --type json -p '[{"op":"bogus","path":"/spec"}]'
kubectl get pods -o jsonpath=
