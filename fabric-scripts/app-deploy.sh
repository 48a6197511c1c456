#!/usr/bin/env bash
# Deploys the application WAR from a URL into Tomcat's webapps (atomically), then waits until the
# health URL answers 2xx. Idempotent: an unchanged WAR is not replaced.
#
# APP_URL (required)   where the WAR is downloaded from
# APP_NAME             ROOT                          APP_WEBAPPS  /var/lib/tomcat10/webapps
# APP_HEALTH_URL       URL that answers 2xx once the app runs (none = no wait)
# APP_HEALTH_TRIES     30                            APP_HEALTH_SLEEP  2 (seconds)
# RS_ROOT              file prefix (empty on a real node; a scratch folder in tests)
set -euo pipefail
: "${APP_URL:?APP_URL is required}"
root="${RS_ROOT:-}"
name="${APP_NAME:-ROOT}"
webapps="$root${APP_WEBAPPS:-/var/lib/tomcat10/webapps}"
tries="${APP_HEALTH_TRIES:-30}"
pause="${APP_HEALTH_SLEEP:-2}"
[[ "$name" =~ ^[A-Za-z0-9._#-]+$ ]] || { echo "app-deploy: bad APP_NAME $name" >&2; exit 64; }

mkdir -p "$webapps"
tmp="$(mktemp "$webapps/.$name.war.XXXXXX")"
trap 'rm -f "$tmp"' EXIT
curl -fsSL --retry 3 --max-time 300 -o "$tmp" "$APP_URL"
sum="$(sha256sum "$tmp" | cut -d' ' -f1)"
if [[ -f "$webapps/$name.war" ]] && cmp -s "$tmp" "$webapps/$name.war"; then
  echo "app-deploy: $name.war unchanged sha256=$sum"
else
  chmod 0644 "$tmp"
  mv "$tmp" "$webapps/$name.war"
  echo "app-deploy: deployed $name.war sha256=$sum"
fi

if [[ -n "${APP_HEALTH_URL:-}" ]]; then
  for ((i = 1; i <= tries; i++)); do
    if curl -fsS -o /dev/null --max-time 5 "$APP_HEALTH_URL"; then
      echo "app-deploy: $APP_HEALTH_URL answers (try $i)"
      exit 0
    fi
    sleep "$pause"
  done
  echo "app-deploy: $APP_HEALTH_URL did not answer after $tries tries" >&2
  exit 1
fi
