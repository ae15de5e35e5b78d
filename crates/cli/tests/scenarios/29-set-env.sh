# kubectl set env: add, change, list and remove variables; each change rolls the Deployment.
kubectl create deployment web --image=nginx:1.25
settle
kubectl set env deployment/web GREETING=hello MODE=dev
kubectl set env deployment/web --list
kubectl set env deployment/web MODE=prod
kubectl set env deployment/web MODE=prod
kubectl set env deployment/web GREETING-
kubectl set env deployment/web --list
settle
kubectl rollout history deployment/web
kubectl get rs
kubectl set env deployment/web -c nope X=1
kubectl set env deployment/nope X=1
kubectl set env deployment/web
kubectl set resources deployment/web --limits=cpu=200m
