#!/usr/bin/env bash
# JVM start time and memory of the built service (local profile, real PostgreSQL), the plain jar
# and the jar with its JDK AOT cache (target/quarkus-app/app.aot) side by side: runs alternate
# between the modes, so all see the same machine load. Two start-ups each: "migrating" runs Flyway
# over JDBC at start (as scripts/run does), "migrated" starts as production does, after the migrate
# step (-Dquarkus.profile=local,migrate, timed once at the beginning): no Flyway, no JDBC datasource.
# Per run: "started in" from Quarkus' log, the time from launch until /q/health/ready answers 200,
# CPU time spent until then, and after start and after REQUESTS authenticated requests: RSS (VmRSS),
# PSS (smaps_rollup: the mapped AOT cache is shared between processes, so PSS counts its pages once
# per sharer), the Java heap in use (jcmd GC.heap_info) and the number of threads. Medians per mode.
#   ./mvnw -B -ntp -q package -DskipTests -Paot   # builds the jar and its AOT cache
#   bench/startup/run.sh                            # RUNS=3 per mode, REQUESTS=100
#   JAVA_OPTS="-XX:+UseSerialGC -Xmx768m -XX:ActiveProcessorCount=2" bench/startup/run.sh   # the pod's JVM flags
#   MODES="plain aot" bench/startup/run.sh          # only some of plain, aot, plain-migrated, aot-migrated
#   BASELINE=<other checkout>/target/quarkus-app bench/startup/run.sh   # adds base-plain and base-aot:
#                                                   # that build's jar (and cache), migrating, in the same run
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
app=target/quarkus-app
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

[ -f "$app/quarkus-run.jar" ] || ./mvnw -B -ntp -q package -DskipTests -Paot
read -ra modes <<<"${MODES:-plain aot plain-migrated aot-migrated}"
if [ ! -f "$app/app.aot" ]; then
  echo "no $app/app.aot: build with -Paot to compare; plain modes only" >&2
  read -ra modes <<<"$(printf '%s\n' "${modes[@]}" | grep -v '^aot' | tr '\n' ' ')"
fi
[ -n "${BASELINE:-}" ] && modes=(base-plain base-aot "${modes[@]}")
read -ra java_opts <<<"${JAVA_OPTS:-}"

# A cluster left running by an interrupted run is stopped first, so that the port below is free.
AFK_PGDATA=$pgdata scripts/local-postgres stop
db_port=$(free_port 55434)
AFK_PGDATA=$pgdata DB_PORT=$db_port scripts/local-postgres start >/dev/null
scripts/dev-token --init
token=$(scripts/dev-token bench afk-viewers)

kib() { awk -v key="$1:" '$1 == key { print $2 }' "/proc/$pid/status"; }
threads() { kib Threads; }
pss_kib() { awk '$1 == "Pss:" { print $2 }' "/proc/$pid/smaps_rollup"; }
# The heap in use: G1 reports one "garbage-first heap total reserved NK, committed NK, used NK"
# line, the serial collector one such line per generation (DefNew, Tenured): their sum. (JDK 21
# wrote "total NK, used NK"; Metaspace's line has "used" but no "total".)
heap_kib() {
  "$JAVA_HOME/bin/jcmd" "$pid" GC.heap_info 2>/dev/null |
    awk '/total .*used [0-9]+K/ && match($0, /used [0-9]+K/) { sum += substr($0, RSTART + 5, RLENGTH - 6) } END { print sum + 0 }'
}
# User + system CPU seconds the process has used so far (/proc/<pid>/stat fields 14 and 15).
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$pid/stat"; }
mib() { echo $(( ${1%.*} / 1024 )); }
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "java: $("$JAVA_HOME/bin/java" -version 2>&1 | head -1); cores: $(nproc); JAVA_OPTS: ${java_opts[*]:-none}; load at start: $(cut -d" " -f1-3 /proc/loadavg)"

# The migrate step as the Deployment's init container runs it (here with the local profile's
# database): Flyway over JDBC, then exit. Timed once; the "migrated" modes start after it.
launched=$(date +%s%N)
DB_PORT=$db_port "$JAVA_HOME/bin/java" "${java_opts[@]}" -Dquarkus.profile=local,migrate \
  -Dquarkus.oidc.public-key="$(cat .local/dev-oidc/public.b64)" \
  -jar "$app/quarkus-run.jar" >"$work/migrate.log" 2>&1 || { cat "$work/migrate.log" >&2; exit 1; }
echo "migrate step: $(( ($(date +%s%N) - launched) / 1000000 )) ms until it exited"

printf '%-14s %-4s %-9s %-9s %-6s %-10s %-10s %-10s %-8s %-10s %-10s %-10s %-8s\n' mode run "started" "ready ms" "CPU s" \
  "RSS start" "PSS start" "heap start" "threads" "RSS after" "PSS after" "heap after" "threads"
