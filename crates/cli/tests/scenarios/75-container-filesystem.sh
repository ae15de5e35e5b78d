# What a container shows of itself: the image's top-level directories (`ls /`), its working
# directory (`pwd`), who it runs as (`id` by securityContext), and the programs the image has
# (Debian's slim nginx has no `ps`). Directories whose image files are not modelled say so.
kubectl apply -f https://k8s.io/examples/application/shell-demo.yaml
kubectl apply -f https://k8s.io/examples/pods/security/security-context.yaml
kubectl run bb --image=busybox:1.36 -- sleep 3600
kubectl run r --image=redis:7
settle
kubectl exec shell-demo -- ls /
kubectl exec shell-demo -- pwd
kubectl exec shell-demo -- ps aux
kubectl exec shell-demo -- ls /etc
kubectl exec shell-demo -- ls /usr/share/nginx/html
kubectl exec bb -- ls /
kubectl exec bb -- ls /tmp
kubectl exec bb -- id
kubectl exec bb -- sh -c 'cd /tmp && pwd && touch x && ls'
kubectl exec security-context-demo -- id
kubectl exec security-context-demo -- whoami
kubectl exec security-context-demo -- sh -c 'id; ls /data'
kubectl exec r -- pwd
kubectl exec r -- ls /
# The downward API's annotations file holds the kubelet's own two annotations of the pod too.
kubectl apply -f https://k8s.io/examples/pods/inject/dapi-volume.yaml
settle
kubectl exec kubernetes-downwardapi-volume-example -- cat /etc/podinfo/annotations | grep kubernetes.io/config
