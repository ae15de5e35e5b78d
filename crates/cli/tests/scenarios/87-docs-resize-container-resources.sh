# Docs task "Resize CPU and Memory Resources assigned to Containers" (in-place pod resize,
# GA in 1.35): a cpu resize without restart, a memory resize that restarts the container
# (RestartContainer policy), an infeasible resize (PodResizePending/Infeasible, status keeps
# the old values), a deferred one that goes through when room frees up on the node, and the
# API server's resize checks.
kubectl create namespace qos-example
kubectl create -f https://k8s.io/examples/pods/resource/pod-resize.yaml -n qos-example
sleep 10
kubectl get pod resize-demo -n qos-example -o jsonpath='{.metadata.generation} {.spec.containers[0].resources} {.status.containerStatuses[0].allocatedResources} {.status.containerStatuses[0].resources} {.status.containerStatuses[0].restartCount}'
echo
kubectl patch pod resize-demo -n qos-example --subresource resize --patch \
  '{"spec":{"containers":[{"name":"pause", "resources":{"requests":{"cpu":"800m"}, "limits":{"cpu":"800m"}}}]}}'
sleep 2
kubectl get pod resize-demo --output=yaml --namespace=qos-example
kubectl patch pod resize-demo -n qos-example --subresource resize --patch \
  '{"spec":{"containers":[{"name":"pause", "resources":{"requests":{"memory":"300Mi"}, "limits":{"memory":"300Mi"}}}]}}'
sleep 5
kubectl get pod resize-demo -n qos-example -o jsonpath='{.metadata.generation} {.spec.containers[0].resources.limits} {.status.containerStatuses[0].resources.limits} {.status.containerStatuses[0].restartCount} {.status.containerStatuses[0].lastState.terminated.reason}'
echo
kubectl get pod resize-demo -n qos-example
# Attempt to patch with an excessively large CPU request
kubectl patch pod resize-demo -n qos-example --subresource resize --patch \
  '{"spec":{"containers":[{"name":"pause", "resources":{"requests":{"cpu":"1000"}, "limits":{"cpu":"1000"}}}]}}'
sleep 2
kubectl get pod resize-demo --output=yaml --namespace=qos-example | grep -A40 '^status:'
kubectl describe pod resize-demo -n qos-example | grep -A8 '^Conditions'
kubectl get events -n qos-example --field-selector involvedObject.name=resize-demo
# Back to what fits: the pending condition goes.
kubectl patch pod resize-demo -n qos-example --subresource resize --patch \
  '{"spec":{"containers":[{"name":"pause", "resources":{"requests":{"cpu":"800m"}, "limits":{"cpu":"800m"}}}]}}'
sleep 1
kubectl get pod resize-demo -n qos-example -o jsonpath='{.status.conditions[*].type}'
echo
# What the resize subresource refuses, and what it drops.
kubectl patch pod resize-demo -n qos-example --subresource resize --patch '{"spec":{"containers":[{"name":"pause", "resources":{"requests":{"cpu":"500m"}}}]}}'
kubectl patch pod resize-demo -n qos-example --subresource resize --patch '{"spec":{"containers":[{"name":"pause", "resources":{"requests":{"cpu":"900m"}}}]}}'
kubectl patch pod resize-demo -n qos-example --subresource resize --patch '{"spec":{"containers":[{"name":"pause", "resizePolicy":[{"resourceName":"cpu","restartPolicy":"RestartContainer"}]}]}}'
kubectl patch pod resize-demo -n qos-example --subresource resize --patch '{"spec":{"containers":[{"name":"pause", "resources":{"limits":{"ephemeral-storage":"1Gi"}}}]}}'
kubectl patch pod resize-demo -n qos-example --subresource resize --patch '{"spec":{"containers":[{"name":"pause", "image":"registry.k8s.io/pause:3.9"}]}}'
kubectl patch pod resize-demo -n qos-example --patch '{"spec":{"containers":[{"name":"pause", "resources":{"requests":{"cpu":"700m"}, "limits":{"cpu":"700m"}}}]}}'
kubectl patch pod resize-demo -n qos-example --subresource foo --patch '{}'
kubectl create deployment web -n qos-example --image=nginx
kubectl patch deployment web -n qos-example --subresource resize --patch '{}'
# Deferred: more than is free beside another pod; retried when that pod leaves.
kubectl run hog -n qos-example --image=nginx --overrides='{"spec":{"containers":[{"name":"hog","image":"nginx","resources":{"requests":{"cpu":"700m"}}}]}}'
sleep 5
kubectl patch pod resize-demo -n qos-example --type json --subresource resize --patch \
  '[{"op":"replace","path":"/spec/containers/0/resources/requests/cpu","value":"1500m"},{"op":"replace","path":"/spec/containers/0/resources/limits/cpu","value":"1500m"}]'
sleep 1
kubectl get pod resize-demo -n qos-example -o jsonpath='{.status.conditions[0].reason}: {.status.conditions[0].message} {.status.containerStatuses[0].resources.requests}'
echo
kubectl delete pod hog -n qos-example
sleep 1
kubectl get pod resize-demo -n qos-example -o jsonpath='{.status.conditions[0].type} {.status.containerStatuses[0].resources.requests}'
echo
kubectl get events -n qos-example --field-selector reason=ResizeDeferred
# resizePolicy is checked when the pod is created.
cat <<YAML | kubectl apply -f -
apiVersion: v1
kind: Pod
metadata:
  name: never
spec:
  restartPolicy: Never
  containers:
  - name: c
    image: nginx
    resizePolicy:
    - resourceName: memory
      restartPolicy: RestartContainer
    - resourceName: memory
      restartPolicy: Sometimes
    - resourceName: gpu
      restartPolicy: NotRequired
YAML
kubectl delete namespace qos-example
