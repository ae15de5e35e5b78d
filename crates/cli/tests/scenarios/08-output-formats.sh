# Output formats: wide, name, jsonpath, json, describe, several kinds at once.
kubectl create deployment web --image=nginx:1.25 --replicas=2
kubectl get deploy -o wide
kubectl get deploy web -o name
kubectl get deploy web -o jsonpath='{.spec.template.spec.containers[0].image}'
kubectl get deploy web -o json
kubectl describe deployment web
kubectl get deploy,cm
sleep 150s
kubectl get deploy
sleep 3h
kubectl get deploy
# --sort-by takes a JSONPath (braces optional); strings sort naturally, quantities by size.
kubectl create deployment sorted --image=nginx --replicas=3
settle
kubectl get pods -l app=sorted --sort-by=.metadata.name
kubectl get events --sort-by=.lastTimestamp --field-selector involvedObject.kind=Deployment
kubectl get pods --sort-by=.spec.nope
