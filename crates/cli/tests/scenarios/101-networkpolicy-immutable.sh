# NetworkPolicies enforced as k3s's controller does on pod-to-pod connections (the docs'
# declare-network-policy walkthrough, namespace selectors, ports, egress); busybox wget --spider;
# immutable ConfigMaps and Secrets, and a Secret's immutable type.
kubectl create deployment nginx --image=nginx
kubectl expose deployment nginx --port=80
sleep 20s
kubectl get svc,pod
kubectl run busybox --rm -ti --image=busybox -- /bin/sh
wget --spider --timeout=1 nginx
exit
kubectl apply -f https://k8s.io/examples/service/networking/nginx-policy.yaml
kubectl run busybox --rm -ti --image=busybox -- /bin/sh
wget --spider --timeout=1 nginx
exit
kubectl run busybox --rm -ti --labels="access=true" --image=busybox -- /bin/sh
wget --spider --timeout=1 nginx
exit
kubectl get networkpolicy
kubectl describe networkpolicy access-nginx
kubectl run busybox --rm -ti --image=busybox --restart=Never -- wget --spider --timeout=1 nginx
kubectl run busybox --rm -ti --labels="access=true" --image=busybox --restart=Never -- wget --spider --timeout=1 nginx
kubectl run busybox2 --image=busybox --restart=Never -- wget --spider --timeout=1 nginx
sleep 10s
kubectl get pods
kubectl logs busybox2
kubectl delete networkpolicy access-nginx
kubectl create namespace other
kubectl label namespace other team=friends
kubectl create deployment web --image=nginx --port=80
kubectl expose deployment web --port=80
kubectl run client -n other --image=busybox --restart=Never --command -- sleep 3600
settle
kubectl exec -n other client -- wget -q -O- --timeout=1 web.default | head -4
kubectl apply -f - <<EOF
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny-ingress
spec:
  podSelector: {}
  policyTypes:
  - Ingress
EOF
kubectl exec -n other client -- wget -q -O- --timeout=1 web.default
kubectl apply -f - <<EOF
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: from-friends
spec:
  podSelector:
    matchLabels:
      app: web
  ingress:
  - from:
    - namespaceSelector:
        matchLabels:
          team: friends
    ports:
    - port: 8080
EOF
kubectl exec -n other client -- wget -q -O- --timeout=1 web.default
kubectl patch netpol from-friends --type=json -p '[{"op":"replace","path":"/spec/ingress/0/ports/0/port","value":80}]'
kubectl exec -n other client -- wget -q -O- --timeout=1 web.default | head -4
kubectl apply -n other -f - <<EOF
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: deny-egress
spec:
  podSelector: {}
  policyTypes:
  - Egress
EOF
kubectl exec -n other client -- wget --timeout=1 -O- web.default
kubectl delete netpol -n other deny-egress
kubectl delete netpol default-deny-ingress from-friends
kubectl exec -n other client -- wget --spider web.default
kubectl create configmap imm --from-literal=a=b
kubectl patch configmap imm -p '{"immutable":true}'
kubectl patch configmap imm -p '{"data":{"a":"c"}}'
kubectl patch configmap imm -p '{"immutable":false}'
kubectl patch configmap imm --type=json -p '[{"op":"remove","path":"/immutable"},{"op":"add","path":"/data/x","value":"y"}]'
kubectl label configmap imm team=a
kubectl get configmap imm -o yaml
kubectl create secret generic s --from-literal=k=v
kubectl patch secret s -p '{"immutable":true}'
kubectl patch secret s -p '{"stringData":{"k":"w"}}'
kubectl patch secret s -p '{"type":"kubernetes.io/tls"}'
kubectl create secret generic s2 --from-literal=k=v
kubectl patch secret s2 -p '{"type":"kubernetes.io/tls"}'
