# The Kubernetes docs' Deployment walkthrough: create, rollout status, update, a bad image,
# rollback and history.
kubectl apply -f nginx-deployment.yaml
kubectl get deployments
kubectl rollout status deployment/nginx-deployment
kubectl get deployments
kubectl get rs
kubectl get pods --show-labels
kubectl set image deployment/nginx-deployment nginx=nginx:1.16.1
kubectl rollout status deployment/nginx-deployment
kubectl get rs
kubectl describe deployments
kubectl set image deployment/nginx-deployment nginx=nginx:1.161
sleep 30s
kubectl get rs
kubectl get pods
kubectl rollout history deployment/nginx-deployment
kubectl rollout undo deployment/nginx-deployment
kubectl rollout status deployment/nginx-deployment
kubectl get deployment nginx-deployment
kubectl rollout history deployment/nginx-deployment
kubectl scale deployment/nginx-deployment --replicas=10
settle
kubectl get deploy
kubectl delete deployment nginx-deployment
settle
kubectl get rs,pods
