# "Use Port Forwarding to Access Applications in a Cluster": MongoDB's pod, Deployment,
# ReplicaSet and Service forwarded to a local port; the port translations and errors.
kubectl apply -f https://k8s.io/examples/application/mongodb/mongo-deployment.yaml
kubectl apply -f https://k8s.io/examples/application/mongodb/mongo-service.yaml
kubectl rollout status deployment/mongo
kubectl get service mongo
POD=$(kubectl get pods -l app.kubernetes.io/name=mongo -o jsonpath='{.items[0].metadata.name}')
kubectl get pod $POD --template='{{(index (index .spec.containers 0).ports 0).containerPort}}{{"\n"}}'
# In the foreground, as the docs type them (each one ended with Ctrl-C before the next).
kubectl port-forward $POD 28015:27017
kubectl port-forward pods/$POD 28015:27017
kubectl port-forward deployment/mongo 28015:27017
RS=$(kubectl get rs -l app.kubernetes.io/name=mongo -o jsonpath='{.items[0].metadata.name}')
kubectl port-forward replicaset/$RS 28015:27017
kubectl port-forward service/mongo 28015:27017
kubectl port-forward deployment/mongo :27017
# In the background, as jobs.
kubectl port-forward service/mongo 28016:27017 &
kubectl port-forward deployment/mongo :27017 &
jobs
kill %1
jobs
kill %2 %7
jobs
kubectl port-forward svc/kubernetes 6443:443
# A web server through a forwarded Service port that targets a named container port.
kubectl create deployment web --image=nginx --port=80
kubectl patch deployment web --type=json -p '[{"op":"add","path":"/spec/template/spec/containers/0/ports/0/name","value":"http"}]'
kubectl create service clusterip web --tcp=8080:http
kubectl port-forward svc/web 8080
kubectl rollout status deployment/web
settle
kubectl port-forward svc/web 8080 &
curl -s localhost:8080 | grep title
curl -s http://127.0.0.1:8080/missing | grep title
kubectl port-forward svc/web 8080 &
kubectl port-forward svc/web 9000:8080 9001:8080 &
kubectl port-forward svc/web 9002:80 &
kubectl port-forward svc/web 9002:web &
kubectl port-forward deploy/web 9003:http &
kubectl port-forward deploy/web 9004:https &
kubectl create service clusterip bad --tcp=80:Web_Port
kubectl port-forward deploy/web 70000:80
kubectl port-forward deploy/web 9005:0
# Nothing listens on the pod's port 81: the connection fails and kubectl gives up.
kubectl port-forward deploy/web 9006:81 &
curl -s localhost:9006
curl localhost:9006
# The forward streams to one pod: when that pod goes, the next connection ends it.
kubectl delete pod -l app=web
jobs
curl localhost:9003
curl localhost:9003
jobs
curl localhost:9999
# `&` ends a background command on a line of several.
kubectl rollout status deployment/web
kubectl port-forward deploy/web 9010:80 & curl -s localhost:9010 | grep title
kill %% && jobs
