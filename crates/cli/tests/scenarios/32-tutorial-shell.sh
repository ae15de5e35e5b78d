# The Kubernetes Basics tutorial's shell steps: variables from go-templates, echo, exec.
kubectl create deployment kubernetes-bootcamp --image=gcr.io/google-samples/kubernetes-bootcamp:v1
settle
export POD_NAME="$(kubectl get pods -o go-template --template '{{range .items}}{{.metadata.name}}{{"\n"}}{{end}}')"
echo "Name of the Pod: $POD_NAME"
kubectl logs "$POD_NAME"
kubectl exec "$POD_NAME" -- env
kubectl expose deployment/kubernetes-bootcamp --type="NodePort" --port 8080
export NODE_PORT="$(kubectl get services/kubernetes-bootcamp -o go-template='{{(index .spec.ports 0).nodePort}}')"
echo "NODE_PORT=$NODE_PORT"
curl http://10.0.0.2:$NODE_PORT
kubectl get pods -o go-template='{{if .items}}yes{{end}}'
echo -n no newline
# Interactive shells: the next lines go to the container's shell, at its prompt, until
# `exit`. Debian-based images have bash (and dash as sh); busybox has ash.
kubectl run n --image=nginx
kubectl run b --image=busybox -- sleep 1000
settle
kubectl exec -it n -- /bin/bash
echo $HOSTNAME
kubectl get pods
exit
kubectl exec -it n -- sh
echo $0
exit
kubectl exec -it b -- sh
nope
exit
echo $?
kubectl exec -i b -- sh
echo no terminal, no prompt
exit
kubectl exec b -- sh
kubectl exec -it b -- bash
kubectl exec n -- bash -c 'echo hi'
