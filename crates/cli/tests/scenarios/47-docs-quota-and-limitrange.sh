# "Configure Memory and CPU Quotas for a Namespace", replayed.
kubectl create namespace quota-mem-cpu-example
kubectl apply -f https://k8s.io/examples/admin/resource/quota-mem-cpu.yaml --namespace=quota-mem-cpu-example
kubectl get resourcequota mem-cpu-demo --namespace=quota-mem-cpu-example --output=yaml
kubectl apply -f https://k8s.io/examples/admin/resource/quota-mem-cpu-pod.yaml --namespace=quota-mem-cpu-example
settle
kubectl get pod quota-mem-cpu-demo --namespace=quota-mem-cpu-example
kubectl get resourcequota mem-cpu-demo --namespace=quota-mem-cpu-example --output=yaml
kubectl get resourcequota mem-cpu-demo --namespace=quota-mem-cpu-example -o jsonpath='{ .status.used }'
echo
kubectl apply -f https://k8s.io/examples/admin/resource/quota-mem-cpu-pod-2.yaml --namespace=quota-mem-cpu-example
kubectl get resourcequota -n quota-mem-cpu-example
kubectl describe resourcequota mem-cpu-demo -n quota-mem-cpu-example
kubectl run bare --image=nginx -n quota-mem-cpu-example
kubectl describe namespace quota-mem-cpu-example
kubectl delete namespace quota-mem-cpu-example
# "Configure a Pod Quota for a Namespace".
kubectl create namespace quota-pod-example
kubectl apply -f https://k8s.io/examples/admin/resource/quota-pod.yaml --namespace=quota-pod-example
kubectl get resourcequota pod-demo --namespace=quota-pod-example --output=yaml
kubectl apply -f https://k8s.io/examples/admin/resource/quota-pod-deployment.yaml --namespace=quota-pod-example
settle
kubectl get deployment pod-quota-demo --namespace=quota-pod-example
kubectl get pods --namespace=quota-pod-example --no-headers | grep -c Running
kubectl get events -n quota-pod-example --field-selector reason=FailedCreate -o custom-columns=REASON:.reason,MESSAGE:.message | head -2
kubectl get deployment pod-quota-demo --namespace=quota-pod-example --output=yaml | grep -B2 -A5 "type: ReplicaFailure"
kubectl create quota small --hard=configmaps=1 -n quota-pod-example
kubectl create configmap a --from-literal=x=1 -n quota-pod-example
kubectl get quota -n quota-pod-example
# "Configure Default Memory Requests and Limits for a Namespace".
kubectl create namespace default-mem-example
kubectl apply -f https://k8s.io/examples/admin/resource/memory-defaults.yaml --namespace=default-mem-example
kubectl apply -f https://k8s.io/examples/admin/resource/memory-defaults-pod.yaml --namespace=default-mem-example
kubectl get pod default-mem-demo --output=jsonpath='{.spec.containers[0].resources}' --namespace=default-mem-example
echo
kubectl get pod default-mem-demo -o jsonpath='{.metadata.annotations}' --namespace=default-mem-example
echo
kubectl apply -f https://k8s.io/examples/admin/resource/memory-defaults-pod-2.yaml --namespace=default-mem-example
kubectl get pod default-mem-demo-2 --output=jsonpath='{.spec.containers[0].resources}' --namespace=default-mem-example
echo
kubectl apply -f https://k8s.io/examples/admin/resource/memory-defaults-pod-3.yaml --namespace=default-mem-example
kubectl get pod default-mem-demo-3 --output=jsonpath='{.spec.containers[0].resources}' --namespace=default-mem-example
echo
kubectl get limitrange -n default-mem-example
# "Configure Default CPU Requests and Limits for a Namespace".
kubectl create namespace default-cpu-example
kubectl apply -f https://k8s.io/examples/admin/resource/cpu-defaults.yaml --namespace=default-cpu-example
kubectl apply -f https://k8s.io/examples/admin/resource/cpu-defaults-pod.yaml --namespace=default-cpu-example
kubectl get pod default-cpu-demo --output=jsonpath='{.spec.containers[0].resources}' --namespace=default-cpu-example
echo
kubectl apply -f https://k8s.io/examples/admin/resource/cpu-defaults-pod-3.yaml --namespace=default-cpu-example
kubectl get pod default-cpu-demo-3 --output=jsonpath='{.spec.containers[0].resources}' --namespace=default-cpu-example
echo
# "Configure Minimum and Maximum Memory Constraints for a Namespace".
kubectl create namespace constraints-mem-example
kubectl apply -f https://k8s.io/examples/admin/resource/memory-constraints.yaml --namespace=constraints-mem-example
kubectl get limitrange mem-min-max-demo-lr --namespace=constraints-mem-example --output=yaml
kubectl describe limitrange mem-min-max-demo-lr --namespace=constraints-mem-example
kubectl apply -f https://k8s.io/examples/admin/resource/memory-constraints-pod.yaml --namespace=constraints-mem-example
kubectl apply -f https://k8s.io/examples/admin/resource/memory-constraints-pod-2.yaml --namespace=constraints-mem-example
kubectl apply -f https://k8s.io/examples/admin/resource/memory-constraints-pod-3.yaml --namespace=constraints-mem-example
kubectl apply -f https://k8s.io/examples/admin/resource/memory-constraints-pod-4.yaml --namespace=constraints-mem-example
kubectl get pod constraints-mem-demo-4 --namespace=constraints-mem-example --output=jsonpath='{.spec.containers[0].resources}'
echo
kubectl describe namespace constraints-mem-example
