# "Managing Kubernetes Objects Using Imperative Commands": objects edited before they are
# created (`set selector --local -f -`, `label --local -f -`), and the same verbs on live
# objects named by -f; `kubectl api-versions`; "Configure a Security Context": `ls -l`
# showing the fsGroup's setgid volume and the owner of a file the container wrote.
kubectl create service clusterip my-svc --clusterip="None" -o yaml --dry-run=client | kubectl set selector --local -f - 'environment=qa' -o yaml
kubectl create service clusterip my-svc --clusterip="None" -o yaml --dry-run=client | kubectl set selector --local -f - 'environment=qa' -o yaml | kubectl create -f -
kubectl get svc my-svc -o wide
kubectl create deployment nginx --image=nginx -o yaml --dry-run=client | kubectl label --local -f - environment=qa -o yaml | kubectl create -f -
kubectl get deployment nginx --show-labels
kubectl create service clusterip web --tcp=80:8080 -o yaml --dry-run=client > /tmp/srv.yaml
kubectl create -f /tmp/srv.yaml
kubectl label -f /tmp/srv.yaml tier=frontend
kubectl annotate -f /tmp/srv.yaml owner=team-a -o jsonpath='{.metadata.annotations}{"\n"}'
kubectl set selector -f /tmp/srv.yaml app=web,tier=frontend
kubectl get svc web -o wide --show-labels
kubectl label svc web tier=backend --overwrite --dry-run=client
kubectl get svc web -o jsonpath='{.metadata.labels.tier}{"\n"}'
kubectl set selector svc web 'tier in (frontend,backend)'
kubectl set selector deployment nginx app=other
kubectl set image -f /tmp/srv.yaml --local nginx=nginx:1.27
kubectl label --local svc web a=b
kubectl label --local a=b
kubectl create service clusterip none-at-all
kubectl create service nodeport headless --clusterip=None
kubectl api-versions
kubectl apply -f https://k8s.io/examples/pods/security/security-context.yaml
settle
kubectl exec security-context-demo -- ls -l /data
kubectl exec security-context-demo -- sh -c 'cd /data/demo; echo hello > testfile; ls -l'
kubectl exec security-context-demo -- ls -la /data/demo
kubectl exec security-context-demo -- id
kubectl create secret generic test-secret --from-literal='username=my-app' --from-literal='password=39528$vdg7Jb'
kubectl apply -f https://k8s.io/examples/pods/inject/secret-pod.yaml
settle
kubectl exec secret-test-pod -- ls -l /etc/secret-volume
kubectl exec secret-test-pod -- ls -ld /etc/secret-volume /etc/hostname
kubectl exec secret-test-pod -- ls -l /nowhere
