# Shell pipelines tutorials use: a heredoc piped to kubectl, and grep/head/wc filters.
cat <<EOF | kubectl apply -f -
apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
  - name: c
    image: nginx:1.25
EOF
kubectl get pods | grep p
kubectl get pods --no-headers | wc -l
kubectl get pod p -o yaml | grep -i image | head -n 2
kubectl get nope | grep x
kubectl get pods | awk '{print $1}'
echo "a \$b c"
X=1; echo "v=\$X $X"
