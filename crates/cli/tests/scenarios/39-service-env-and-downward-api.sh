# The docs' "Connecting Applications with Services": Service links appear in pods started after
# the Service; the downward API (fieldRef) and a container command printing env vars.
kubectl apply -f https://k8s.io/examples/service/networking/run-my-nginx.yaml
settle
kubectl expose deployment/my-nginx
POD=$(kubectl get pods -l run=my-nginx -o jsonpath='{.items[0].metadata.name}')
kubectl exec $POD -- printenv | grep SERVICE
kubectl scale deployment my-nginx --replicas=0; kubectl scale deployment my-nginx --replicas=2
settle
POD=$(kubectl get pods -l run=my-nginx -o jsonpath='{.items[0].metadata.name}')
kubectl exec $POD -- printenv | grep SERVICE
kubectl apply -f https://k8s.io/examples/pods/commands.yaml
settle
kubectl logs command-demo
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: dapi
  labels: {app: dapi}
spec:
  containers:
  - name: c
    image: busybox
    command: ["sh", "-c", "echo $MY_POD_NAME $MY_POD_NAMESPACE $MY_POD_IP $MY_NODE_NAME $APP; sleep 3600"]
    env:
    - name: MY_POD_NAME
      valueFrom: {fieldRef: {fieldPath: metadata.name}}
    - name: MY_POD_NAMESPACE
      valueFrom: {fieldRef: {fieldPath: metadata.namespace}}
    - name: MY_POD_IP
      valueFrom: {fieldRef: {fieldPath: status.podIP}}
    - name: MY_NODE_NAME
      valueFrom: {fieldRef: {fieldPath: spec.nodeName}}
    - name: APP
      valueFrom: {fieldRef: {fieldPath: "metadata.labels['app']"}}
EOF
settle
kubectl logs dapi
kubectl create secret generic db-auth --from-literal=POSTGRES_PASSWORD=s3cret --from-literal=db-user=app
kubectl create deployment db --image=busybox -- sleep 3600
kubectl set env deployment/db --from=secret/db-auth --prefix=PG_
kubectl set env deployment/db --list
kubectl set env deployment/db --from=secret/missing
settle
kubectl exec deploy/db -- printenv PG_POSTGRES_PASSWORD PG_DB_USER
