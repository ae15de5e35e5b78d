# kustomize: kubectl kustomize, apply/get/describe/delete -k, generators with content
# hashes (kubectl 1.35's kustomize v5.7 hashes kind, type and data only), bases and
# overlays, patches, name references, and kustomize's errors.
mkdir -p base overlays/dev
cat <<EOF >base/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: nginx
        envFrom:
        - configMapRef:
            name: web-config
        volumeMounts:
        - name: creds
          mountPath: /etc/creds
      volumes:
      - name: creds
        secret:
          secretName: web-creds
EOF
cat <<EOF >base/service.yaml
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
EOF
cat <<EOF >base/kustomization.yaml
resources:
- deployment.yaml
- service.yaml
configMapGenerator:
- name: web-config
  literals:
  - MODE=base
secretGenerator:
- name: web-creds
  literals:
  - password=s3cret
EOF
cat <<EOF >overlays/dev/replicas.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  template:
    spec:
      containers:
      - name: web
        resources:
          limits:
            memory: 128Mi
EOF
cat <<EOF >overlays/dev/kustomization.yaml
namespace: dev
namePrefix: dev-
labels:
- pairs:
    env: dev
  includeSelectors: true
resources:
- ../../base
patches:
- path: replicas.yaml
- target:
    kind: Service
    name: web
  patch: |-
    - op: replace
      path: /spec/ports/0/port
      value: 8080
configMapGenerator:
- name: web-config
  behavior: merge
  literals:
  - MODE=dev
images:
- name: nginx
  newTag: "1.27"
EOF
kubectl kustomize base
kubectl kustomize overlays/dev
kubectl create namespace dev
kubectl apply -k overlays/dev
settle
kubectl get -k overlays/dev
kubectl get pods -n dev -o custom-columns=NAME:.metadata.labels.env,IMAGE:.spec.containers[0].image,STATUS:.status.phase
kubectl exec -n dev deploy/dev-web -- env | grep MODE
kubectl exec -n dev deploy/dev-web -- cat /etc/creds/password
# A changed literal gives a new name, and the Deployment rolls out to it.
cat <<EOF >overlays/dev/kustomization.yaml
namespace: dev
namePrefix: dev-
labels:
- pairs:
    env: dev
  includeSelectors: true
resources:
- ../../base
patches:
- path: replicas.yaml
- target:
    kind: Service
    name: web
  patch: |-
    - op: replace
      path: /spec/ports/0/port
      value: 8080
configMapGenerator:
- name: web-config
  behavior: merge
  literals:
  - MODE=dev2
images:
- name: nginx
  newTag: "1.27"
EOF
kubectl apply -k overlays/dev
kubectl delete -k overlays/dev
# Errors.
kubectl apply -k nowhere
kubectl kustomize overlays
cat <<EOF >bad/kustomization.yaml
resources:
- missing.yaml
images:
- name: nginx
  newImage: nginx:1.27
EOF
kubectl kustomize bad
kubectl apply -k base -f base/service.yaml
cat <<EOF >bad/kustomization.yaml
resources:
- missing.yaml
EOF
kubectl kustomize bad
kubectl apply -k bad
