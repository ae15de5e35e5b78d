# CronJob schedules as robfig/cron's ParseStandard reads them: N/step, @every, and errors.
kubectl create cronjob a --image=busybox --schedule="0/15 * * * *" -- echo hi
kubectl create cronjob b --image=busybox --schedule="@every 10m" -- echo hi
kubectl create cronjob c --image=busybox --schedule="5/20 */2 * * *" -- echo hi
kubectl create cronjob d --image=busybox --schedule="@every soon" -- echo hi
kubectl create cronjob e --image=busybox --schedule="* * *" -- echo hi
sleep 31m
kubectl get cronjobs
kubectl get jobs
