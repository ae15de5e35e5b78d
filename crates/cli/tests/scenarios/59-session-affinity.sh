# sessionAffinity: ClientIP: kube-proxy keeps sending a client to the endpoint it chose,
# until timeoutSeconds pass without a request; without it, each connection picks anew.
kubectl create deployment web --image=traefik/whoami --replicas=3
kubectl expose deployment web --port=80 --type=NodePort --node-port=30080
kubectl create service nodeport web --tcp=80 --node-port=30081
settle
traffic -n 30 http://10.0.0.2:30081/
kubectl patch svc web -p '{"spec":{"sessionAffinity":"ClientIP","sessionAffinityConfig":{"clientIP":{"timeoutSeconds":60}}}}'
traffic -n 30 http://10.0.0.2:30081/
kubectl get svc web -o jsonpath='{.spec.sessionAffinity} {.spec.sessionAffinityConfig.clientIP.timeoutSeconds}{"\n"}'
kubectl describe svc web | grep -i affinity
sleep 61s
traffic -n 30 http://10.0.0.2:30081/
kubectl run b --image=busybox -- sleep 3600
settle
kubectl exec b -- sh -c 'for i in 1 2 3 4 5; do wget -qO- http://web | head -1; done'
