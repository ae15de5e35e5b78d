# Debug Running Pods: an ephemeral container added to a running pod (kubectl debug --image
# --target: the ephemeralcontainers subresource; the kubelet starts it; describe lists it;
# it sees the target's processes), kubectl debug --copy-to (a debugging container added, or
# a container's command or images changed) and debug node/NAME (host namespaces, / at
# /host), with 1.35's default legacy profile and its warning, and the general profile.
# Attaching waits for the container: one that ends has its output printed; a shell with
# stdin open keeps running, and the terminal's next lines go to it until `exit` (which
# ends the container).
kubectl run myapp --image=busybox:1.28 --restart=Never -- sleep 1d
kubectl run ephemeral-demo --image=registry.k8s.io/pause:3.1 --restart=Never
settle
kubectl exec -it ephemeral-demo -- sh
kubectl debug -it ephemeral-demo --image=busybox:1.28 --target=ephemeral-demo
ps
exit
kubectl describe pod ephemeral-demo
kubectl get pod ephemeral-demo
kubectl get pod ephemeral-demo -o jsonpath='{.metadata.generation} {.spec.ephemeralContainers[0]}{"\n"}{.status.ephemeralContainerStatuses[0].state}{"\n"}'
kubectl exec ephemeral-demo -c debugger-wgs92 -- ps
kubectl debug -i ephemeral-demo --image=busybox:1.28 --profile=general -c once -- echo hello from an ephemeral container
kubectl get pod ephemeral-demo -o jsonpath='{.spec.ephemeralContainers[1].securityContext}{"\n"}'
kubectl logs ephemeral-demo -c once
kubectl debug ephemeral-demo --image=busybox:1.28 -c once
kubectl debug ephemeral-demo --image=busybox:1.28 --target=nope --profile=general
kubectl debug ephemeral-demo --profile=general
kubectl debug ephemeral-demo --image=busybox:1.28 --profile=nope
kubectl attach ephemeral-demo -c debugger-wgs92 -it
kubectl debug -it ephemeral-demo --image=busybox:1.28 --profile=general -c shell2
echo in shell2
exit
kubectl delete pod ephemeral-demo
kubectl debug myapp -it --image=ubuntu --share-processes --copy-to=myapp-debug
ps x
ps
exit
settle
kubectl get pod myapp-debug
kubectl get pod myapp-debug -o jsonpath='{.spec.shareProcessNamespace} {.spec.containers[*].name}{"\n"}'
kubectl delete pod myapp-debug
kubectl run myapp2 --image=busybox:1.28 --restart=Never -- false
settle
kubectl debug myapp2 -it --copy-to=myapp-debug --container=myapp2 -- sh
ls
exit
kubectl debug myapp --copy-to=myapp-debug2 --set-image=*=ubuntu
kubectl debug node/k3s-server -it --image=ubuntu
ls /host
exit
settle
kubectl get pods
kubectl exec myapp-debug -- ls
NODE_POD=$(kubectl get pods -o name | grep node-debugger)
kubectl get $NODE_POD -o jsonpath='{.spec.hostPID} {.spec.volumes[0].hostPath.path} {.spec.containers[0].volumeMounts[0].mountPath}{"\n"}'
kubectl run probed --image=nginx:1.27 --labels=app=probed
kubectl debug probed --copy-to=probed-legacy --image=busybox:1.28 -- sleep 1d
kubectl debug probed --copy-to=probed-general --image=busybox:1.28 --profile=general --keep-labels -- sleep 1d
kubectl get pod probed-legacy probed-general -o jsonpath='{range .items[*]}{.metadata.name} labels={.metadata.labels} share={.spec.shareProcessNamespace} caps={.spec.containers[1].securityContext}{"\n"}{end}'
