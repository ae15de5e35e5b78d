# Docs walkthrough idioms: the kube-system components a k3s cluster runs, DNS from a
# throwaway busybox pod (the docs' 1.28 output and a newer busybox's), for loops over
# StatefulSet-style names, command lists, and decoding a Secret with base64.
kubectl get pods -A
kubectl get services kube-dns --namespace=kube-system
kubectl get pods --namespace=kube-system -l k8s-app=kube-dns
kubectl create deployment web --image=nginx --replicas=2 && kubectl expose deployment web --port=80
settle
kubectl run -i --rm --image=busybox:1.28 dns-test --restart=Never -- nslookup web
kubectl run -i --rm --image=busybox dns-test --restart=Never -- nslookup nowhere
for i in 1 2; do kubectl run "box-$i" --image=busybox:1.28 --restart=Never -- sh -c 'nslookup kubernetes.default'; done
settle
for i in $(seq 2); do kubectl logs box-$i | tail -1; done
kubectl get pod nope || echo "no pod called nope"
kubectl create secret generic db-user-pass --from-literal=username=admin --from-literal=password='S!B\*d$zDsb='
kubectl get secret db-user-pass -o jsonpath='{.data.password}' | base64 --decode
echo
echo -n admin | base64
while true; do kubectl get pods; done
# A script that never ends is stopped, and says so.
kubectl run spinner --image=busybox:1.37 -- sleep 3600
settle
kubectl exec spinner -- sh -c "i=0; while true; do i=\$((i+1)); done; echo \$i"
