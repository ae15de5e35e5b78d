# Configure Pod Initialization: the init container's own `wget -O /work-dir/index.html
# http://info.cern.ch` saves the page (kubeplay keeps a copy of that public site) into the
# shared emptyDir, and nginx serves it. busybox wget in exec: -qO-, saving, errors.
kubectl apply -f https://k8s.io/examples/pods/init-containers.yaml
kubectl run bb --image=busybox:1.36 -- sleep 3600
kubectl run web --image=nginx --port 80 --expose
settle
kubectl get pod init-demo
kubectl logs init-demo -c install
kubectl exec init-demo -- curl -s localhost
kubectl exec bb -- wget -qO- web | head -4
kubectl exec bb -- wget -O- http://info.cern.ch/nope
kubectl exec bb -- wget nosuch
kubectl exec bb -- sh -c 'cd /tmp && wget -q http://web/ && ls && wc -c index.html'
# No internet but the kept copy: kubeplay says so when a public name does not resolve.
kubectl exec bb -- wget -qO- http://example.com/
kubectl exec init-demo -c nginx -- curl -s example.com
kubectl exec init-demo -c nginx -- curl -s web.nosuch
# kill inside a container: PID 1 gets only the signals it handles. busybox `sleep` ignores
# SIGTERM and nothing can SIGKILL it from inside; nginx shuts down on SIGTERM (exit 0).
kubectl exec bb -- kill 1
kubectl exec bb -- kill -9 1
kubectl exec web -- kill 1
kubectl get pod bb web
kubectl get pod web -o jsonpath='{.status.containerStatuses[0].state.terminated.reason}{"\n"}'
