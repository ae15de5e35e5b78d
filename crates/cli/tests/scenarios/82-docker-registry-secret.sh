# kubectl create secret docker-registry, as "Pull an Image from a Private Registry" uses it:
# the .dockerconfigjson kubectl writes (Go's JSON, HTML characters escaped) and its errors.
kubectl create secret docker-registry regcred --docker-server=registry.example.com --docker-username=alice --docker-password='pa<ss' --docker-email=alice@example.com
kubectl get secret regcred --output=yaml
kubectl get secret regcred --output="jsonpath={.data.\.dockerconfigjson}" | base64 --decode
kubectl get secret regcred
kubectl create secret docker-registry hub --docker-username=bob --docker-password=x -o yaml --dry-run=client
kubectl create secret docker-registry nopass --docker-username=bob
kubectl create secret vault x
