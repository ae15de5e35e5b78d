# kubectl label/annotate messages (pkg/cmd/label, pkg/cmd/annotate), scale preconditions,
# force deletion, version --client and config view --minify, as kubectl 1.35 prints them.
kubectl run p --image=nginx --labels=a=b,c=d
kubectl label pod p a-
kubectl label pod p zz-
kubectl label pod p c- e=f
kubectl label pods p --list
kubectl label pod p e=g
kubectl label pod p e=g x-
kubectl label pod p e=g --overwrite
kubectl label pod p e=g
kubectl label pod p e=h e-
kubectl annotate pod p kubernetes.io/change-cause=a
kubectl annotate pod p kubernetes.io/change-cause=b
kubectl annotate pod p description='my web'
kubectl annotate pod p description='other' owner=me
kubectl annotate pod p description=other --overwrite
kubectl annotate pod p foo-
kubectl annotate pod p --list
kubectl create deployment web --image=nginx --replicas=3
settle
kubectl scale deployment/web --current-replicas=2 --replicas=5
kubectl get deployment web
kubectl scale deployment/web --current-replicas=3 --replicas=2
kubectl scale deployment web --current-replicas=-2 --replicas=2
kubectl delete deploy web --force --grace-period=5
kubectl delete deploy web --now --grace-period=5
kubectl delete pod p --grace-period=0 --force
kubectl get pods -l run=p
kubectl version --client
kubectl version -o xml
kubectl config set-context --current --namespace=dev
kubectl config view --minify | grep namespace:
kubectl config view --minify -o jsonpath='{..namespace}'
echo
kubectl -n default run q --image=nginx
kubectl -n default label pod q env=prod --resource-version=1
