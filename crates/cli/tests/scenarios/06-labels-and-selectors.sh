# Labels, annotations, and equality- and set-based selectors.
kubectl create configmap a --from-literal=k=v
kubectl create configmap b --from-literal=k=v
kubectl create configmap c --from-literal=k=v
kubectl label cm a env=prod tier=web
kubectl label cm b env=staging tier=web
kubectl label cm c env=dev
kubectl label cm a env=dev
kubectl label cm a env=dev --overwrite
kubectl label cm a env=dev
kubectl get cm -l tier=web
kubectl get cm -l 'env in (dev,staging)'
kubectl get cm -l 'env notin (dev)'
kubectl get cm -l '!tier'
kubectl get cm -l tier,env!=staging --show-labels
kubectl get cm --field-selector metadata.name=b
kubectl label cm b tier-
kubectl annotate cm c note='hello world'
kubectl get cm c -o jsonpath='{.metadata.annotations.note}{"\n"}'
kubectl get cm -o jsonpath='{range .items[*]}{.metadata.name}{" "}{.metadata.labels.env}{"\n"}{end}'
kubectl delete cm -l env=dev
kubectl get cm
