# DNS from the pod's side: dnsPolicy None with dnsConfig (the docs' custom-dns.yaml), dnsConfig
# appended to ClusterFirst, spec.hostname for hostname, and BIND's nslookup in the dnsutils images.
kubectl run dnsutils --image=registry.k8s.io/e2e-test-images/jessie-dnsutils:1.3 --restart=Never --command -- sleep infinity
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: agnhost
spec:
  containers:
  - name: a
    image: registry.k8s.io/e2e-test-images/agnhost:2.39
EOF
sleep 20s
kubectl get pods
kubectl exec -i -t dnsutils -- nslookup kubernetes.default
kubectl exec -ti dnsutils -- cat /etc/resolv.conf
kubectl exec -i -t dnsutils -- nslookup nope
kubectl exec -ti dnsutils -- sh -c 'nslookup kubernetes.default | head -2'
kubectl exec agnhost -- nslookup kubernetes.default
kubectl apply -f https://k8s.io/examples/service/networking/custom-dns.yaml
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: dns-merge
  namespace: default
spec:
  hostname: web-1
  containers:
  - name: test
    image: busybox:1.36
    command: ["sleep", "3600"]
  dnsConfig:
    nameservers:
    - 1.2.3.4
    searches:
    - example.internal
    options:
    - name: ndots
      value: "3"
    - name: timeout
      value: "2"
EOF
sleep 10s
kubectl exec dns-example -- cat /etc/resolv.conf
kubectl exec dns-merge -- cat /etc/resolv.conf
kubectl exec dns-merge -- hostname
kubectl exec dns-merge -- sh -c 'echo $HOSTNAME'
