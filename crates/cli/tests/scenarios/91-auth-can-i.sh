# kubectl auth whoami and can-i: the admin (system:masters) may do anything; --as and
# --as-group are answered by the RBAC authorizer over the cluster's roles and bindings
# (Role and ClusterRole, users, groups and service accounts, subresources and resource
# names, non-resource URLs), exit 1 for "no"; a binding to an unmodelled built-in role says
# so; impersonation on other commands is refused; kubectl create serviceaccount.
kubectl auth whoami
kubectl auth can-i create deployments --namespace dev
kubectl create namespace dev
kubectl create role pod-reader --verb=get,list,watch --resource=pods -n dev
kubectl create rolebinding read-pods --role=pod-reader --user=jane -n dev
kubectl auth can-i list pods -n dev --as jane
echo "exit $?"
kubectl auth can-i list pods --as jane
echo "exit $?"
kubectl auth can-i delete pods -n dev --as jane
kubectl auth can-i get pods/log -n dev --as jane
kubectl auth can-i get pods --subresource=log -n dev --as jane
kubectl auth can-i list widgets -n dev --as jane
kubectl auth can-i list foo.example.com -n dev --as jane
kubectl create serviceaccount bot -n dev
kubectl create rolebinding bot-view --clusterrole=view --serviceaccount=dev:bot -n dev
kubectl auth can-i list pods -n dev --as system:serviceaccount:dev:bot
kubectl create clusterrolebinding bot-admin --clusterrole=cluster-admin --serviceaccount=dev:bot
kubectl auth can-i delete nodes --as system:serviceaccount:dev:bot
kubectl auth whoami --as system:serviceaccount:dev:bot
kubectl auth can-i -q get pods -n dev --as jane; echo "exit $?"
kubectl get pods --as jane
kubectl auth can-i --list --as jane
kubectl auth can-i get
kubectl auth reconcile -f x.yaml
kubectl create clusterrole log-reader --verb=get --non-resource-url=/logs/*
kubectl create clusterrolebinding logs --clusterrole=log-reader --group=ops
kubectl auth can-i get /logs/kube.log --as bob --as-group ops
kubectl auth can-i get /healthz --as bob --as-group ops
kubectl auth can-i get /metrics --as bob
kubectl auth can-i get /healthz --as system:anonymous
kubectl auth can-i list nodes --as bob
kubectl auth can-i list nodes -A --as bob
kubectl auth can-i impersonate users
kubectl auth can-i get pods --as-group ops
kubectl create clusterrolebinding bob-nodes --clusterrole=system:node-reader --user=bob
kubectl auth can-i list nodes --as bob
kubectl create role one-pod --verb=get --resource=pods --resource-name=web -n dev
kubectl create rolebinding one --role=one-pod --user=amy -n dev
kubectl auth can-i get pods/web -n dev --as amy
kubectl auth can-i get pods/db -n dev --as amy
kubectl auth can-i get pods -n dev --as amy
kubectl create serviceaccount ci --dry-run=client -o yaml
kubectl get sa -n dev
