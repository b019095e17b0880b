#!/usr/bin/env bash
# Held webhook connections against the packaged service on the pod's heap (-Xmx768m): forty
# deliveries of 20 MB each, without a signature, with a forged one (declared and chunked), and
# slow ones held open. Prints one tab-separated line per scenario on stdout (statuses answered,
# largest heap in use sampled every 100 ms, whether the service still answers); progress on stderr.
#   bench/webhook-held-connections/run.sh        (CONNECTIONS=40 MB=20 HEAP=768m to vary)
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib.sh

select_jdk
connections=${CONNECTIONS:-40}
megabytes=${MB:-20}
heap=${HEAP:-768m}
http_port=$(free_port 18082)
management_port=$(free_port 19002)
pgdata=.local/bench-pgdata
work=$(mktemp -d)

pid=
cleanup() {
  local status=$?
  set +e
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  AFK_PGDATA=$pgdata scripts/local-postgres stop
  [ "$status" -ne 0 ] && echo "Service log: $work/service.log" >&2 || rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT

AFK_PGDATA=$pgdata scripts/local-postgres stop
db_port=$(free_port 55434)
AFK_PGDATA=$pgdata DB_PORT=$db_port scripts/local-postgres start >/dev/null
scripts/dev-token --init >/dev/null
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -ntp -q package -DskipTests >&2
echo "webhook-secret-for-the-bench" >"$work/webhook-secret"

echo "java -Xmx$heap; $("$JAVA_HOME/bin/java" -version 2>&1 | head -1); cores: $(nproc); load: $(cut -d" " -f1-3 /proc/loadavg)" >&2
DB_PORT=$db_port "$JAVA_HOME/bin/java" "-Xmx$heap" -Dquarkus.profile=local \
  -Dquarkus.oidc.public-key="$(cat .local/dev-oidc/public.b64)" \
  -Dquarkus.http.port="$http_port" -Dquarkus.management.port="$management_port" \
  -Dafk.github.webhook.secret-file="$work/webhook-secret" \
  -jar target/quarkus-app/quarkus-run.jar >"$work/service.log" 2>&1 &
pid=$!
until curl -sf -o /dev/null "http://127.0.0.1:$management_port/q/health/ready"; do
  kill -0 "$pid" 2>/dev/null || { echo "The service did not start" >&2; exit 1; }
  sleep 0.2
done

"$JAVA_HOME/bin/java" bench/webhook-held-connections/HeldConnections.java "$http_port" "$management_port" "$connections" "$megabytes"
if grep -q OutOfMemoryError "$work/service.log"; then
  echo "The service ran out of memory" >&2
  exit 1
fi
