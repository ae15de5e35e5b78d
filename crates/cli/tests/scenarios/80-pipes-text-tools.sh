# The learner's own pipes: cut, awk, sed, uniq and tr after kubectl, as tutorials use them
# (the container shell's text tools), and what they do not simulate.
kubectl create deployment web --image=nginx --replicas=3
settle
kubectl get pods | cut -d' ' -f1
kubectl get pods --no-headers | awk '{print $1, $3}'
kubectl get pods -o name | sed 's/pod\///'
kubectl get pods | sed -n '2p'
kubectl get pods --no-headers | awk '{print $3}' | uniq -c
kubectl get pods -o wide | awk 'NR==1 {print $1, $NF}'
kubectl get pods | tr a-z A-Z | head -2
kubectl describe node k3s-server | sed -n '/Lease:/,/Conditions:/p'
kubectl get pods | cut -c1-10 | head -2
kubectl get pods | sed 'x'
kubectl get ns | awk '{print $0}' | sed 's/a/\/g' | head -2
