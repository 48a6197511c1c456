#!/usr/bin/env bash
# Configures Tomcat (from the OS package) on this node: HTTP port, threads and heap; restarts it when
# something changed. Idempotent. Run by DistributeScript (bash -s) or by hand.
#
# RS_ROOT            file prefix (empty on a real node; a scratch folder in tests)
# RS_MANAGE_SYSTEM   "false" = never restart services
# TOMCAT_PACKAGE     tomcat10        TOMCAT_HTTP_PORT  8080
# TOMCAT_HEAP_MB     512             TOMCAT_MAX_THREADS 200
set -euo pipefail
root="${RS_ROOT:-}"
pkg="${TOMCAT_PACKAGE:-tomcat10}"
port="${TOMCAT_HTTP_PORT:-8080}"
heap="${TOMCAT_HEAP_MB:-512}"
threads="${TOMCAT_MAX_THREADS:-200}"
for n in "$port" "$heap" "$threads"; do
  [[ "$n" =~ ^[0-9]+$ ]] || { echo "tomcat-configure: not a number: $n" >&2; exit 64; }
done

conf="$root/etc/$pkg"
mkdir -p "$conf" "$root/etc/default"
changed=0

write() { # write <file> : replaces the file with stdin when the content differs
  local tmp; tmp="$(mktemp "$1.XXXXXX")"
  cat > "$tmp"
  if [[ -f "$1" ]] && cmp -s "$tmp" "$1"; then rm -f "$tmp"; else mv "$tmp" "$1"; chmod 0644 "$1"; changed=1; echo "tomcat-configure: wrote $1"; fi
}

write "$conf/server.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<!-- Written by rulescaler fabric-scripts/tomcat-configure.sh -->
<Server port="-1" shutdown="SHUTDOWN">
  <Listener className="org.apache.catalina.startup.VersionLoggerListener" />
  <Listener className="org.apache.catalina.core.JreMemoryLeakPreventionListener" />
  <Service name="Catalina">
    <Connector port="$port" protocol="HTTP/1.1" connectionTimeout="20000" maxThreads="$threads" />
    <Engine name="Catalina" defaultHost="localhost">
      <Host name="localhost" appBase="webapps" unpackWARs="true" autoDeploy="true" />
    </Engine>
  </Service>
</Server>
XML

write "$root/etc/default/$pkg" <<ENV
# Written by rulescaler fabric-scripts/tomcat-configure.sh
JAVA_OPTS="-Djava.awt.headless=true -Xms${heap}m -Xmx${heap}m -XX:+UseG1GC"
ENV

if [[ "$changed" == 1 && "${RS_MANAGE_SYSTEM:-true}" != "false" ]]; then
  systemctl restart "$pkg"
  echo "tomcat-configure: restarted $pkg"
fi
echo "tomcat-configure: done node=${RS_NODE:-?} port=$port heap=${heap}m changed=$changed"
