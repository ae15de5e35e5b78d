# Docs walkthroughs: "Debugging DNS Resolution" (dnsutils is agnhost, whose default
# argument is pause), "Configuring Redis using a ConfigMap" (redis-server with a config
# file waits for its ConfigMap), and a Secret volume's modes written as YAML 1.1 octal.
kubectl apply -f https://k8s.io/examples/admin/dns/dnsutils.yaml
kubectl apply -f https://k8s.io/examples/pods/config/redis-pod.yaml
settle
kubectl get pods dnsutils
kubectl exec -i -t dnsutils -- nslookup kubernetes.default
kubectl get pod redis
kubectl apply -f https://k8s.io/examples/pods/config/example-redis-config.yaml
sleep 130
kubectl get pod redis
kubectl create secret generic mysecret --from-literal=username=admin
kubectl apply -f - <<YAML
apiVersion: v1
kind: Pod
metadata:
  name: mypod
spec:
  containers:
  - name: mypod
    image: redis
    volumeMounts:
    - name: foo
      mountPath: "/etc/foo"
  volumes:
  - name: foo
    secret:
      secretName: mysecret
      defaultMode: 0400
      items:
      - key: username
        path: my-group/my-username
        mode: 0777
YAML
kubectl get pod mypod -o jsonpath='{.spec.volumes[0].secret}{"\n"}'
