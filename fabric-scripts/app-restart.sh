#!/usr/bin/env bash
# Restarts the application's service on this node, then waits until the health URL answers 2xx.
# Run by the restart-app chain (DistributeScript, one node at a time).
#
# APP_SERVICE             systemd unit to restart (default tomcat10)
# APP_HEALTH_URL          URL that answers 2xx once the app runs (none = no wait)
# APP_HEALTH_WAIT_SECONDS how long to wait for it (default 120)
# RS_ROOT                 file prefix (empty on a real node; a scratch folder in tests)
# RS_MANAGE_SYSTEM        "false" = do not restart the service (tests), record the restart instead
set -euo pipefail
service="${APP_SERVICE:-tomcat10}"
wait="${APP_HEALTH_WAIT_SECONDS:-120}"
[[ "$service" =~ ^[A-Za-z0-9@._-]+$ ]] || { echo "app-restart: bad APP_SERVICE $service" >&2; exit 64; }
[[ "$wait" =~ ^[0-9]+$ ]] || { echo "app-restart: bad APP_HEALTH_WAIT_SECONDS $wait" >&2; exit 64; }

if [[ "${RS_MANAGE_SYSTEM:-true}" != "false" ]]; then
  systemctl restart "$service"
  echo "app-restart: restarted $service node=${RS_NODE:-?}"
else
  mkdir -p "${RS_ROOT:-}/var/lib/rulescaler"
  date -u +%FT%TZ >> "${RS_ROOT:-}/var/lib/rulescaler/app-restarts"
  echo "app-restart: would restart $service node=${RS_NODE:-?} (manageSystem false)"
fi

if [[ -n "${APP_HEALTH_URL:-}" ]]; then
  deadline=$((SECONDS + wait))
  try=0
  while ((SECONDS <= deadline)); do
    try=$((try + 1))
    if curl -fsS -o /dev/null --max-time 5 "$APP_HEALTH_URL"; then
      echo "app-restart: $APP_HEALTH_URL answers (try $try)"
      exit 0
    fi
    sleep 2
  done
  echo "app-restart: $APP_HEALTH_URL did not answer within ${wait}s" >&2
  exit 1
fi
