# The Deployments page's proportional scaling: scaling during a stuck rollout shares the new replicas.
kubectl create deployment nginx-deployment --image=nginx:1.14.2 --replicas=10
kubectl patch deployment nginx-deployment -p '{"spec":{"strategy":{"rollingUpdate":{"maxSurge":3,"maxUnavailable":2}}}}'
settle
kubectl set image deployment/nginx-deployment nginx=nginx:sometag
settle
kubectl get rs
kubectl scale deployment/nginx-deployment --replicas=15
settle
kubectl get deploy
kubectl get rs
kubectl scale deployment/nginx-deployment --replicas=5
settle
kubectl get rs
# History with a change-cause, and a revision's detail; status without watching.
kubectl annotate deployment/nginx-deployment kubernetes.io/change-cause="image updated to sometag"
settle
kubectl rollout history deployment/nginx-deployment
kubectl rollout history deployment/nginx-deployment --revision=2 | head -8
kubectl rollout status deployment/nginx-deployment --watch=false
kubectl rollout status deployment/nginx-deployment --timeout=20s
kubectl rollout pause deployment/nginx-deployment
kubectl rollout pause deployment/nginx-deployment
kubectl set resources deployment/nginx-deployment -c=nginx --limits=cpu=200m,memory=512Mi
