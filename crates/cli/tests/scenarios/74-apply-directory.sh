# kubectl apply/delete -f DIR: the directory's .json/.yaml/.yml files in lexical order; -R adds
# subdirectories' (the cheat sheet's kubectl apply -f ./dir).
mkdir -p d2/sub
cat <<EOF > d2/b.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: cm-b
data:
  k: v
EOF
cat <<EOF > d2/a.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: cm-a
EOF
cat <<EOF > d2/sub/c.yml
apiVersion: v1
kind: ConfigMap
metadata:
  name: cm-c
EOF
echo hello > d2/notes.txt
kubectl apply -f d2/
kubectl apply -f d2 -R
kubectl get cm
kubectl delete -f d2/
