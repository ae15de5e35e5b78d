# "Distribute Credentials Securely Using Secrets", replayed.
echo -n 'my-app' | base64
echo -n '39528$vdg7Jb' | base64
kubectl apply -f https://k8s.io/examples/pods/inject/secret.yaml
kubectl get secret test-secret
kubectl describe secret test-secret
kubectl create secret generic test-secret --from-literal='username=my-app' --from-literal='password=39528$vdg7Jb'
kubectl apply -f https://k8s.io/examples/pods/inject/secret-pod.yaml
settle
kubectl get pod secret-test-pod
kubectl exec secret-test-pod -- ls /etc/secret-volume
kubectl exec secret-test-pod -- sh -c 'echo "$( cat /etc/secret-volume/username )"; echo "$( cat /etc/secret-volume/password )"'
kubectl create secret generic backend-user --from-literal=backend-username='backend-admin'
kubectl create -f https://k8s.io/examples/pods/inject/pod-single-secret-env-variable.yaml
settle
kubectl exec -i -t env-single-secret -- /bin/sh -c 'echo $SECRET_USERNAME'
kubectl create secret generic db-user --from-literal=db-username='db-admin'
kubectl create -f https://k8s.io/examples/pods/inject/pod-multiple-secret-env-variable.yaml
settle
kubectl exec -i -t envvars-multiple-secrets -- /bin/sh -c 'env | grep _USERNAME'
kubectl create secret generic test-secret --from-literal=username='my-app' --from-literal=password='39528$vdg7Jb'
kubectl create -f https://k8s.io/examples/pods/inject/pod-secret-envFrom.yaml
settle
kubectl exec -i -t envfrom-secret -- /bin/sh -c 'echo "username: $username\npassword: $password\n"'
kubectl get secret test-secret -o jsonpath='{.data.password}' | base64 --decode
# "Expose Pod Information to Containers Through Environment Variables", and through files.
kubectl apply -f https://k8s.io/examples/pods/inject/dapi-envars-pod.yaml
settle
kubectl logs dapi-envars-fieldref | head -6
kubectl exec dapi-envars-fieldref -- printenv MY_POD_NAME MY_POD_NAMESPACE
kubectl apply -f https://k8s.io/examples/pods/inject/dapi-envars-container.yaml
settle
kubectl logs dapi-envars-resourcefieldref | head -5
kubectl apply -f https://k8s.io/examples/pods/inject/dapi-volume.yaml
settle
kubectl logs kubernetes-downwardapi-volume-example | head -5
kubectl exec kubernetes-downwardapi-volume-example -- cat /etc/podinfo/labels
echo
kubectl describe pod kubernetes-downwardapi-volume-example | grep -A12 ^Volumes
kubectl apply -f https://k8s.io/examples/pods/inject/dapi-volume-resources.yaml
settle
kubectl exec kubernetes-downwardapi-volume-example-2 -- cat /etc/podinfo/cpu_limit
echo
kubectl apply -f https://k8s.io/examples/pods/inject/dependent-envars.yaml
settle
kubectl get pod dependent-envars-demo
kubectl logs pod/dependent-envars-demo
