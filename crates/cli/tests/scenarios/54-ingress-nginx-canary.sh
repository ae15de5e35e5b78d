# ingress: nginx
# ingress-nginx instead of Traefik (k3s started with --disable traefik, ingress-nginx from
# its Helm chart): the nginx IngressClass, the controller behind ServiceLB, and canary
# Ingresses. A canary with the same host and path takes canary-weight percent of the
# requests; canary-by-header 'always'/'never' and canary-by-cookie override the weight.
# Unmatched hosts get nginx's 404 page; a backend without endpoints its 503.
kubectl get pods -n ingress-nginx
kubectl get svc -n ingress-nginx
kubectl get ingressclass
kubectl create deployment shop --image=gcr.io/google-samples/hello-app:1.0 --replicas=2
kubectl expose deployment shop --port=80 --target-port=8080
kubectl create deployment shop-canary --image=gcr.io/google-samples/hello-app:2.0
kubectl expose deployment shop-canary --port=80 --target-port=8080
kubectl create ingress shop --class=nginx --rule="shop.example.com/*=shop:80"
kubectl create ingress shop-canary --class=nginx --rule="shop.example.com/*=shop-canary:80" --annotation=nginx.ingress.kubernetes.io/canary=true --annotation=nginx.ingress.kubernetes.io/canary-weight=20
settle
kubectl get ingress
curl -H 'Host: shop.example.com' http://10.0.0.2/
traffic -n 200 -H 'Host: shop.example.com' http://10.0.0.2/
kubectl annotate ingress shop-canary nginx.ingress.kubernetes.io/canary-by-header=X-Canary
curl -H 'Host: shop.example.com' -H 'X-Canary: always' http://10.0.0.2/
traffic -n 20 -H 'Host: shop.example.com' -H 'X-Canary: never' http://10.0.0.2/
curl -H 'Host: nope.example.com' http://10.0.0.2/
kubectl scale deployment shop --replicas=0
kubectl annotate ingress shop-canary nginx.ingress.kubernetes.io/canary-weight=0 --overwrite
settle
curl -H 'Host: shop.example.com' -b 'canary=always' http://10.0.0.2/
kubectl describe ingress shop-canary
