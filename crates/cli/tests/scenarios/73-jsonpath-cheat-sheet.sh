# The kubectl cheat sheet's JSONPath: @ as the current object, [] as the first element, .* over
# a map, a union of quoted keys (docs: "List All Container Images"), single-quoted literals.
kubectl run nginx --image=nginx
kubectl create secret generic my-secret --from-literal=a=1 --from-literal=b=2
settle
JSONPATH='{range .items[*]}{@.metadata.name}:{range @.status.conditions[*]}{@.type}={@.status};{end}{end}' && kubectl get nodes -o jsonpath="$JSONPATH" | grep "Ready=True"
kubectl config view -o jsonpath='{.users[].name}'
echo
kubectl get secret my-secret -o jsonpath='{.data.*}'
echo
kubectl get pods --all-namespaces -o jsonpath="{.items[*].spec['initContainers', 'containers'][*].image}"
echo
kubectl get pod nginx -o jsonpath="{.metadata.name}{'\n'}"
kubectl get pod nginx -o jsonpath='{.metadata.name}{"\t"}{.spec.nodeName}{"\n"}'
