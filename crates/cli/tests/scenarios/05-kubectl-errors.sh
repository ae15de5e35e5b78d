# kubectl's own error texts.
kubectl get deploymentz
kubectl get deployment nope
kubectl get pods nope other
kubectl describe deploy nope
kubectl delete deploy nope
kubectl delete deploy nope --ignore-not-found
kubectl delete pods
kubectl get pods --bogus
kubectl gt pods
kubectl apply
kubectl apply -f missing.yaml
kubectl get pods -o yml
kubectl get
kubectl create configmap dup
kubectl create configmap dup
