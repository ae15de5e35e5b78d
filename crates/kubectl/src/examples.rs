//! Copies of manifests from the Kubernetes documentation (`https://k8s.io/examples/...`),
//! so that `kubectl apply -f https://k8s.io/examples/application/deployment.yaml` works in a
//! page with no network. Other URLs get a clear error: kubeplay fetches nothing.

/// URL prefixes that name the docs' examples directory.
const PREFIXES: &[&str] = &[
    "https://k8s.io/examples/",
    "https://kubernetes.io/examples/",
    "https://raw.githubusercontent.com/kubernetes/website/main/content/en/examples/",
];

/// The bundled examples, by path under `examples/`.
const EXAMPLES: &[(&str, &str)] = &[
    ("application/nginx-with-request.yaml", include_str!("../docs-examples/application/nginx-with-request.yaml")),
    ("application/job/indexed-job.yaml", include_str!("../docs-examples/application/job/indexed-job.yaml")),
    ("application/job/indexed-job-vol.yaml", include_str!("../docs-examples/application/job/indexed-job-vol.yaml")),
    ("application/mysql/mysql-deployment.yaml", include_str!("../docs-examples/application/mysql/mysql-deployment.yaml")),
    ("application/mysql/mysql-pv.yaml", include_str!("../docs-examples/application/mysql/mysql-pv.yaml")),
    ("pods/qos/qos-pod-2.yaml", include_str!("../docs-examples/pods/qos/qos-pod-2.yaml")),
    ("pods/qos/qos-pod-3.yaml", include_str!("../docs-examples/pods/qos/qos-pod-3.yaml")),
    ("pods/qos/qos-pod-4.yaml", include_str!("../docs-examples/pods/qos/qos-pod-4.yaml")),
    ("pods/resource/cpu-request-limit-2.yaml", include_str!("../docs-examples/pods/resource/cpu-request-limit-2.yaml")),
    ("security/example-baseline-pod.yaml", include_str!("../docs-examples/security/example-baseline-pod.yaml")),
    ("security/podsecurity-baseline.yaml", include_str!("../docs-examples/security/podsecurity-baseline.yaml")),
    ("security/podsecurity-privileged.yaml", include_str!("../docs-examples/security/podsecurity-privileged.yaml")),
    ("security/podsecurity-restricted.yaml", include_str!("../docs-examples/security/podsecurity-restricted.yaml")),
    ("service/load-balancer-example.yaml", include_str!("../docs-examples/service/load-balancer-example.yaml")),
    ("service/networking/curlpod.yaml", include_str!("../docs-examples/service/networking/curlpod.yaml")),
    ("admin/logging/two-files-counter-pod.yaml", include_str!("../docs-examples/admin/logging/two-files-counter-pod.yaml")),
    (
        "admin/logging/two-files-counter-pod-streaming-sidecar.yaml",
        include_str!("../docs-examples/admin/logging/two-files-counter-pod-streaming-sidecar.yaml"),
    ),
    ("admin/namespace-dev.yaml", include_str!("../docs-examples/admin/namespace-dev.yaml")),
    ("admin/namespace-prod.yaml", include_str!("../docs-examples/admin/namespace-prod.yaml")),
    ("admin/resource/cpu-defaults-pod-2.yaml", include_str!("../docs-examples/admin/resource/cpu-defaults-pod-2.yaml")),
    ("admin/resource/cpu-defaults-pod-3.yaml", include_str!("../docs-examples/admin/resource/cpu-defaults-pod-3.yaml")),
    ("admin/resource/cpu-defaults-pod.yaml", include_str!("../docs-examples/admin/resource/cpu-defaults-pod.yaml")),
    ("admin/resource/cpu-defaults.yaml", include_str!("../docs-examples/admin/resource/cpu-defaults.yaml")),
    (
        "admin/resource/memory-constraints-pod-2.yaml",
        include_str!("../docs-examples/admin/resource/memory-constraints-pod-2.yaml"),
    ),
    (
        "admin/resource/memory-constraints-pod-3.yaml",
        include_str!("../docs-examples/admin/resource/memory-constraints-pod-3.yaml"),
    ),
    (
        "admin/resource/memory-constraints-pod-4.yaml",
        include_str!("../docs-examples/admin/resource/memory-constraints-pod-4.yaml"),
    ),
    ("admin/resource/memory-constraints-pod.yaml", include_str!("../docs-examples/admin/resource/memory-constraints-pod.yaml")),
    ("admin/resource/memory-constraints.yaml", include_str!("../docs-examples/admin/resource/memory-constraints.yaml")),
    ("admin/resource/memory-defaults-pod-2.yaml", include_str!("../docs-examples/admin/resource/memory-defaults-pod-2.yaml")),
    ("admin/resource/memory-defaults-pod-3.yaml", include_str!("../docs-examples/admin/resource/memory-defaults-pod-3.yaml")),
    ("admin/resource/memory-defaults-pod.yaml", include_str!("../docs-examples/admin/resource/memory-defaults-pod.yaml")),
    ("admin/resource/memory-defaults.yaml", include_str!("../docs-examples/admin/resource/memory-defaults.yaml")),
    ("admin/resource/quota-mem-cpu-pod-2.yaml", include_str!("../docs-examples/admin/resource/quota-mem-cpu-pod-2.yaml")),
    ("admin/resource/quota-mem-cpu-pod.yaml", include_str!("../docs-examples/admin/resource/quota-mem-cpu-pod.yaml")),
    ("admin/resource/quota-mem-cpu.yaml", include_str!("../docs-examples/admin/resource/quota-mem-cpu.yaml")),
    ("admin/resource/quota-pod-deployment.yaml", include_str!("../docs-examples/admin/resource/quota-pod-deployment.yaml")),
    ("admin/resource/quota-pod.yaml", include_str!("../docs-examples/admin/resource/quota-pod.yaml")),
    ("application/deployment-scale.yaml", include_str!("../docs-examples/application/deployment-scale.yaml")),
    ("application/deployment-update.yaml", include_str!("../docs-examples/application/deployment-update.yaml")),
    ("application/deployment.yaml", include_str!("../docs-examples/application/deployment.yaml")),
    ("application/job/cronjob.yaml", include_str!("../docs-examples/application/job/cronjob.yaml")),
    ("application/web/web-parallel.yaml", include_str!("../docs-examples/application/web/web-parallel.yaml")),
    ("application/web/web.yaml", include_str!("../docs-examples/application/web/web.yaml")),
    ("configmap/configmap-multikeys.yaml", include_str!("../docs-examples/configmap/configmap-multikeys.yaml")),
    ("configmap/configmaps.yaml", include_str!("../docs-examples/configmap/configmaps.yaml")),
    ("configmap/game-env-file.properties", include_str!("../docs-examples/configmap/game-env-file.properties")),
    ("configmap/game.properties", include_str!("../docs-examples/configmap/game.properties")),
    ("configmap/ui-env-file.properties", include_str!("../docs-examples/configmap/ui-env-file.properties")),
    ("configmap/ui.properties", include_str!("../docs-examples/configmap/ui.properties")),
    ("controllers/daemonset.yaml", include_str!("../docs-examples/controllers/daemonset.yaml")),
    (
        "controllers/job-pod-failure-policy-example.yaml",
        include_str!("../docs-examples/controllers/job-pod-failure-policy-example.yaml"),
    ),
    ("controllers/job.yaml", include_str!("../docs-examples/controllers/job.yaml")),
    ("controllers/nginx-deployment.yaml", include_str!("../docs-examples/controllers/nginx-deployment.yaml")),
    ("debug/termination.yaml", include_str!("../docs-examples/debug/termination.yaml")),
    ("pods/commands.yaml", include_str!("../docs-examples/pods/commands.yaml")),
    ("pods/init-containers.yaml", include_str!("../docs-examples/pods/init-containers.yaml")),
    ("pods/inject/dapi-envars-container.yaml", include_str!("../docs-examples/pods/inject/dapi-envars-container.yaml")),
    ("pods/inject/dapi-envars-pod.yaml", include_str!("../docs-examples/pods/inject/dapi-envars-pod.yaml")),
    ("pods/inject/dapi-volume-resources.yaml", include_str!("../docs-examples/pods/inject/dapi-volume-resources.yaml")),
    ("pods/inject/dapi-volume.yaml", include_str!("../docs-examples/pods/inject/dapi-volume.yaml")),
    ("pods/inject/dependent-envars.yaml", include_str!("../docs-examples/pods/inject/dependent-envars.yaml")),
    ("pods/inject/envars.yaml", include_str!("../docs-examples/pods/inject/envars.yaml")),
    (
        "pods/inject/pod-multiple-secret-env-variable.yaml",
        include_str!("../docs-examples/pods/inject/pod-multiple-secret-env-variable.yaml"),
    ),
    ("pods/inject/pod-secret-envFrom.yaml", include_str!("../docs-examples/pods/inject/pod-secret-envFrom.yaml")),
    (
        "pods/inject/pod-single-secret-env-variable.yaml",
        include_str!("../docs-examples/pods/inject/pod-single-secret-env-variable.yaml"),
    ),
    ("pods/inject/secret-pod.yaml", include_str!("../docs-examples/pods/inject/secret-pod.yaml")),
    ("pods/inject/secret.yaml", include_str!("../docs-examples/pods/inject/secret.yaml")),
    ("pods/pod-configmap-env-var-valueFrom.yaml", include_str!("../docs-examples/pods/pod-configmap-env-var-valueFrom.yaml")),
    ("pods/pod-configmap-envFrom.yaml", include_str!("../docs-examples/pods/pod-configmap-envFrom.yaml")),
    ("pods/pod-configmap-volume-specific-key.yaml", include_str!("../docs-examples/pods/pod-configmap-volume-specific-key.yaml")),
    ("pods/pod-configmap-volume.yaml", include_str!("../docs-examples/pods/pod-configmap-volume.yaml")),
    (
        "pods/pod-multiple-configmap-env-variable.yaml",
        include_str!("../docs-examples/pods/pod-multiple-configmap-env-variable.yaml"),
    ),
    ("pods/pod-nginx-preferred-affinity.yaml", include_str!("../docs-examples/pods/pod-nginx-preferred-affinity.yaml")),
    ("pods/pod-nginx-required-affinity.yaml", include_str!("../docs-examples/pods/pod-nginx-required-affinity.yaml")),
    ("pods/pod-nginx-specific-node.yaml", include_str!("../docs-examples/pods/pod-nginx-specific-node.yaml")),
    ("pods/pod-nginx.yaml", include_str!("../docs-examples/pods/pod-nginx.yaml")),
    ("pods/pod-single-configmap-env-variable.yaml", include_str!("../docs-examples/pods/pod-single-configmap-env-variable.yaml")),
    ("pods/probe/exec-liveness.yaml", include_str!("../docs-examples/pods/probe/exec-liveness.yaml")),
    ("pods/probe/http-liveness.yaml", include_str!("../docs-examples/pods/probe/http-liveness.yaml")),
    ("pods/probe/tcp-liveness-readiness.yaml", include_str!("../docs-examples/pods/probe/tcp-liveness-readiness.yaml")),
    ("pods/qos/qos-pod.yaml", include_str!("../docs-examples/pods/qos/qos-pod.yaml")),
    ("pods/resource/cpu-request-limit.yaml", include_str!("../docs-examples/pods/resource/cpu-request-limit.yaml")),
    ("pods/resource/memory-request-limit-2.yaml", include_str!("../docs-examples/pods/resource/memory-request-limit-2.yaml")),
    ("pods/resource/memory-request-limit-3.yaml", include_str!("../docs-examples/pods/resource/memory-request-limit-3.yaml")),
    ("pods/resource/memory-request-limit.yaml", include_str!("../docs-examples/pods/resource/memory-request-limit.yaml")),
    ("pods/simple-pod.yaml", include_str!("../docs-examples/pods/simple-pod.yaml")),
    ("pods/storage/pv-claim.yaml", include_str!("../docs-examples/pods/storage/pv-claim.yaml")),
    ("pods/storage/pv-pod.yaml", include_str!("../docs-examples/pods/storage/pv-pod.yaml")),
    ("pods/storage/pv-volume.yaml", include_str!("../docs-examples/pods/storage/pv-volume.yaml")),
    ("pods/storage/redis.yaml", include_str!("../docs-examples/pods/storage/redis.yaml")),
    (
        "pods/topology-spread-constraints/one-constraint-with-nodeaffinity.yaml",
        include_str!("../docs-examples/pods/topology-spread-constraints/one-constraint-with-nodeaffinity.yaml"),
    ),
    (
        "pods/topology-spread-constraints/one-constraint.yaml",
        include_str!("../docs-examples/pods/topology-spread-constraints/one-constraint.yaml"),
    ),
    (
        "pods/topology-spread-constraints/two-constraints.yaml",
        include_str!("../docs-examples/pods/topology-spread-constraints/two-constraints.yaml"),
    ),
    ("pods/two-container-pod.yaml", include_str!("../docs-examples/pods/two-container-pod.yaml")),
    ("service/access/hello-application.yaml", include_str!("../docs-examples/service/access/hello-application.yaml")),
    ("service/networking/nginx-svc.yaml", include_str!("../docs-examples/service/networking/nginx-svc.yaml")),
    ("service/networking/run-my-nginx.yaml", include_str!("../docs-examples/service/networking/run-my-nginx.yaml")),
    ("admin/dns/dnsutils.yaml", include_str!("../docs-examples/admin/dns/dnsutils.yaml")),
    ("admin/resource/cpu-constraints-pod-2.yaml", include_str!("../docs-examples/admin/resource/cpu-constraints-pod-2.yaml")),
    ("admin/resource/cpu-constraints-pod-3.yaml", include_str!("../docs-examples/admin/resource/cpu-constraints-pod-3.yaml")),
    ("admin/resource/cpu-constraints-pod-4.yaml", include_str!("../docs-examples/admin/resource/cpu-constraints-pod-4.yaml")),
    ("admin/resource/cpu-constraints-pod.yaml", include_str!("../docs-examples/admin/resource/cpu-constraints-pod.yaml")),
    ("admin/resource/cpu-constraints.yaml", include_str!("../docs-examples/admin/resource/cpu-constraints.yaml")),
    ("admin/resource/quota-objects-pvc-2.yaml", include_str!("../docs-examples/admin/resource/quota-objects-pvc-2.yaml")),
    ("admin/resource/quota-objects-pvc.yaml", include_str!("../docs-examples/admin/resource/quota-objects-pvc.yaml")),
    ("admin/resource/quota-objects.yaml", include_str!("../docs-examples/admin/resource/quota-objects.yaml")),
    ("admin/snowflake-deployment.yaml", include_str!("../docs-examples/admin/snowflake-deployment.yaml")),
    ("application/basic-daemonset.yaml", include_str!("../docs-examples/application/basic-daemonset.yaml")),
    (
        "application/cassandra/cassandra-service.yaml",
        include_str!("../docs-examples/application/cassandra/cassandra-service.yaml"),
    ),
    (
        "application/cassandra/cassandra-statefulset.yaml",
        include_str!("../docs-examples/application/cassandra/cassandra-statefulset.yaml"),
    ),
    ("application/deployment-patch.yaml", include_str!("../docs-examples/application/deployment-patch.yaml")),
    ("application/deployment-sidecar.yaml", include_str!("../docs-examples/application/deployment-sidecar.yaml")),
    (
        "application/guestbook/frontend-deployment.yaml",
        include_str!("../docs-examples/application/guestbook/frontend-deployment.yaml"),
    ),
    ("application/guestbook/frontend-service.yaml", include_str!("../docs-examples/application/guestbook/frontend-service.yaml")),
    (
        "application/guestbook/redis-follower-deployment.yaml",
        include_str!("../docs-examples/application/guestbook/redis-follower-deployment.yaml"),
    ),
    (
        "application/guestbook/redis-follower-service.yaml",
        include_str!("../docs-examples/application/guestbook/redis-follower-service.yaml"),
    ),
    (
        "application/guestbook/redis-leader-deployment.yaml",
        include_str!("../docs-examples/application/guestbook/redis-leader-deployment.yaml"),
    ),
    (
        "application/guestbook/redis-leader-service.yaml",
        include_str!("../docs-examples/application/guestbook/redis-leader-service.yaml"),
    ),
    ("application/job/job-sidecar.yaml", include_str!("../docs-examples/application/job/job-sidecar.yaml")),
    ("application/mongodb/mongo-deployment.yaml", include_str!("../docs-examples/application/mongodb/mongo-deployment.yaml")),
    ("application/mongodb/mongo-service.yaml", include_str!("../docs-examples/application/mongodb/mongo-service.yaml")),
    ("application/nginx-app.yaml", include_str!("../docs-examples/application/nginx-app.yaml")),
    ("application/nginx/nginx-deployment.yaml", include_str!("../docs-examples/application/nginx/nginx-deployment.yaml")),
    ("application/nginx/nginx-svc.yaml", include_str!("../docs-examples/application/nginx/nginx-svc.yaml")),
    ("application/php-apache.yaml", include_str!("../docs-examples/application/php-apache.yaml")),
    ("application/shell-demo.yaml", include_str!("../docs-examples/application/shell-demo.yaml")),
    ("application/simple_deployment.yaml", include_str!("../docs-examples/application/simple_deployment.yaml")),
    ("application/update_deployment.yaml", include_str!("../docs-examples/application/update_deployment.yaml")),
    ("application/zookeeper/zookeeper.yaml", include_str!("../docs-examples/application/zookeeper/zookeeper.yaml")),
    ("controllers/frontend.yaml", include_str!("../docs-examples/controllers/frontend.yaml")),
    ("controllers/hpa-rs.yaml", include_str!("../docs-examples/controllers/hpa-rs.yaml")),
    (
        "controllers/job-backoff-limit-per-index-example.yaml",
        include_str!("../docs-examples/controllers/job-backoff-limit-per-index-example.yaml"),
    ),
    (
        "controllers/job-pod-failure-policy-config-issue.yaml",
        include_str!("../docs-examples/controllers/job-pod-failure-policy-config-issue.yaml"),
    ),
    (
        "controllers/job-pod-failure-policy-failjob.yaml",
        include_str!("../docs-examples/controllers/job-pod-failure-policy-failjob.yaml"),
    ),
    (
        "controllers/job-pod-failure-policy-ignore.yaml",
        include_str!("../docs-examples/controllers/job-pod-failure-policy-ignore.yaml"),
    ),
    ("controllers/job-success-policy.yaml", include_str!("../docs-examples/controllers/job-success-policy.yaml")),
    ("controllers/replication.yaml", include_str!("../docs-examples/controllers/replication.yaml")),
    ("debug/counter-pod.yaml", include_str!("../docs-examples/debug/counter-pod.yaml")),
    ("pods/config/example-redis-config.yaml", include_str!("../docs-examples/pods/config/example-redis-config.yaml")),
    ("pods/config/redis-pod.yaml", include_str!("../docs-examples/pods/config/redis-pod.yaml")),
    ("pods/inject/secret-envars-pod.yaml", include_str!("../docs-examples/pods/inject/secret-envars-pod.yaml")),
    ("pods/lifecycle-events.yaml", include_str!("../docs-examples/pods/lifecycle-events.yaml")),
    ("pods/pod-rs.yaml", include_str!("../docs-examples/pods/pod-rs.yaml")),
    ("pods/pod-with-node-affinity.yaml", include_str!("../docs-examples/pods/pod-with-node-affinity.yaml")),
    ("pods/pod-with-pod-affinity.yaml", include_str!("../docs-examples/pods/pod-with-pod-affinity.yaml")),
    ("pods/pod-with-toleration.yaml", include_str!("../docs-examples/pods/pod-with-toleration.yaml")),
    ("pods/private-reg-pod.yaml", include_str!("../docs-examples/pods/private-reg-pod.yaml")),
    ("pods/probe/grpc-liveness.yaml", include_str!("../docs-examples/pods/probe/grpc-liveness.yaml")),
    ("pods/security/security-context-2.yaml", include_str!("../docs-examples/pods/security/security-context-2.yaml")),
    ("pods/security/security-context-3.yaml", include_str!("../docs-examples/pods/security/security-context-3.yaml")),
    ("pods/security/security-context-4.yaml", include_str!("../docs-examples/pods/security/security-context-4.yaml")),
    ("pods/security/security-context-5.yaml", include_str!("../docs-examples/pods/security/security-context-5.yaml")),
    ("pods/security/security-context-6.yaml", include_str!("../docs-examples/pods/security/security-context-6.yaml")),
    ("pods/security/security-context-7.yaml", include_str!("../docs-examples/pods/security/security-context-7.yaml")),
    ("pods/security/security-context.yaml", include_str!("../docs-examples/pods/security/security-context.yaml")),
    ("pods/share-process-namespace.yaml", include_str!("../docs-examples/pods/share-process-namespace.yaml")),
    (
        "pods/storage/projected-secret-downwardapi-configmap.yaml",
        include_str!("../docs-examples/pods/storage/projected-secret-downwardapi-configmap.yaml"),
    ),
    (
        "pods/storage/projected-secrets-nondefault-permission-mode.yaml",
        include_str!("../docs-examples/pods/storage/projected-secrets-nondefault-permission-mode.yaml"),
    ),
    (
        "pods/storage/projected-service-account-token.yaml",
        include_str!("../docs-examples/pods/storage/projected-service-account-token.yaml"),
    ),
    ("pods/storage/projected.yaml", include_str!("../docs-examples/pods/storage/projected.yaml")),
    ("pods/storage/pv-duplicate.yaml", include_str!("../docs-examples/pods/storage/pv-duplicate.yaml")),
    ("service/access/backend-deployment.yaml", include_str!("../docs-examples/service/access/backend-deployment.yaml")),
    ("service/access/backend-service.yaml", include_str!("../docs-examples/service/access/backend-service.yaml")),
    ("service/access/frontend-deployment.yaml", include_str!("../docs-examples/service/access/frontend-deployment.yaml")),
    ("service/access/frontend-service.yaml", include_str!("../docs-examples/service/access/frontend-service.yaml")),
    (
        "service/explore-graceful-termination-nginx.yaml",
        include_str!("../docs-examples/service/explore-graceful-termination-nginx.yaml"),
    ),
    ("service/networking/custom-dns.yaml", include_str!("../docs-examples/service/networking/custom-dns.yaml")),
    ("service/networking/example-ingress.yaml", include_str!("../docs-examples/service/networking/example-ingress.yaml")),
    ("service/networking/minimal-ingress.yaml", include_str!("../docs-examples/service/networking/minimal-ingress.yaml")),
    ("service/networking/networkpolicy.yaml", include_str!("../docs-examples/service/networking/networkpolicy.yaml")),
    ("service/networking/nginx-secure-app.yaml", include_str!("../docs-examples/service/networking/nginx-secure-app.yaml")),
    ("service/pod-with-graceful-termination.yaml", include_str!("../docs-examples/service/pod-with-graceful-termination.yaml")),
    ("admin/resource/pvc-limit-greater.yaml", include_str!("../docs-examples/admin/resource/pvc-limit-greater.yaml")),
    ("admin/resource/pvc-limit-lower.yaml", include_str!("../docs-examples/admin/resource/pvc-limit-lower.yaml")),
    ("admin/resource/storagelimits.yaml", include_str!("../docs-examples/admin/resource/storagelimits.yaml")),
    ("application/deployment-retainkeys.yaml", include_str!("../docs-examples/application/deployment-retainkeys.yaml")),
    ("application/hpa/php-apache.yaml", include_str!("../docs-examples/application/hpa/php-apache.yaml")),
    ("application/job/job-tmpl.yaml", include_str!("../docs-examples/application/job/job-tmpl.yaml")),
    ("application/mysql/mysql-configmap.yaml", include_str!("../docs-examples/application/mysql/mysql-configmap.yaml")),
    ("application/mysql/mysql-services.yaml", include_str!("../docs-examples/application/mysql/mysql-services.yaml")),
    ("application/mysql/mysql-statefulset.yaml", include_str!("../docs-examples/application/mysql/mysql-statefulset.yaml")),
    ("application/wordpress/mysql-deployment.yaml", include_str!("../docs-examples/application/wordpress/mysql-deployment.yaml")),
    (
        "application/wordpress/wordpress-deployment.yaml",
        include_str!("../docs-examples/application/wordpress/wordpress-deployment.yaml"),
    ),
    (
        "concepts/policy/limit-range/example-conflict-with-limitrange-cpu.yaml",
        include_str!("../docs-examples/concepts/policy/limit-range/example-conflict-with-limitrange-cpu.yaml"),
    ),
    (
        "concepts/policy/limit-range/example-no-conflict-with-limitrange-cpu.yaml",
        include_str!("../docs-examples/concepts/policy/limit-range/example-no-conflict-with-limitrange-cpu.yaml"),
    ),
    (
        "concepts/policy/limit-range/problematic-limit-range.yaml",
        include_str!("../docs-examples/concepts/policy/limit-range/problematic-limit-range.yaml"),
    ),
    ("configmap/configure-pod.yaml", include_str!("../docs-examples/configmap/configure-pod.yaml")),
    ("configmap/env-configmap.yaml", include_str!("../docs-examples/configmap/env-configmap.yaml")),
    ("configmap/immutable-configmap.yaml", include_str!("../docs-examples/configmap/immutable-configmap.yaml")),
    ("configmap/new-immutable-configmap.yaml", include_str!("../docs-examples/configmap/new-immutable-configmap.yaml")),
    ("controllers/daemonset-label-selector.yaml", include_str!("../docs-examples/controllers/daemonset-label-selector.yaml")),
    ("controllers/fluentd-daemonset-update.yaml", include_str!("../docs-examples/controllers/fluentd-daemonset-update.yaml")),
    ("controllers/fluentd-daemonset.yaml", include_str!("../docs-examples/controllers/fluentd-daemonset.yaml")),
    ("controllers/replicaset.yaml", include_str!("../docs-examples/controllers/replicaset.yaml")),
    (
        "deployments/deployment-with-capacity-reservation.yaml",
        include_str!("../docs-examples/deployments/deployment-with-capacity-reservation.yaml"),
    ),
    (
        "deployments/deployment-with-configmap-and-sidecar-container.yaml",
        include_str!("../docs-examples/deployments/deployment-with-configmap-and-sidecar-container.yaml"),
    ),
    (
        "deployments/deployment-with-configmap-as-envvar.yaml",
        include_str!("../docs-examples/deployments/deployment-with-configmap-as-envvar.yaml"),
    ),
    (
        "deployments/deployment-with-configmap-as-volume.yaml",
        include_str!("../docs-examples/deployments/deployment-with-configmap-as-volume.yaml"),
    ),
    (
        "deployments/deployment-with-configmap-two-containers.yaml",
        include_str!("../docs-examples/deployments/deployment-with-configmap-two-containers.yaml"),
    ),
    (
        "deployments/deployment-with-immutable-configmap-as-volume.yaml",
        include_str!("../docs-examples/deployments/deployment-with-immutable-configmap-as-volume.yaml"),
    ),
    ("pods/pod-projected-svc-token.yaml", include_str!("../docs-examples/pods/pod-projected-svc-token.yaml")),
    ("pods/pod-with-affinity-anti-affinity.yaml", include_str!("../docs-examples/pods/pod-with-affinity-anti-affinity.yaml")),
    ("pods/pod-with-numeric-toleration.yaml", include_str!("../docs-examples/pods/pod-with-numeric-toleration.yaml")),
    ("pods/pod-with-scheduling-gates.yaml", include_str!("../docs-examples/pods/pod-with-scheduling-gates.yaml")),
    ("pods/pod-without-scheduling-gates.yaml", include_str!("../docs-examples/pods/pod-without-scheduling-gates.yaml")),
    ("pods/qos/qos-pod-5.yaml", include_str!("../docs-examples/pods/qos/qos-pod-5.yaml")),
    ("pods/resource/extended-resource-pod-2.yaml", include_str!("../docs-examples/pods/resource/extended-resource-pod-2.yaml")),
    ("pods/resource/extended-resource-pod.yaml", include_str!("../docs-examples/pods/resource/extended-resource-pod.yaml")),
    (
        "pods/resource/pod-level-cpu-request-limit.yaml",
        include_str!("../docs-examples/pods/resource/pod-level-cpu-request-limit.yaml"),
    ),
    (
        "pods/resource/pod-level-memory-request-limit.yaml",
        include_str!("../docs-examples/pods/resource/pod-level-memory-request-limit.yaml"),
    ),
    ("pods/resource/pod-resize.yaml", include_str!("../docs-examples/pods/resource/pod-resize.yaml")),
    ("policy/high-priority-pod.yaml", include_str!("../docs-examples/policy/high-priority-pod.yaml")),
    ("policy/priority-class-resourcequota.yaml", include_str!("../docs-examples/policy/priority-class-resourcequota.yaml")),
    ("policy/quota.yaml", include_str!("../docs-examples/policy/quota.yaml")),
    (
        "policy/zookeeper-pod-disruption-budget-maxunavailable.yaml",
        include_str!("../docs-examples/policy/zookeeper-pod-disruption-budget-maxunavailable.yaml"),
    ),
    (
        "policy/zookeeper-pod-disruption-budget-minavailable.yaml",
        include_str!("../docs-examples/policy/zookeeper-pod-disruption-budget-minavailable.yaml"),
    ),
    ("priorityclass/low-priority-class.yaml", include_str!("../docs-examples/priorityclass/low-priority-class.yaml")),
    ("secret/dotfile-secret.yaml", include_str!("../docs-examples/secret/dotfile-secret.yaml")),
    ("secret/serviceaccount/mysecretname.yaml", include_str!("../docs-examples/secret/serviceaccount/mysecretname.yaml")),
    ("service/networking/hostaliases-pod.yaml", include_str!("../docs-examples/service/networking/hostaliases-pod.yaml")),
    ("service/networking/nginx-policy.yaml", include_str!("../docs-examples/service/networking/nginx-policy.yaml")),
    ("service/nginx-service.yaml", include_str!("../docs-examples/service/nginx-service.yaml")),
    ("service/simple-service.yaml", include_str!("../docs-examples/service/simple-service.yaml")),
];

