# TLS through Traefik: a stand-in self-signed certificate (openssl req -x509), a TLS Secret,
# and an Ingress tls section. curl trusts the server only with -k or --cacert of the
# certificate the Secret holds (chosen by SNI); plain HTTP to 443 gets Traefik's 400; why
# ingress/NAME explains rules, backends and TLS secrets.
KEY_FILE=tls.key
CERT_FILE=tls.crt
HOST=whoami.example
openssl req -x509 -nodes -days 365 -newkey rsa:2048 -keyout ${KEY_FILE} -out ${CERT_FILE} -subj "/CN=${HOST}/O=${HOST}"
kubectl create secret tls whoami-tls --key ${KEY_FILE} --cert ${CERT_FILE}
kubectl get secret whoami-tls
kubectl describe secret whoami-tls
kubectl create secret tls nope --key ${KEY_FILE}
kubectl create secret tls nope --key ${KEY_FILE} --cert missing.crt
kubectl create deployment whoami --image=traefik/whoami
kubectl expose deployment whoami --port=80
kubectl create ingress whoami --rule="whoami.example/*=whoami:80,tls=whoami-tls"
settle
kubectl get ingress
curl https://10.0.0.2/ -H 'Host: whoami.example'
curl -k https://10.0.0.2/ -H 'Host: whoami.example' | grep -i -e forwarded -e hostname
curl --cacert tls.crt --resolve whoami.example:443:10.0.0.2 https://whoami.example/ | head -1
curl --cacert tls.crt --resolve other.example:443:10.0.0.2 https://other.example/
curl http://10.0.0.2:443/
curl -H 'Host: whoami.example' http://10.0.0.2/ | head -1
kubectl describe ingress whoami
why ingress/whoami
kubectl create ingress broken --rule="broken.example/*=nosuch:80,tls=nosuch-tls"
kubectl create ingress other --class=nginx --rule="x.example/*=whoami:80"
why ingress/broken
why ingress/other
