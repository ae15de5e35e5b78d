# The Kubernetes Basics tutorial: deploy the bootcamp app, expose it, scale it, update it,
# try a tag that does not exist, and roll back.
kubectl create deployment kubernetes-bootcamp --image=gcr.io/google-samples/kubernetes-bootcamp:v1
kubectl get deployments
settle
kubectl get pods
kubectl logs deployment/kubernetes-bootcamp
kubectl expose deployment/kubernetes-bootcamp --type="NodePort" --port 8080
kubectl get services
kubectl describe services/kubernetes-bootcamp
kubectl get pods -l app=kubernetes-bootcamp
kubectl label pods -l app=kubernetes-bootcamp version=v1
kubectl scale deployments/kubernetes-bootcamp --replicas=4
settle
kubectl get deployments
kubectl get pods -o wide
kubectl set image deployments/kubernetes-bootcamp kubernetes-bootcamp=docker.io/jocatalin/kubernetes-bootcamp:v2
kubectl rollout status deployments/kubernetes-bootcamp
kubectl get pods
kubectl set image deployments/kubernetes-bootcamp kubernetes-bootcamp=gcr.io/google-samples/kubernetes-bootcamp:v10
sleep 30s
kubectl get deployments
kubectl get pods
kubectl rollout undo deployments/kubernetes-bootcamp
settle
kubectl get pods
kubectl describe pods | grep Image:
