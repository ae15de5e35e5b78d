# nodes: 3
# k3s ServiceLB: each LoadBalancer Service runs a svclb DaemonSet in kube-system whose pods
# hold the Service's ports as hostPorts; EXTERNAL-IP lists the nodes where that pod is
# ready. Port 80 is Traefik's, so a second LoadBalancer on 80 stays <pending> with its
# svclb pods Pending. A node that stops leaves the list once its svclb pod is not ready;
# deleting the Service (or changing its type) removes the DaemonSet and the finalizer.
kubectl get ds -n kube-system
kubectl create deployment web --image=traefik/whoami --replicas=2 --port=80
kubectl expose deployment web --type=LoadBalancer --port=8080 --target-port=80 --name=web-lb
kubectl get svc web-lb
settle
kubectl get svc web-lb
kubectl get pods -n kube-system -l svccontroller.k3s.cattle.io/svcname=web-lb -o wide
kubectl describe svc web-lb
kubectl get svc web-lb -o jsonpath='{.metadata.finalizers}{"\n"}{.status.loadBalancer}{"\n"}'
curl http://10.0.0.3:8080/ | grep -c Hostname
kubectl expose deployment web --type=LoadBalancer --port=80 --name=web-80
settle
kubectl get svc web-80
kubectl get pods -n kube-system -l svccontroller.k3s.cattle.io/svcname=web-80
kubectl describe pods -n kube-system -l svccontroller.k3s.cattle.io/svcname=web-80 | grep FailedScheduling | head -1
why svc/web-80
kubectl get ds -n kube-system
fault stop-node k3s-agent-2
sleep 60s
kubectl get svc web-lb
curl http://10.0.0.4:8080/
kubectl delete svc web-80
kubectl patch svc web-lb -p '{"spec":{"type":"ClusterIP"}}'
kubectl get ds -n kube-system
kubectl get svc web-lb -o jsonpath='{.metadata.finalizers}{"\n"}{.status}{"\n"}'
kubectl describe svc web-lb | tail -9
kubectl run b --image=busybox -- sleep 3600
settle
kubectl exec b -- wget -O- http://web-lb:8080/
kubectl create ingress who --rule="who.example/*=web-lb:8080"
settle
curl -H 'Host: who.example' -H 'X-Request-Source: docs' http://10.0.0.2/
