# Debug Running Pods: kubectl debug --copy-to (a debugging container added, or a container's
# command or images changed; the general profile shares processes and drops labels and
# probes) and debug node/NAME (host namespaces, / at /host). Ephemeral containers and the
# interactive attach are not simulated and say so. A shell with stdin open keeps running.
kubectl run myapp --image=busybox:1.28 --restart=Never -- sleep 1d
kubectl run ephemeral-demo --image=registry.k8s.io/pause:3.1 --restart=Never
settle
kubectl debug -it ephemeral-demo --image=busybox:1.28 --target=ephemeral-demo
kubectl debug myapp -it --image=ubuntu --share-processes --copy-to=myapp-debug
settle
kubectl get pod myapp-debug
kubectl get pod myapp-debug -o jsonpath='{.spec.shareProcessNamespace} {.spec.containers[*].name}{"\n"}'
kubectl delete pod myapp-debug
kubectl run myapp2 --image=busybox:1.28 --restart=Never -- false
settle
kubectl debug myapp2 -it --copy-to=myapp-debug --container=myapp2 -- sh
kubectl debug myapp --copy-to=myapp-debug2 --set-image=*=ubuntu
kubectl debug node/k3s-server -it --image=ubuntu
settle
kubectl get pods
kubectl exec myapp-debug -- ls
kubectl get pod node-debugger-k3s-server-pgtsn -o jsonpath='{.spec.hostPID} {.spec.volumes[0].hostPath.path} {.spec.containers[0].volumeMounts[0].mountPath}{"\n"}'