/// Whether `f` is a URL rather than a path.
pub fn is_url(f: &str) -> bool {
    f.starts_with("http://") || f.starts_with("https://")
}

/// Whether a URL points into the docs' examples directory.
pub fn is_example_url(f: &str) -> bool {
    PREFIXES.iter().any(|p| f.starts_with(p))
}

/// The text of a URL: a bundled docs example, or kubeplay's no-network error.
pub fn fetch(url: &str) -> Result<&'static str, String> {
    let path = PREFIXES.iter().find_map(|p| url.strip_prefix(p));
    match path.and_then(|p| EXAMPLES.iter().find(|(name, _)| *name == p)) {
        Some((_, text)) => Ok(text),
        None => Err(format!(
            "unable to read URL {url:?}: kubeplay has no network access; it carries copies of {} files from https://k8s.io/examples/ only (such as application/deployment.yaml and pods/pod-nginx.yaml)",
            EXAMPLES.len()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_examples_are_found_under_every_prefix() {
        for prefix in PREFIXES {
            let text = fetch(&format!("{prefix}application/deployment.yaml")).unwrap_or_default();
            assert!(text.contains("name: nginx-deployment"), "{prefix}");
        }
        assert!(fetch("https://k8s.io/examples/nope.yaml").unwrap_err().contains("no network access"));
        assert!(fetch("https://example.com/app.yaml").is_err());
    }

    /// Every bundled manifest is YAML kubeplay parses, each document of a kind it serves or
    /// of one the docs use that it answers with "no matches for kind".
    #[test]
    fn every_bundled_example_parses_to_known_kinds() {
        const UNSERVED: &[&str] = &["ReplicationController"];
        // Some examples are data for `--from-file` (configmap/*.properties), not manifests.
        for (path, text) in EXAMPLES.iter().filter(|(p, _)| p.ends_with(".yaml") || p.ends_with(".json")) {
            let docs = kubeplay_sim::decode::parse_manifests(text).unwrap_or_else(|e| panic!("{path}: {e:?}"));
            assert!(!docs.is_empty(), "{path}");
            for d in docs {
                let kind = d.value.get("kind").and_then(|k| k.as_str()).unwrap_or_default().to_string();
                assert!(
                    kubeplay_sim::decode::manifest_kind(&d.value).is_ok() || UNSERVED.contains(&kind.as_str()),
                    "{path}: {kind}"
                );
            }
        }
    }
}
