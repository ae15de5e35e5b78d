# ingress: nginx
# TLS through ingress-nginx: a host with a tls section redirects plain HTTP (308); HTTPS
# with -k or --cacert answers.
openssl req -x509 -nodes -days 365 -newkey rsa:2048 -keyout tls.key -out tls.crt -subj "/CN=shop.example.com"
kubectl create secret tls shop-tls --key tls.key --cert tls.crt
kubectl create deployment shop --image=gcr.io/google-samples/hello-app:1.0
kubectl expose deployment shop --port=80 --target-port=8080
kubectl create ingress shop --class=nginx --rule="shop.example.com/*=shop:80,tls=shop-tls"
settle
curl -H 'Host: shop.example.com' http://10.0.0.2/
curl -k -H 'Host: shop.example.com' https://10.0.0.2/
curl --cacert tls.crt --resolve shop.example.com:443:10.0.0.2 https://shop.example.com/
curl http://10.0.0.2:443/
why ingress/shop
