# "Use Port Forwarding to Access Applications in a Cluster": MongoDB's pod, Deployment,
# ReplicaSet and Service forwarded to a local port; the port translations and errors.
kubectl apply -f https://k8s.io/examples/application/mongodb/mongo-deployment.yaml
kubectl apply -f https://k8s.io/examples/application/mongodb/mongo-service.yaml
kubectl rollout status deployment/mongo
kubectl get service mongo
POD=$(kubectl get pods -l app.kubernetes.io/name=mongo -o jsonpath='{.items[0].metadata.name}')
kubectl get pod $POD --template='{{(index (index .spec.containers 0).ports 0).containerPort}}{{"\n"}}'
kubectl port-forward $POD 28015:27017 &
kubectl port-forward pods/$POD 28016:27017 &
kubectl port-forward deployment/mongo 28017:27017 &
RS=$(kubectl get rs -l app.kubernetes.io/name=mongo -o jsonpath='{.items[0].metadata.name}')
kubectl port-forward replicaset/$RS 28018:27017 &
kubectl port-forward service/mongo 28019:27017 &
kubectl port-forward deployment/mongo :27017 &
jobs
kill %1
kill %2 %3 %4 %5 %6
jobs
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
# The forward streams to one pod: when that pod goes, connections are refused.
kubectl delete pod -l app=web
curl localhost:9003
jobs
curl localhost:9999
