# kubectl create ingress: rules, Prefix (`*`) and Exact paths, TLS, classes; traffic through Traefik.
kubectl create deployment web --image=gcr.io/google-samples/hello-app:1.0
kubectl expose deployment web --port=8080
kubectl create deployment web2 --image=gcr.io/google-samples/hello-app:2.0
kubectl expose deployment web2 --port=8080
kubectl create ingress example --rule="hello-world.example/*=web:8080" --rule="hello-world.example/v2=web2:8080"
kubectl get ingress example -o yaml
kubectl get ingress
settle
curl --resolve "hello-world.example:80:10.0.0.2" http://hello-world.example/
curl --resolve "hello-world.example:80:10.0.0.2" http://hello-world.example/v2
kubectl create ingress secure --class=traefik --rule="foo.com/bar=web:8080,tls=my-cert" --annotation=team=a
kubectl get ingress secure -o jsonpath='{.spec}'
kubectl create ingress broken --rule="foo.com/bar"
kubectl create ingress empty
kubectl describe ingress example
kubectl describe ingress secure
