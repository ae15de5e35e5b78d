# ResourceQuota scopes (PriorityClass scope selector, BestEffort) count only the pods they
# match; a loop reading a ConfigMap volume logs the new value from its next iteration; a
# preStop hook holds a deleted pod in Terminating until it ends or the grace period (plus
# the kubelet's 2 s extension) runs out; DaemonSet updates record SuccessfulDelete.
kubectl create -f https://k8s.io/examples/policy/quota.yaml
kubectl create priorityclass high --value=1000
kubectl create -f https://k8s.io/examples/policy/high-priority-pod.yaml
kubectl get quota
kubectl create quota best-effort --hard=pods=2 --scopes=BestEffort
kubectl describe quota best-effort
kubectl run be1 --image=nginx
kubectl run be2 --image=nginx
kubectl run be3 --image=nginx
kubectl run burstable --image=nginx --overrides='{"spec":{"containers":[{"name":"c","image":"nginx","resources":{"requests":{"cpu":"100m"}}}]}}'
kubectl describe quota best-effort
kubectl delete pod --all
kubectl delete quota --all
kubectl create configmap sport --from-literal=sport=football
kubectl apply -f https://k8s.io/examples/deployments/deployment-with-configmap-as-volume.yaml
sleep 30s
kubectl logs deployments/configmap-volume
kubectl patch configmap sport -p '{"data":{"sport":"cricket"}}'
sleep 30s
kubectl logs deployments/configmap-volume --tail=4
kubectl delete deployment configmap-volume
kubectl apply -f https://k8s.io/examples/service/pod-with-graceful-termination.yaml
kubectl apply -f https://k8s.io/examples/service/explore-graceful-termination-nginx.yaml
sleep 30s
kubectl delete pod -l app=nginx --wait=false
sleep 60s
kubectl get pods -l app=nginx
sleep 60s
kubectl get pods -l app=nginx
sleep 3s
kubectl get pods -l app=nginx
# A command the nginx image does not have never starts (runc's StartError); one it has runs.
kubectl run nostress --image=nginx --command -- stress --vm 1
kubectl run own --image=nginx --command -- nginx -g "daemon off;"
sleep 5s
kubectl get pods nostress own
kubectl describe pod nostress | grep -A4 "Last State"
# A loop keeps its counter when its ConfigMap changes; a label on the ConfigMap changes nothing.
kubectl create configmap cfg --from-literal=k=one
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: reader
spec:
  containers:
  - name: r
    image: busybox:1.28
    command: ["sh", "-c", "echo starting; i=0; while true; do echo \"\$i \$(cat /cfg/k)\"; i=\$((i+1)); sleep 5; done"]
    volumeMounts:
    - name: cfg
      mountPath: /cfg
  volumes:
  - name: cfg
    configMap:
      name: cfg
EOF
sleep 12s
kubectl label configmap cfg touched=yes
kubectl patch configmap cfg -p '{"data":{"k":"two"}}'
sleep 11s
kubectl logs reader
