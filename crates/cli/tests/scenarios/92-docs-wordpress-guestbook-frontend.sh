# Docs tutorials whose images are catalogued: WordPress and MySQL with persistent volumes
# (kustomize secretGenerator, local-path PVCs, the entrypoint's log), the PHP guestbook
# (redis leader and followers, the frontend page), "Connect a Frontend to a Backend Using
# Services" (nginx proxying to the hello Service, 502 once it is gone) and MongoDB.
cat <<EOF >./kustomization.yaml
secretGenerator:
- name: mysql-pass
  literals:
  - password=YOUR_PASSWORD
EOF
curl -LO https://k8s.io/examples/application/wordpress/mysql-deployment.yaml
curl -LO https://k8s.io/examples/application/wordpress/wordpress-deployment.yaml
cat <<EOF >>./kustomization.yaml
resources:
  - mysql-deployment.yaml
  - wordpress-deployment.yaml
EOF
kubectl apply -k ./
kubectl get secrets
sleep 60
kubectl get pvc
kubectl get pods
kubectl get services wordpress
kubectl logs deploy/wordpress
kubectl exec deploy/wordpress -- curl -s -o /dev/null -w "%{http_code}\n" http://wordpress
kubectl run probe --image=busybox:1.37 -- sleep 3600
sleep 5
kubectl delete -k ./
kubectl apply -f https://k8s.io/examples/application/guestbook/redis-leader-deployment.yaml
kubectl apply -f https://k8s.io/examples/application/guestbook/redis-leader-service.yaml
kubectl apply -f https://k8s.io/examples/application/guestbook/redis-follower-deployment.yaml
kubectl apply -f https://k8s.io/examples/application/guestbook/redis-follower-service.yaml
kubectl apply -f https://k8s.io/examples/application/guestbook/frontend-deployment.yaml
kubectl apply -f https://k8s.io/examples/application/guestbook/frontend-service.yaml
sleep 20
kubectl get pods -l app=guestbook -l tier=frontend
kubectl logs deployment/redis-follower
kubectl exec probe -- wget -qO- http://frontend | head -3
kubectl delete deployment -l app=redis
kubectl delete service -l app=redis
kubectl delete deployment frontend
kubectl delete service frontend
kubectl apply -f https://k8s.io/examples/service/access/backend-deployment.yaml
kubectl apply -f https://k8s.io/examples/service/access/backend-service.yaml
kubectl apply -f https://k8s.io/examples/service/access/frontend-deployment.yaml
kubectl apply -f https://k8s.io/examples/service/access/frontend-service.yaml
sleep 20
kubectl get service frontend
kubectl exec probe -- wget -qO- http://frontend
kubectl delete service hello
kubectl exec probe -- wget -qO- http://frontend
kubectl apply -f https://k8s.io/examples/application/mongodb/mongo-deployment.yaml
kubectl apply -f https://k8s.io/examples/application/mongodb/mongo-service.yaml
sleep 20
kubectl get pods -l app.kubernetes.io/name=mongo
kubectl logs deployment/mongo
kubectl get service mongo
POD=$(kubectl get pods -l app.kubernetes.io/name=mongo -o jsonpath='{.items[0].metadata.name}')
kubectl get pod $POD --template='{{(index (index .spec.containers 0).ports 0).containerPort}}{{"\n"}}'

kubectl run typo --image=wordpres
sleep 10
why pod/typo
