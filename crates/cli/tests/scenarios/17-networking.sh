# Traffic: DNS and wget from a pod, curl to a NodePort, the spread over endpoints, Traefik
# ingress by host (404, 503), and ServiceLB port conflicts with Traefik.
kubectl create deployment web --image=traefik/whoami --replicas=3 --port=80
kubectl expose deployment web --port=80 --type=NodePort
kubectl create deployment hello --image=nginx:1.25
kubectl expose deployment hello --port=80
settle
kubectl get svc -A
kubectl run box --image=busybox -- sleep 3600
settle
kubectl exec box -- nslookup web
kubectl exec box -- wget -qO- http://hello
kubectl exec box -- wget -qO- http://nope
kubectl exec box -- curl http://hello
kubectl exec deploy/hello -- curl -s hello.default.svc.cluster.local -o /dev/null -w '%{http_code}\n'
kubectl get svc web -o jsonpath={.spec.ports[0].nodePort}
NODE_PORT=$(kubectl get svc web -o jsonpath={.spec.ports[0].nodePort})
curl http://10.0.0.2:$NODE_PORT
traffic -n 300 http://10.0.0.2:$NODE_PORT
kubectl apply -f - <<EOF
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: site
spec:
  rules:
  - host: hello.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: hello
            port:
              number: 80
  - host: whoami.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: web
            port:
              number: 80
EOF
settle
kubectl get ingress
curl -s -H 'Host: hello.example.com' http://10.0.0.2/ -o /dev/null -w '%{http_code}\n'
curl -H 'Host: other.example.com' http://10.0.0.2/
curl http://10.43.0.1
kubectl scale deploy hello --replicas=0
settle
curl -H 'Host: hello.example.com' http://10.0.0.2/
kubectl create service loadbalancer lb --tcp=80:80
settle
kubectl get svc lb
kubectl create service loadbalancer lb2 --tcp=8080:80
settle
kubectl get svc lb2
kubectl create deployment web2 --image=traefik/whoami --replicas=2
kubectl create service clusterip web2 --tcp=80:8080
kubectl create ingress web2 --rule="startup.example.com/*=web2:80"
settle
curl -s -H 'Host: startup.example.com' http://10.0.0.2/
curl -s -o /dev/null -w '%{http_code}\n' -H 'Host: startup.example.com' http://10.0.0.2/
# The Service web behind its EndpointSlice and Endpoints, as kubectl describes them.
kubectl describe endpointslice web | grep -v "^  - Addresses\|TargetRef"
kubectl describe endpoints hello
# HTTPS to a NodePort Service without endpoints: kube-proxy refuses it before any handshake.
kubectl create service nodeport empty --tcp=443:443 --node-port=30999
curl -k https://10.0.0.2:30999
