# nodes: 3
# why (kubeplay's own): the scheduler's per-node verdicts and scores, a pod's trouble, and a
# Service's selector against the pods' labels.
kubectl create deployment web --image=nginx --replicas=3
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: hungry
spec:
  containers:
  - name: c
    image: nginx
    resources:
      requests:
        cpu: "3"
EOF
kubectl create service clusterip front --tcp=80:80
kubectl run bad --image=ngnix
settle
why pod/hungry
POD=$(kubectl get pods -l app=web -o jsonpath='{.items[0].metadata.name}')
why pod/$POD
why pod bad
why svc/front
kubectl expose deployment web --port=80
why svc/web
why deploy/web
why pod/nope
why
