# "Configure a Pod to Use a ConfigMap" (kubernetes.io tasks), replayed.
mkdir -p configure-pod-container/configmap/
wget https://kubernetes.io/examples/configmap/game.properties -O configure-pod-container/configmap/game.properties
wget https://kubernetes.io/examples/configmap/ui.properties -O configure-pod-container/configmap/ui.properties
kubectl create configmap game-config --from-file=configure-pod-container/configmap/
kubectl describe configmaps game-config
kubectl get configmaps game-config -o yaml
kubectl create configmap game-config-2 --from-file=configure-pod-container/configmap/game.properties
kubectl create configmap game-config-2 --from-file=configure-pod-container/configmap/game.properties
wget https://kubernetes.io/examples/configmap/game-env-file.properties -O configure-pod-container/configmap/game-env-file.properties
wget https://kubernetes.io/examples/configmap/ui-env-file.properties -O configure-pod-container/configmap/ui-env-file.properties
kubectl create configmap game-config-env-file --from-env-file=configure-pod-container/configmap/game-env-file.properties
kubectl get configmap game-config-env-file -o yaml
kubectl delete configmap config-multi-env-files
kubectl create configmap config-multi-env-files --from-env-file=configure-pod-container/configmap/game-env-file.properties --from-env-file=configure-pod-container/configmap/ui-env-file.properties
kubectl get configmap config-multi-env-files -o yaml
kubectl create configmap game-config-3 --from-file=game-special-key=configure-pod-container/configmap/game.properties
kubectl get configmaps game-config-3 -o yaml
kubectl create configmap special-config --from-literal=special.how=very --from-literal=special.type=charm
kubectl create configmap nope --from-file=configure-pod-container/configmap/missing.properties
kubectl create configmap nope --from-env-file=configure-pod-container/configmap/game.properties --from-literal=a=b
kubectl get configmaps
kubectl delete configmap special-config
kubectl apply -f https://kubernetes.io/examples/configmap/configmaps.yaml
kubectl create -f https://kubernetes.io/examples/pods/pod-single-configmap-env-variable.yaml
settle
kubectl logs dapi-test-pod | grep SPECIAL
kubectl delete pod dapi-test-pod --now
kubectl create -f https://kubernetes.io/examples/pods/pod-multiple-configmap-env-variable.yaml
settle
kubectl logs dapi-test-pod | grep -e SPECIAL -e LOG_LEVEL
kubectl logs dapi-test-pod | grep -E "SPECIAL|LOG_LEVEL"
kubectl delete pod dapi-test-pod --now
kubectl delete configmap special-config
kubectl create -f https://kubernetes.io/examples/configmap/configmap-multikeys.yaml
kubectl create -f https://kubernetes.io/examples/pods/pod-configmap-envFrom.yaml
settle
kubectl logs dapi-test-pod | grep SPECIAL
kubectl delete pod dapi-test-pod --now
kubectl create -f https://kubernetes.io/examples/pods/pod-configmap-env-var-valueFrom.yaml
settle
kubectl logs dapi-test-pod
kubectl get pod dapi-test-pod
kubectl delete pod dapi-test-pod --now
kubectl create -f https://kubernetes.io/examples/pods/pod-configmap-volume.yaml
settle
kubectl logs dapi-test-pod
kubectl delete pod dapi-test-pod --now
kubectl create -f https://kubernetes.io/examples/pods/pod-configmap-volume-specific-key.yaml
settle
kubectl logs dapi-test-pod
