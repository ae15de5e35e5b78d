# kubectl scale with several names, as TYPE NAME... and TYPE/NAME..., and one missing.
kubectl create deployment a --image=nginx
kubectl create deployment b --image=nginx
kubectl scale deployment a b --replicas=2
kubectl scale deployment/a deployment/b --replicas=3
kubectl scale deployment a nope --replicas=1
kubectl scale deploy --replicas=1
kubectl get deploy
# Five endpoints: describe service shows three, then "+ 2 more..." (formatEndpointSlices).
kubectl scale deployment a --replicas=5
kubectl expose deployment a --port=80
settle
kubectl describe service a | grep Endpoints
