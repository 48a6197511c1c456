#!/bin/sh
# rulescaler node agent: one heartbeat with the node's vitals per run (a systemd timer runs it every
# RULESCALER_INTERVAL seconds). Reads /etc/rulescaler/agent.env (mode 0600, written by the chain's
# HandOverNodeToken step): RULESCALER_URL, RULESCALER_NODE_ID, RULESCALER_TOKEN, RULESCALER_UNITS.
# Posts POST $RULESCALER_URL/api/v1/nodes/$RULESCALER_NODE_ID/heartbeat with
#   {"cpu":..,"memory":..,"disk":..,"load":..,"units":[{"name","state","restarts","result","journal"}]}
# Needs only sh, awk, sed and curl (or wget); no runtime to install.
# RULESCALER_AGENT_ROOT prefixes every file read (tests run several agents on one machine).
set -eu
ROOT="${RULESCALER_AGENT_ROOT:-}"
ENV_FILE="${RULESCALER_AGENT_ENV:-$ROOT/etc/rulescaler/agent.env}"
PROC="${RULESCALER_AGENT_PROC:-/proc}"
# shellcheck disable=SC1090
. "$ENV_FILE"
: "${RULESCALER_URL:?missing in $ENV_FILE}" "${RULESCALER_NODE_ID:?missing}" "${RULESCALER_TOKEN:?missing}"
UNITS="${RULESCALER_UNITS-tomcat10}"
STATE_DIR="${RULESCALER_AGENT_STATE:-$ROOT/var/lib/rulescaler-agent}"
mkdir -p "$STATE_DIR"

# CPU busy percent since the previous run (the first run measures over one second)
cpu_now() { awk '/^cpu /{idle=$5+$6; total=0; for(i=2;i<=NF;i++) total+=$i; print total, idle; exit}' "$PROC/stat"; }
if [ -s "$STATE_DIR/cpu" ]; then prev=$(cat "$STATE_DIR/cpu"); else prev=$(cpu_now); sleep 1; fi
now=$(cpu_now)
echo "$now" > "$STATE_DIR/cpu"
cpu=$(echo "$prev $now" | awk '{dt=$3-$1; di=$4-$2; if (dt<=0) print 0; else printf "%.1f", 100*(dt-di)/dt}')
memory=$(awk '/^MemTotal:/{t=$2} /^MemAvailable:/{a=$2} END{if (t>0) printf "%.1f", 100*(t-a)/t; else print 0}' "$PROC/meminfo")
load=$(awk '{print $1}' "$PROC/loadavg")
disk=$(df -P "${ROOT:-/}" 2>/dev/null | awk 'NR==2{sub("%","",$5); print $5+0}')
[ -n "$disk" ] || disk=0

# JSON string escaping for journal lines
esc() { sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/\t/ /g' | awk '{printf "%s\\n", $0}'; }

units_json=""
for u in $UNITS; do
  if command -v systemctl >/dev/null 2>&1 && [ -z "${RULESCALER_AGENT_FAKE_UNITS:-}" ]; then
    state=$(systemctl show -p ActiveState --value "$u" 2>/dev/null || echo unknown)
    restarts=$(systemctl show -p NRestarts --value "$u" 2>/dev/null || echo 0)
    result=$(systemctl show -p Result --value "$u" 2>/dev/null || echo "")
  else
    # no systemd (a test host): the unit's state and restarts come from files beside the env file
    state=$(cat "$ROOT/etc/rulescaler/unit-$u.state" 2>/dev/null || echo unknown)
    restarts=$(cat "$ROOT/etc/rulescaler/unit-$u.restarts" 2>/dev/null || echo 0)
    result=$(cat "$ROOT/etc/rulescaler/unit-$u.result" 2>/dev/null || echo "")
  fi
  # systemd's Result says how the unit last stopped: oom-kill (MemoryMax), timeout (RuntimeMaxSec), ...
  case "$result" in *[!a-z-]*) result="" ;; esac
  [ -n "$state" ] || state=unknown
  case "$restarts" in ''|*[!0-9]*) restarts=0 ;; esac
  journal=""
  if [ "$state" = failed ]; then
    if command -v journalctl >/dev/null 2>&1 && [ -z "${RULESCALER_AGENT_FAKE_UNITS:-}" ]; then
      journal=$(journalctl -u "$u" -n 20 --no-pager -o cat 2>/dev/null | tail -c 2000 | esc)
    else
      journal=$(tail -n 20 "$ROOT/etc/rulescaler/unit-$u.journal" 2>/dev/null | esc)
    fi
  fi
  entry="{\"name\":\"$u\",\"state\":\"$state\",\"restarts\":$restarts"
  [ -z "$result" ] || entry="$entry,\"result\":\"$result\""
  [ -z "$journal" ] || entry="$entry,\"journal\":\"$journal\""
  units_json="${units_json:+$units_json,}$entry}"
done

body="{\"cpu\":$cpu,\"memory\":$memory,\"disk\":$disk,\"load\":$load,\"units\":[$units_json]}"
url="$RULESCALER_URL/api/v1/nodes/$RULESCALER_NODE_ID/heartbeat"
if command -v curl >/dev/null 2>&1; then
  # the token goes in a header read from stdin, so it never shows in the process list
  printf 'header = "Authorization: Bearer %s"\n' "$RULESCALER_TOKEN" |
    curl -sS -f -m 10 -K - -H 'Content-Type: application/json' -d "$body" "$url" >/dev/null
else
  wget -q -T 10 -O /dev/null --header="Authorization: Bearer $RULESCALER_TOKEN" \
    --header='Content-Type: application/json' --post-data="$body" "$url"
fi
