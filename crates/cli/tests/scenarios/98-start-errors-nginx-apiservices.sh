# A container whose program is not in its image never starts: runc's error, exit code 128,
# StartError (restartPolicy Never) or RunContainerError then CrashLoopBackOff.
kubectl run bb --image=busybox:1.28 --restart=Never -- nosuchcmd
kubectl run nobash --image=busybox --restart=Never -- bash
kubectl run abs --image=busybox --restart=Never --command -- /bin/nosuch -x
kubectl create deployment crash --image=busybox -- nosuchcmd
sleep 5
kubectl get pods
kubectl describe pod bb | grep -A8 "State:"
kubectl get pod abs -o jsonpath='{.status.containerStatuses[0].state.terminated.message}{"\n"}'
kubectl get events --field-selector involvedObject.name=bb
sleep 60
kubectl get pods -l app=crash
kubectl describe pods -l app=crash | grep -A10 "State:"
# A real program kubeplay does not model is said so, not reported missing.
kubectl run tools --image=busybox:1.28 --restart=Never -- ip addr
sleep 5
kubectl logs tools
# nginx logs as its release does: nothing from 1.14.2, the entrypoint and notices today.
kubectl run old --image=nginx:1.14.2
kubectl run new --image=nginx:1.27
sleep 10
kubectl logs old
kubectl logs new
kubectl exec new -- nginx -v
kubectl exec new -- nginx -t
kubectl run h2 --image=gcr.io/google-samples/hello-app:2.0
sleep 10
kubectl exec h2 -- ps aux
# A LoadBalancer with externalTrafficPolicy Local gets a health-check node port.
kubectl create deployment app --image=nginx
kubectl expose deployment app --name=lb --port=8080 --target-port=80 --type=LoadBalancer
kubectl get svc lb -o jsonpath='{.spec.healthCheckNodePort}{"\n"}'
kubectl patch svc lb -p '{"spec":{"externalTrafficPolicy":"Local"}}'
kubectl describe svc lb | grep -e 'Traffic Policy' -e HealthCheck
kubectl patch svc lb -p '{"spec":{"externalTrafficPolicy":"Cluster"}}'
kubectl get svc lb -o yaml | grep -c healthCheckNodePort
kubectl autoscale deployment app --cpu-percent=50 --min=1 --max=3
# The aggregator's APIServices, as the resource-assignment pages check metrics-server's.
kubectl get apiservices
kubectl describe apiservice v1beta1.metrics.k8s.io
kubectl get apiservice v1.apps -o jsonpath='{.spec.groupPriorityMinimum} {.status.conditions[0].reason}{"\n"}'
# Pods deleted while they are being created (a ReplicaSet over its count, as the docs'
# ReplicaSet page shows) are Terminating while the kubelet tears them down.
kubectl apply -f https://k8s.io/examples/controllers/frontend.yaml
sleep 10
kubectl apply -f https://k8s.io/examples/pods/pod-rs.yaml
kubectl get pods -l tier=frontend
settle
kubectl get pods -l tier=frontend
# Until the runtime creates a container, its status names the image as the spec does, with
# no image ID, and already lists its mounts.
kubectl run slow --image=postgres:16
sleep 1
kubectl get pod slow -o jsonpath='{.status.containerStatuses[0].state.waiting.reason} image={.status.containerStatuses[0].image} id={.status.containerStatuses[0].imageID} mount={.status.containerStatuses[0].volumeMounts[0].mountPath}{"\n"}'
settle
kubectl get pod slow -o jsonpath='{.status.containerStatuses[0].image} {.status.containerStatuses[0].imageID}{"\n"}'
# Shell options before -c, busybox's applets by name, and a script that is not in the image.
kubectl run opts --image=busybox --restart=Never --command -- sh -ec 'echo with options'
kubectl run applet --image=busybox --restart=Never --command -- /bin/busybox echo an applet
kubectl run script --image=busybox --restart=Never --command -- ./run.sh
sleep 5
kubectl logs opts
kubectl logs applet
kubectl get pods opts applet script
kubectl exec new -- sh -c 'nginx -v; nginx -t'
# A health-check node port only goes with a LoadBalancer whose traffic stays local.
kubectl apply -f - <<YAML
apiVersion: v1
kind: Service
metadata:
  name: np
spec:
  type: NodePort
  healthCheckNodePort: 31000
  selector:
    app: x
  ports:
  - port: 80
YAML
