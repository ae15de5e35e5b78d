# Determine the Reason for Pod Failure, the liveness probe page and Get a Shell: a container
# between restarts keeps the pod Running (the kubelet's getPhase), lastState keeps the
# previous instance (RESTARTS "(Xs ago)"), every failed liveness probe records its event
# ("x2 over 5s"), and exec needs `--` and names the container it defaulted to.
kubectl apply -f https://k8s.io/examples/debug/termination.yaml
kubectl apply -f https://k8s.io/examples/pods/probe/exec-liveness.yaml
kubectl apply -f https://k8s.io/examples/pods/two-container-pod.yaml
sleep 14s
kubectl get pod termination-demo
kubectl get pod termination-demo -o jsonpath='{.status.phase}{"\n"}'
sleep 29s
kubectl describe pod liveness-exec | grep Unhealthy
sleep 5s
kubectl describe pod liveness-exec | grep -E 'Unhealthy|Killing'
sleep 72s
kubectl get pod termination-demo
kubectl get pod termination-demo -o go-template="{{range .status.containerStatuses}}{{.lastState.terminated.message}}{{end}}"
kubectl exec two-containers -c nginx-container -- wc -l /usr/share/nginx/html/index.html
kubectl exec two-containers -- true
kubectl exec two-containers ls
# A program the image lacks: runc looks a bare name up in $PATH and stats an absolute path;
# containerd names the exec's ID (hello-app is Alpine: no bash; pause has no shell at all).
kubectl run e --image=registry.k8s.io/pause:3.1
kubectl apply -f https://k8s.io/examples/pods/inject/envars.yaml
settle
kubectl exec e -- sh -c ls
kubectl exec envar-demo -- /bin/bash -c ls
kubectl exec envar-demo -- ash -c 'echo $DEMO_GREETING'
