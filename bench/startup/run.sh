#!/usr/bin/env bash
# JVM start time and memory of the built service (local profile, real PostgreSQL):
# "started in" from Quarkus' log, time from launch until /q/health/ready answers 200, and
# CPU time spent until then (less sensitive than wall time to other load on the machine), and
# VmRSS/VmHWM from /proc after start and after 100 authenticated requests. Median of RUNS starts.
#   bench/startup/run.sh            (RUNS=3 by default; builds target/quarkus-app if missing)
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib.sh

select_jdk
runs=${RUNS:-3}
requests=${REQUESTS:-100}
http_port=$(free_port 18081)
management_port=$(free_port 19001)
pgdata=.local/bench-pgdata
api=http://127.0.0.1:$http_port
management=http://127.0.0.1:$management_port
work=$(mktemp -d)

pid=
cleanup() {
  local status=$?
  set +e
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  AFK_PGDATA=$pgdata scripts/local-postgres stop
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT

# A cluster left running by an interrupted run is stopped first, so that the port below is free.
AFK_PGDATA=$pgdata scripts/local-postgres stop
db_port=$(free_port 55434)
AFK_PGDATA=$pgdata DB_PORT=$db_port scripts/local-postgres start >/dev/null
scripts/dev-token --init
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -ntp -q package -DskipTests
token=$(scripts/dev-token bench afk-viewers)

kib() { awk -v key="$1:" '$1 == key { print $2 }' "/proc/$pid/status"; }
# User + system CPU seconds the process has used so far (/proc/<pid>/stat fields 14 and 15).
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$pid/stat"; }
mib() { echo $(( $1 / 1024 )); }
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "java: $("$JAVA_HOME/bin/java" -version 2>&1 | head -1); cores: $(nproc); load: $(cut -d" " -f1-3 /proc/loadavg)"
printf '%-4s %-11s %-11s %-11s %-14s %-14s %-14s %-14s\n' run "started in" "ready (ms)" "CPU (s)" "RSS start MiB" "HWM start MiB" "RSS after MiB" "HWM after MiB"
for run in $(seq 1 "$runs"); do
  launched=$(date +%s%N)
  DB_PORT=$db_port "$JAVA_HOME/bin/java" -Dquarkus.profile=local \
    -Dquarkus.oidc.public-key="$(cat .local/dev-oidc/public.b64)" \
    -Dquarkus.http.port="$http_port" -Dquarkus.management.port="$management_port" \
    -jar target/quarkus-app/quarkus-run.jar >"$work/service.log" 2>&1 &
  pid=$!
  until curl -sf -o /dev/null "$management/q/health/ready"; do
    kill -0 "$pid" 2>/dev/null || { cat "$work/service.log" >&2; exit 1; }
    sleep 0.05
  done
  ready_ms=$(( ($(date +%s%N) - launched) / 1000000 ))
  cpu=$(cpu_seconds)
  started=$(sed -nE 's/.*started in ([0-9.]+)s.*/\1/p' "$work/service.log" | head -1)
  rss_start=$(kib VmRSS) hwm_start=$(kib VmHWM)
  for _ in $(seq 1 "$requests"); do
    curl -sf -o /dev/null -H "Authorization: Bearer $token" "$api/api/afk/kill-switch"
  done
  rss_after=$(kib VmRSS) hwm_after=$(kib VmHWM)
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
  printf '%-4s %-11s %-11s %-11s %-14s %-14s %-14s %-14s\n' "$run" "${started}s" "$ready_ms" "$cpu" \
    "$(mib "$rss_start")" "$(mib "$hwm_start")" "$(mib "$rss_after")" "$(mib "$hwm_after")"
  echo "$started $ready_ms $rss_start $hwm_start $rss_after $hwm_after $cpu" >>"$work/results"
done
median_of() { awk -v c="$1" '{ print $c }' "$work/results" | median; }
printf 'median: started in %ss, ready %s ms, CPU %s s, RSS %s MiB / HWM %s MiB after start, RSS %s MiB / HWM %s MiB after %s requests\n' \
  "$(median_of 1)" "$(median_of 2)" "$(median_of 7)" "$(mib "$(median_of 3 | cut -d. -f1)")" "$(mib "$(median_of 4 | cut -d. -f1)")" \
  "$(mib "$(median_of 5 | cut -d. -f1)")" "$(mib "$(median_of 6 | cut -d. -f1)")" "$requests"
