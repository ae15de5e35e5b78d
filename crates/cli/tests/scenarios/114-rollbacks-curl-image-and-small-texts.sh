# DaemonSet rollbacks as kubectl's DaemonSetRollbacker words them, logs --prefix, image
# references containerd cannot use, curlimages/curl's curl, describe's plural Ports, and
# the deprecated boolean --cascade values.
cat <<YAML | kubectl apply -f -
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: ds
spec:
  selector:
    matchLabels:
      app: ds
  template:
    metadata:
      labels:
        app: ds
    spec:
      containers:
      - name: c
        image: nginx:1.25
        ports:
        - containerPort: 80
        - containerPort: 443
YAML
sleep 5s
kubectl rollout undo ds/ds
kubectl set image ds/ds c=nginx:1.26
sleep 10s
kubectl get ds ds -o jsonpath='{.metadata.annotations}{"\n"}'
kubectl rollout undo ds/ds --dry-run=client
kubectl rollout undo ds/ds --to-revision=2
kubectl rollout undo ds/ds
kubectl describe ds ds | head -6
kubectl describe ds ds | grep Port
kubectl create deployment web --image=busybox -- sh -c 'for i in 1 2 3; do echo line $i; done; sleep 3600'
sleep 5s
kubectl logs -l app=web --prefix
kubectl logs deploy/web --prefix=bad
kubectl run bad --image=MyRegistry/app
kubectl run digest --image=busybox@sha256:0123456789abcdef0123456789abcdef
kubectl create secret generic nginxsecret --from-literal=tls.crt=x --from-literal=tls.key=y
kubectl create deployment my-nginx --image=nginx
kubectl expose deployment my-nginx --port=80
kubectl apply -f https://k8s.io/examples/service/networking/curlpod.yaml
kubectl run c1 --image=curlimages/curl
sleep 10s
kubectl get pods bad digest c1
kubectl describe pod digest | tail -2
kubectl exec deploy/curl-deployment -- curl -s http://my-nginx | grep title
kubectl logs c1
kubectl delete deploy web --cascade=false
kubectl delete deploy my-nginx --cascade=true
# An extended resource no node advertises does not fit anywhere.
kubectl apply -f https://k8s.io/examples/pods/resource/extended-resource-pod.yaml
sleep 5s
kubectl get pod extended-resource-demo
kubectl describe pod extended-resource-demo | tail -1
