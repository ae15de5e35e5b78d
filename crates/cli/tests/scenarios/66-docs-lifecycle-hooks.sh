# The docs' lifecycle page: a postStart exec hook writes a file the container then has; a failing hook is reported.
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: lifecycle-demo
spec:
  containers:
  - name: lifecycle-demo-container
    image: nginx
    lifecycle:
      postStart:
        exec:
          command: ["/bin/sh", "-c", "echo Hello from the postStart handler > /usr/share/message"]
      preStop:
        exec:
          command: ["/bin/sh","-c","nginx -s quit; while killall -0 nginx; do sleep 1; done"]
EOF
settle
kubectl get pod lifecycle-demo
kubectl exec -it lifecycle-demo -- cat /usr/share/message
kubectl run hookfail --image=busybox:1.37 --overrides='{"spec":{"containers":[{"name":"hookfail","image":"busybox:1.37","command":["sleep","3600"],"lifecycle":{"postStart":{"exec":{"command":["sh","-c","exit 3"]}}}}]}}'
settle
kubectl get events --field-selector reason=FailedPostStartHook -o custom-columns=REASON:.reason,MESSAGE:.message
