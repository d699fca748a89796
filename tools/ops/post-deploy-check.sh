#!/usr/bin/env bash
# After a `pulumi up`: is the site really up? Each check prints PASS, FAIL or WAIT with what it
# means; the exit status is the number of failed checks (WAIT: not yet due, not a failure).
# docs/first-deploy.md explains every check and what to do when it fails.
#
#   tools/ops/post-deploy-check.sh [--stack prod]
#
# Reads everything from the stack (`pulumi stack output`, `pulumi config get`); needs the AWS CLI
# v2 with credentials for the stack's account, curl, and the Session Manager plugin for the
# ECS Exec check.
set -euo pipefail

stack="prod"
if [ "${1:-}" = "--stack" ] && [ -n "${2:-}" ]; then
  stack="$2"
fi

output() { pulumi stack output --stack "$stack" "$1"; }
setting() { pulumi config get --stack "$stack" "$1" 2>/dev/null || true; }

region="$(setting aws:region)"
url="$(output url)"
cluster="$(output cluster_name)"
service="$(output service_name)"
vault="$(output backup_vault_name)"
backups="$(output backup_destination_url)"
mail_from="$(setting mailFrom)"
export AWS_REGION="$region"

failed=0
pass() { printf 'PASS  %-18s %s\n' "$1" "$2"; }
fail() { printf 'FAIL  %-18s %s\n' "$1" "$2"; failed=$((failed + 1)); }
wait_for() { printf 'WAIT  %-18s %s\n' "$1" "$2"; }

# 1. The ECS deployment finished: one deployment, COMPLETED, as many tasks running as wanted.
check_service_steady() {
  local state
  state="$(aws ecs describe-services --cluster "$cluster" --services "$service" \
    --query 'services[0].[length(deployments), deployments[0].rolloutState, runningCount, desiredCount]' \
    --output text || true)"
  read -r deployments rollout running desired <<<"$state"
  if [ "$deployments" = "1" ] && [ "$rollout" = "COMPLETED" ] && [ "$running" = "$desired" ]; then
    pass service-steady "$running/$desired task(s) running, deployment COMPLETED"
  else
    fail service-steady "deployments=$deployments rollout=$rollout running=$running/$desired: the task did not start or keeps stopping; see the stopped task's reason (aws ecs describe-tasks) and the container logs"
  fi
}

# 2. The load balancer sees the task healthy (its /healthz: Django and the database answer).
check_target_healthy() {
  local group states
  group="$(aws ecs describe-services --cluster "$cluster" --services "$service" \
    --query 'services[0].loadBalancers[0].targetGroupArn' --output text || true)"
  states="$(aws elbv2 describe-target-health --target-group-arn "$group" \
    --query 'TargetHealthDescriptions[].TargetHealth.State' --output text || true)"
  if [[ " $states " == *" healthy "* ]]; then
    pass target-healthy "target group: $states"
  else
    fail target-healthy "target states: '${states:-none}': no healthy target, so the site answers 503; check /healthz in the web log"
  fi
}

# 3. The site answers over its URL (DNS, certificate, listener, nginx, Django, database).
check_site_answers() {
  local body
  if body="$(curl -fsS --max-time 15 "${url%/}/healthz")" && [ "$body" = "ok" ]; then
    pass site-answers "${url%/}/healthz says ok"
  else
    fail site-answers "${url%/}/healthz did not say ok: DNS not yet propagated, certificate not issued, or the task is unhealthy (checks above)"
  fi
}

# 4. ECS Exec reaches the web container (the operator's way in, through ssmmessages).
check_exec_works() {
  local task
  if ! command -v session-manager-plugin >/dev/null; then
    fail exec-works "the Session Manager plugin is not installed here; install it to use ECS Exec"
    return
  fi
  task="$(aws ecs list-tasks --cluster "$cluster" --service-name "$service" \
    --query 'taskArns[0]' --output text || true)"
  if aws ecs execute-command --cluster "$cluster" --task "$task" --container web \
    --interactive --command "python -m django_fargate.healthcheck" </dev/null >/dev/null 2>&1; then
    pass exec-works "a command ran in the web container"
  else
    fail exec-works "ECS Exec failed: the ssmmessages endpoint, the task role's ssmmessages actions or enableExecuteCommand is missing"
  fi
}

# 5. Mail can leave: the sender's domain is verified with DKIM, and SES is out of its sandbox.
check_mail_sends() {
  if [ -z "$mail_from" ]; then
    wait_for mail-sends "mailFrom is empty: the site sends no mail"
    return
  fi
  local domain="${mail_from##*@}" verified production
  verified="$(aws sesv2 get-email-identity --email-identity "$domain" \
    --query '[VerifiedForSendingStatus, DkimAttributes.Status]' --output text || true)"
  production="$(aws sesv2 get-account --query 'ProductionAccessEnabled' --output text || true)"
  if [ "$verified" != $'True\tSUCCESS' ]; then
    fail mail-sends "$domain is not verified for sending ($verified): the DKIM/verification records have not propagated yet, or were changed"
  elif [ "$production" != "True" ]; then
    fail mail-sends "SES in $region is still in the sandbox: password-reset mail reaches only verified addresses; request production access"
  elif aws sesv2 send-email --from-email-address "$mail_from" \
    --destination 'ToAddresses=success@simulator.amazonses.com' \
    --content 'Simple={Subject={Data=post-deploy check},Body={Text={Data=ok}}}' >/dev/null; then
    pass mail-sends "$domain verified, production access, a mail to the SES simulator was accepted"
  else
    fail mail-sends "SES refused a mail from $mail_from to its simulator"
  fi
}

# 6. Backups: the WAL archive holds a base backup (taken as soon as Postgres answers), and
#    AWS Backup has copied the file system once (its daily rule).
check_backup_ran() {
  local objects job
  objects="$( (aws s3 ls --recursive "${backups%/}/" || true) | grep -c 'data.tar' || true)"
  if [ "${objects:-0}" -gt 0 ]; then
    pass wal-archive "a base backup is in $backups"
  else
    fail wal-archive "no base backup in $backups: look for 'postgres-backup: FAILED' in the db log"
  fi
  job="$(aws backup list-backup-jobs --by-backup-vault-name "$vault" \
    --query 'sort_by(BackupJobs, &CreationDate)[-1].State' --output text || true)"
  case "$job" in
    COMPLETED) pass backup-job "the latest AWS Backup job of $vault completed" ;;
    None | "") wait_for backup-job "no AWS Backup job yet: the daily rule has not run since the deploy" ;;
    *) fail backup-job "the latest AWS Backup job of $vault is $job: see its StatusMessage" ;;
  esac
}

check_service_steady
check_target_healthy
check_site_answers
check_exec_works
check_mail_sends
check_backup_ran
exit "$failed"
