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
