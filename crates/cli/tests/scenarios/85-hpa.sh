# HorizontalPodAutoscalers, as the "HorizontalPodAutoscaler Walkthrough" creates them:
# kubectl autoscale, the controller's first syncs (no metrics yet, then 0% and the
# 5-minute scale-down stabilization), kubectl's columns and describe, scaling under a
# request loop's load and back, and a CPU-bound Deployment scaled up to the maximum.
kubectl apply -f https://k8s.io/examples/application/php-apache.yaml
kubectl autoscale deployment php-apache --cpu-percent=50 --min=1 --max=10
kubectl get hpa
sleep 20s
kubectl describe hpa php-apache
settle
kubectl get hpa
kubectl describe hpa php-apache
kubectl get hpa php-apache -o yaml
# The walkthrough's load: a loop of requests to php-apache (run without -i: interactive
# terminals are not simulated). The autoscaler scales up, then back down 5 minutes after
# the load stops.
kubectl run load-generator --image=busybox:1.28 --restart=Never -- /bin/sh -c "while sleep 0.01; do wget -q -O- http://php-apache; done"
sleep 1m
kubectl get hpa
sleep 2m
kubectl get hpa php-apache
kubectl get deployment php-apache
kubectl delete pod load-generator
sleep 1m
kubectl get hpa php-apache
settle
kubectl get deployment php-apache
kubectl describe hpa php-apache
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
