# kubectl describe job, as the docs' Job walkthrough shows it.
kubectl apply -f https://k8s.io/examples/controllers/job.yaml
kubectl wait --for=condition=complete job/pi --timeout=2m
kubectl describe job pi
kubectl get job pi --show-labels
