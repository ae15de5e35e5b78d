# Interactive shells, as the docs use them: "Get a Shell to a Running Container",
# "Configure a Security Context", "Share Process Namespace between Containers" and "Debug
# Services". After `kubectl exec -it POD -- sh` (or `kubectl run -it`) the next lines go
# to the container's shell, at its prompt, until `exit`; the shell keeps its directory and
# variables between lines, and `ls` lists in columns on the terminal.
kubectl apply -f https://k8s.io/examples/application/shell-demo.yaml
settle
kubectl get pod shell-demo
kubectl exec --stdin --tty shell-demo -- /bin/bash
ls /
ls / | head -3
echo 'Hello shell demo' > /usr/share/nginx/html/index.html
curl http://localhost/
cd /usr/share/nginx/html
pwd
ls
GREETING=hello
echo $GREETING from $(pwd)
cd
pwd
cat nope
nope
exit
kubectl exec shell-demo -- cat /usr/share/nginx/html/index.html
# An ephemeral debugging container ends with its shell; the pod restarts its own
# containers, not this one, and kubectl says so.
kubectl debug -it shell-demo --image=busybox:1.28 --target=nginx --profile=general -c debugger
ps
exit
kubectl get pod shell-demo -o jsonpath='{.status.ephemeralContainerStatuses[0].state}{"\n"}'
kubectl apply -f https://k8s.io/examples/pods/security/security-context.yaml
settle
kubectl exec -it security-context-demo -- sh
ps
cd /data
ls -l
cd demo
echo hello > testfile
ls -l
id
exit
kubectl apply -f https://k8s.io/examples/pods/share-process-namespace.yaml
settle
kubectl exec -it nginx -c shell -- /bin/sh
ps ax
head -2 /proc/7/root/etc/nginx/nginx.conf
exit 1
kubectl create deployment hostnames --image=registry.k8s.io/serve_hostname --replicas=2
kubectl expose deployment hostnames --port=80 --target-port=9376
settle
kubectl run -it --rm --restart=Never busybox --image=gcr.io/google-containers/busybox sh
nslookup hostnames
wget -qO- hostnames
echo
cat <<EOF > /tmp/names
hostnames
kubernetes.default
EOF
for n in $(cat /tmp/names); do nslookup $n | tail -1; done
false
exit
kubectl get pods -l run=busybox
# kubeplay's own `settle` still runs the cluster from inside a session.
kubectl run -it keeper --image=busybox:1.36
sleep 2
settle
exit
# A subshell keeps its directory, variables and exit to itself; dash numbers its errors by
# line; `sleep` lets the cluster's clock run and is the shell's last status.
kubectl exec -it shell-demo -- sh
(cd /tmp; X=2; exit 5)
echo "status $? in $(pwd) X=$X"
nope
wc -l /nope
sleep 3
echo $?
exit
# `kubectl exec -it` gives the program a terminal: ls lists in columns.
kubectl exec -it shell-demo -- ls /
kubectl exec shell-demo -- ls / | head -3
# A server that ends on SIGTERM takes the session's shell with it.
kubectl apply -f https://k8s.io/examples/pods/storage/redis.yaml
settle
kubectl exec -it redis -- /bin/bash
echo Hello > /data/redis/test-file
kill 1
kubectl get pod redis
settle
kubectl exec -it redis -- cat /data/redis/test-file
