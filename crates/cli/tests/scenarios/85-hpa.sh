# HorizontalPodAutoscalers, as the "HorizontalPodAutoscaler Walkthrough" creates them:
# kubectl autoscale, the controller's first syncs (no metrics yet, then 0% and the
# 5-minute scale-down stabilization), kubectl's columns and describe, and a CPU-bound
# Deployment scaled up to the maximum.
kubectl apply -f https://k8s.io/examples/application/php-apache.yaml
kubectl autoscale deployment php-apache --cpu-percent=50 --min=1 --max=10
kubectl get hpa
sleep 20s
kubectl describe hpa php-apache
settle
kubectl get hpa
kubectl describe hpa php-apache
kubectl get hpa php-apache -o yaml
kubectl autoscale deployment php-apache --cpu-percent=50 --min=1 --max=10
kubectl autoscale deployment php-apache --cpu=50% --max=0
kubectl autoscale deployment php-apache --cpu=50% --min=5 --max=3
kubectl autoscale pod php-apache --max=3
kubectl autoscale deployment nope --max=3
kubectl autoscale deployment php-apache --cpu=500m --memory=80% --max=3 --name=p2 --dry-run=client -o yaml
# A Deployment whose containers burn a whole CPU each, throttled at their 200m limit.
kubectl apply -f - <<YAML
apiVersion: apps/v1
kind: Deployment
metadata:
  name: burner
spec:
  selector:
    matchLabels:
      app: burner
  template:
    metadata:
      labels:
        app: burner
    spec:
      containers:
      - name: stress
        image: polinux/stress
        command: ["stress"]
        args: ["--cpu", "1"]
        resources:
          requests:
            cpu: 100m
          limits:
            cpu: 200m
YAML
kubectl autoscale deployment burner --cpu=50% --max=6
settle
kubectl get hpa burner
kubectl get deployment burner
kubectl describe hpa burner
# An autoscaling/v1 manifest is served as v2; its target does not exist.
kubectl apply -f https://k8s.io/examples/controllers/hpa-rs.yaml
sleep 20s
kubectl get hpa frontend-scaler -o yaml
kubectl describe hpa frontend-scaler
kubectl delete hpa --all
