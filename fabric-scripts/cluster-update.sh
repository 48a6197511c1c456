#!/usr/bin/env bash
# Tells this node who is in its cluster: writes the member and peer lists (one address per line) and a
# cluster.env, and runs RELOAD_COMMAND when they changed. Idempotent.
#
# RS_MEMBERS / RS_PEERS   comma-separated addresses (set by DistributeScript)
# RS_ROOT                 file prefix (empty on a real node; a scratch folder in tests)
# RS_MANAGE_SYSTEM        "false" = never run RELOAD_COMMAND
# RELOAD_COMMAND          e.g. "systemctl reload myapp" (optional)
set -euo pipefail
root="${RS_ROOT:-}"
dir="$root/etc/rulescaler"
mkdir -p "$dir"
changed=0

write() {
  local tmp; tmp="$(mktemp "$1.XXXXXX")"
  cat > "$tmp"
  if [[ -f "$1" ]] && cmp -s "$tmp" "$1"; then rm -f "$tmp"; else mv "$tmp" "$1"; chmod 0644 "$1"; changed=1; fi
}

lines() { tr ',' '\n' <<<"$1" | sed '/^$/d'; }

lines "${RS_MEMBERS:-}" | write "$dir/members"
lines "${RS_PEERS:-}" | write "$dir/peers"
write "$dir/cluster.env" <<ENV
RS_CLUSTER=${RS_CLUSTER:-}
RS_NODE=${RS_NODE:-}
RS_MEMBERS=${RS_MEMBERS:-}
RS_PEERS=${RS_PEERS:-}
RS_LB=${RS_LB:-}
ENV

if [[ "$changed" == 1 && -n "${RELOAD_COMMAND:-}" && "${RS_MANAGE_SYSTEM:-true}" != "false" ]]; then
  sh -c "$RELOAD_COMMAND"
fi
echo "cluster-update: node=${RS_NODE:-?} members=$(lines "${RS_MEMBERS:-}" | wc -l) changed=$changed"
