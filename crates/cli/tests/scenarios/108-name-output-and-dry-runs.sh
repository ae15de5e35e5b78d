# Write commands with -o name print resource/name only (so their output feeds another
# kubectl); patch, scale, delete, taint, cordon, expose and rollout's dry runs change nothing
# and say so; flag errors name the subcommand; logs of a workload with several pods say which.
kubectl create -f https://k8s.io/examples/application/nginx-app.yaml -o name
kubectl get $(kubectl get -f https://k8s.io/examples/application/nginx-app.yaml -o name | grep service/)
kubectl scale deployment my-nginx --replicas=2 -o name
kubectl run p --image=nginx --labels=app=p -o name
kubectl expose pod p --port=80 -o name
kubectl rollout restart deployment my-nginx -o name
kubectl patch deployment my-nginx -p '{"spec":{"replicas":3}}' -o name
kubectl delete pod p -o name
kubectl patch deployment my-nginx -p '{"spec":{"replicas":5}}' --dry-run=server
kubectl patch deployment my-nginx -p '{"spec":{"replicas":5}}' --dry-run=client -o jsonpath='{.spec.replicas}'
kubectl scale deployment my-nginx --replicas=6 --dry-run=client
kubectl delete deployment my-nginx --dry-run=server
kubectl delete service my-nginx-svc --dry-run=client -o name
kubectl taint node k3s-server a=b:NoSchedule --dry-run=server
kubectl cordon k3s-server --dry-run=server
kubectl expose deployment my-nginx --name=web --port=8080 --dry-run=client -o yaml
kubectl expose deployment my-nginx --name=web --port=8080 --dry-run=server
kubectl rollout pause deployment my-nginx --dry-run=server
kubectl delete deployment my-nginx --dry-run=later
sleep 30s
kubectl get deployment,service
kubectl get nodes
kubectl logs deployment/my-nginx --tail=1
kubectl create deployment x --image=nginx --bogus
kubectl create secret generic s --bogus
kubectl rollout status deployment/my-nginx --bogus
kubectl config use x --bogus
kubectl rollout history deployment/my-nginx --revision=9
# A drain's dry run cordons and evicts nothing; a forced delete's -o name is the name alone.
kubectl drain k3s-server --ignore-daemonsets --dry-run=server
kubectl get nodes
kubectl run q --image=nginx
kubectl delete pod q --force --grace-period=0 -o name
