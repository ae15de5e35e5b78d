# Go templates as kubectl runs them (text/template with base64decode and exists), KYAML
# output (on by default in 1.35), and create/run printing what the server made with -o.
kubectl create secret generic my-secret --from-literal=username=admin --from-literal=password='s3cr3t'
# The kubectl Quick Reference's secret decoder.
kubectl get secret my-secret -o go-template='{{range $k,$v := .data}}{{"### "}}{{$k}}{{"\n"}}{{$v|base64decode}}{{"\n\n"}}{{end}}'
kubectl get secret my-secret -o go-template='{{.data.password | base64decode}}{{"\n"}}'
kubectl create deployment web --image=nginx --replicas=2
sleep 10s
kubectl get pods -o go-template='{{range .items}}{{if eq .status.phase "Running"}}{{.metadata.name}} {{.status.phase}}{{"\n"}}{{end}}{{end}}'
kubectl get deploy web -o template='{{.spec.replicas}}{{"\n"}}'
kubectl get deploy web --template='{{printf "%s has %v replicas\n" .metadata.name .spec.replicas}}'
kubectl get deploy web -o go-template='{{with .spec.strategy}}{{.type}}{{end}} {{len .spec.template.spec.containers}} {{exists .spec "paused"}}{{"\n"}}'
kubectl get deploy web -o go-template='{{.spec.replicas'
kubectl get deploy web -o go-template='{{range .spec}}'
kubectl get deploy web -o go-template='{{end}}'
kubectl get deploy web -o go-template='{{foo .spec}}'
kubectl get deploy web -o go-template='{{.spec.nope}}{{"\n"}}'
kubectl get secret my-secret -o go-template='{{.data.nope}}' --allow-missing-template-keys=false
kubectl get secret my-secret -o go-template='{{.type | base64decode}}'
kubectl get deploy web -o go-template-file=/nope.tmpl
echo '{{.metadata.name}}{{"\n"}}' > name.tmpl
kubectl get deploy web -o go-template-file=name.tmpl
echo '{.metadata.name}' > name.jsonpath
kubectl get deploy web -o jsonpath-file=name.jsonpath
# KYAML.
kubectl create configmap game --from-literal=game.properties=lives --from-literal=no=yes
kubectl get cm game -o kyaml
kubectl get pods -o yml
kubectl create service clusterip db --tcp=5432 --dry-run=client -o kyaml
# create and run print the created object with -o; a template that does not parse creates
# nothing.
kubectl create configmap x --from-literal=a=b -o go-template='{{.data.a}}{{"\n"}}'
kubectl create configmap y --from-literal=a=b -o jsonpath='{.metadata.name}{"\n"}'
kubectl create configmap z --from-literal=a=b -o go-template='{{.data.a'
kubectl get cm z
kubectl run dry --image=nginx --dry-run=server -o yaml
kubectl get pod dry
kubectl expose deployment web --port=80 --template='{{.spec.type}} {{(index .spec.ports 0).port}}{{"\n"}}'
# Nothing found: only the error, whatever the template.
kubectl get pod nope -o go-template='{{.metadata.name}}'