for run in $(seq 1 "$runs"); do
  for mode in "${modes[@]}"; do
    flags=("${java_opts[@]}") dir=$app
    [[ "$mode" = base-* ]] && dir=$BASELINE
    [[ "$mode" = aot* || "$mode" = base-aot ]] && flags+=(-XX:AOTCache="$dir/app.aot")
    # What the prod profile sets: no migration at start and, without a JDBC URL, no JDBC datasource.
    [[ "$mode" = *-migrated ]] && flags+=(-Dquarkus.flyway.migrate-at-start=false -D%local.quarkus.datasource.jdbc.url=)
    launched=$(date +%s%N)
    DB_PORT=$db_port "$JAVA_HOME/bin/java" "${flags[@]}" -Dquarkus.profile=local \
      -Dquarkus.oidc.public-key="$(cat .local/dev-oidc/public.b64)" \
      -Dquarkus.http.port="$http_port" -Dquarkus.management.port="$management_port" \
      -jar "$dir/quarkus-run.jar" >"$work/service.log" 2>&1 &
    pid=$!
    until curl -sf -o /dev/null "$management/q/health/ready"; do
      kill -0 "$pid" 2>/dev/null || { cat "$work/service.log" >&2; exit 1; }
      sleep 0.02
    done
    ready_ms=$(( ($(date +%s%N) - launched) / 1000000 ))
    cpu=$(cpu_seconds)
    grep -q "AOT cache" "$work/service.log" && grep -m1 "AOT cache" "$work/service.log" >&2
    rss_start=$(kib VmRSS) pss_start=$(pss_kib) heap_start=$(heap_kib) threads_start=$(threads)
    for _ in $(seq 1 "$requests"); do
      curl -sf -o /dev/null -H "Authorization: Bearer $token" "$api/api/afk/kill-switch"
    done
    rss_after=$(kib VmRSS) pss_after=$(pss_kib) heap_after=$(heap_kib) threads_after=$(threads)
    # Read now: readiness may answer before Quarkus has written its "started in" line.
    started=$(sed -nE 's/.*started in ([0-9.]+)s.*/\1/p' "$work/service.log" | head -1)
    started=${started:-0}
    kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
    printf '%-14s %-4s %-9s %-9s %-6s %-10s %-10s %-10s %-8s %-10s %-10s %-10s %-8s\n' "$mode" "$run" "${started}s" "$ready_ms" "$cpu" \
      "$(mib "$rss_start")" "$(mib "$pss_start")" "$(mib "$heap_start")" "$threads_start" \
      "$(mib "$rss_after")" "$(mib "$pss_after")" "$(mib "$heap_after")" "$threads_after"
    echo "$started $ready_ms $cpu $rss_start $pss_start $heap_start $rss_after $pss_after $heap_after $threads_start $threads_after" >>"$work/$mode"
  done
done
echo "load at end: $(cut -d" " -f1-3 /proc/loadavg)"
median_of() { awk -v c="$2" '{ print $c }' "$work/$1" | median; }
echo
echo "| mode | started in | ready | CPU until ready | RSS / PSS / heap after start (MiB) | RSS / PSS / heap after $requests requests (MiB) | threads after start / after requests |"
echo "|---|---|---|---|---|---|---|"
for mode in "${modes[@]}"; do
  printf '| %s | %s s | %s ms | %s s | %s / %s / %s | %s / %s / %s | %s / %s |\n' "$mode" "$(median_of "$mode" 1)" "$(median_of "$mode" 2)" \
    "$(median_of "$mode" 3)" "$(mib "$(median_of "$mode" 4)")" "$(mib "$(median_of "$mode" 5)")" "$(mib "$(median_of "$mode" 6)")" \
    "$(mib "$(median_of "$mode" 7)")" "$(mib "$(median_of "$mode" 8)")" "$(mib "$(median_of "$mode" 9)")" \
    "$(median_of "$mode" 10)" "$(median_of "$mode" 11)"
done
# Each mode against plain (the jar as scripts/run starts it): ready time, RSS and PSS after start.
echo
for mode in "${modes[@]}"; do
  [ "$mode" = plain ] || [ ! -f "$work/plain" ] && continue
  awk -v m="$mode" -v p="$(median_of plain 2)" -v a="$(median_of "$mode" 2)" -v pr="$(median_of plain 4)" \
    -v ar="$(median_of "$mode" 4)" -v pp="$(median_of plain 5)" -v ap="$(median_of "$mode" 5)" \
    'BEGIN { printf "%s / plain: ready %.2f, RSS after start %.2f, PSS after start %.2f\n", m, a / p, ar / pr, ap / pp }'
done
