# Faults that last: a pod's readiness failed on purpose leaves the Service's endpoints and
# comes back; an image that crashes on start turns a rollout into CrashLoopBackOff until it
# is rolled back and healed.
kubectl create deployment web --image=nginx:1.25 --replicas=2
kubectl expose deployment web --port=80
settle
kubectl get endpoints web
fault unready $(kubectl get pods -l app=web -o jsonpath='{.items[0].metadata.name}')
sleep 2s
kubectl get pods
kubectl get endpoints web
kubectl get events --field-selector reason=Unhealthy
fault ready $(kubectl get pods -l app=web -o jsonpath='{.items[0].metadata.name}')
sleep 2s
kubectl get endpoints web
fault crash-image nginx:1.27
kubectl set image deployment/web nginx=nginx:1.27
sleep 60s
kubectl get pods
kubectl logs $(kubectl get pods -l app=web --field-selector=status.phase=Running -o name | tail -1) | head -3
kubectl rollout undo deployment/web
fault heal-image nginx:1.27
fault heal-image nginx:1.27
kubectl rollout status deployment/web
