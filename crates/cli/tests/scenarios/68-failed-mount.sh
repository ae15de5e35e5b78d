# A pod whose Secret or ConfigMap volume is missing waits in ContainerCreating with
# FailedMount events (retried 0.5 s, 1 s, 2 s, ... up to 2 min 2 s) and no IP, then starts
# once the object exists. An optional volume does not wait.
kubectl apply -f - <<YAML
apiVersion: v1
kind: Pod
metadata:
  name: sp
spec:
  containers:
  - name: c
    image: nginx
    volumeMounts:
    - {name: s, mountPath: /etc/s}
    - {name: cm, mountPath: /etc/cm}
  volumes:
  - name: s
    secret:
      secretName: creds
  - name: cm
    configMap:
      name: settings
---
apiVersion: v1
kind: Pod
metadata:
  name: opt
spec:
  containers:
  - name: c
    image: nginx
    volumeMounts:
    - {name: s, mountPath: /etc/s}
  volumes:
  - name: s
    secret:
      secretName: nothing
      optional: true
YAML
sleep 20
kubectl get pods -o wide
kubectl describe pod sp | grep -A3 -E '^(Status|IP|Conditions):'
kubectl get events --field-selector involvedObject.name=sp
kubectl create secret generic creds --from-literal=user=admin
sleep 70
kubectl get pod sp
kubectl get events --field-selector involvedObject.name=sp,reason=FailedMount
kubectl create configmap settings --from-literal=mode=fast
sleep 130
kubectl get pod sp
kubectl exec sp -- cat /etc/s/user /etc/cm/mode
# A projected volume reports all its missing sources at once.
kubectl apply -f https://k8s.io/examples/pods/storage/projected.yaml
sleep 10
kubectl describe pod test-projected-volume | grep FailedMount
kubectl create secret generic user --from-literal=username=admin
kubectl create secret generic pass --from-literal=password=1f2d1e2e67df
sleep 60
kubectl exec test-projected-volume -- ls /projected-volume/
