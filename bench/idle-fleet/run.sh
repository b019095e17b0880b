#!/usr/bin/env bash
# One replica of the packaged service holding an idle fleet: REPOS enrolled repositories, RUNS runs
# open (half WORKING with an agent that never ends, half AWAITING_CI on checks that never finish),
# at production's pace. Over an idle window of WINDOW seconds it measures the service's scheduled
# passes (Micrometer's scheduled_methods_seconds, scraped every second, so each delta of one pass is
# that pass's duration), the reactive pool's connections in use (sql_pool_*), and the process's CPU time.
# stdout: the table (also in target/bench/idle-fleet.md); progress on stderr.
#   bench/idle-fleet/run.sh                         # REPOS=200 RUNS=50 WINDOW=300
#   RUNS=0 WINDOW=180 bench/idle-fleet/run.sh       # the same repositories, no run open
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib.sh

select_jdk
ensure_packages curl jq git postgresql
repos=${REPOS:-200} runs=${RUNS:-50} window=${WINDOW:-300}
root=.local/bench-idle-fleet
mkdir -p target/bench "$root"
out=target/bench/idle-fleet
http_port=$(free_port 18480) pg_port=$(free_port 55480)
management_port=$(free_port 19480)
service= world=
cleanup() {
  local status=$?
  set +e
  trap '' INT TERM HUP
  for pid in $service $world; do
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  done
  AFK_PGDATA=$root/pgdata DB_PORT=$pg_port scripts/local-postgres stop >/dev/null 2>&1
  [ "$status" -ne 0 ] && echo "idle-fleet failed; logs in $root/" >&2
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

echo "idle-fleet: building (log: $root/build.log)" >&2
./mvnw -B -ntp -q package -DskipTests dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/sandbox.classpath >"$root/build.log" 2>&1
classpath="target/test-classes:target/classes:$(cat target/sandbox.classpath)"
scripts/dev-token --init >/dev/null
rm -rf "$root/world" "$root/pgdata"
mkdir -p "$root/world"
AFK_PGDATA=$root/pgdata DB_PORT=$pg_port scripts/local-postgres start >/dev/null
sql() { PGPASSWORD=afk psql -h 127.0.0.1 -p "$pg_port" -U afk -d afk -qAtc "$1"; }
scripts/dev-token bench afk-admins >"$root/world/admin-token"

echo "idle-fleet: seeding $repos repositories, $runs of them with a ready issue" >&2
"$JAVA_HOME/bin/java" -cp "$classpath" dev.afk.controlplane.sandbox.IdleFleetWorld "$root/world" \
  "http://127.0.0.1:$http_port" "$repos" "$runs" >"$root/world.log" 2>&1 &
world=$!
until [ -s "$root/world/world.env" ]; do
  kill -0 "$world" 2>/dev/null || { echo "the world did not start; its log: $root/world.log" >&2; exit 1; }
  sleep 1
done
(
  set -a
  # shellcheck disable=SC1091
  . "$root/world/world.env"
  set +a
  # Production's pace (docs/configuration.md), enough room for the fleet's runs.
  export DB_PORT=$pg_port QUARKUS_HTTP_PORT=$http_port QUARKUS_MANAGEMENT_PORT=$management_port \
    AFK_PIPELINE_POLL_EVERY=30s AFK_PIPELINE_SIGNAL_EVERY=3s AFK_PIPELINE_RECONCILE_EVERY=10s \
    AFK_PIPELINE_BUDGETS_PUSH_GRACE=2m AFK_PIPELINE_GLOBAL_CAP=$runs AFK_DOORBELL_POLL_INTERVAL=5s
  # shellcheck disable=SC2086 # JAVA_OPTS: extra JVM options, word-split on purpose (e.g. a JFR recording)
  exec "$JAVA_HOME/bin/java" ${JAVA_OPTS:-} -Dquarkus.profile=local -Dquarkus.oidc.public-key="$(cat .local/dev-oidc/public.b64)" \
    -jar target/quarkus-app/quarkus-run.jar
) >"$root/service.log" 2>&1 &
service=$!

deadline=$((SECONDS + 1200))
until [ -e "$root/world/ready" ]; do
  kill -0 "$service" 2>/dev/null || { echo "the service stopped; its log: $root/service.log" >&2; exit 1; }
  [ $SECONDS -lt $deadline ] || { echo "the repositories were not enrolled in time" >&2; exit 1; }
  sleep 2
done
echo "idle-fleet: $(sql "select count(*) from afk_repo") repositories enrolled; waiting for $runs runs to settle" >&2
settled() {
  sql "select count(*) filter (where state in ('WORKING', 'AWAITING_CI')) || ' ' || count(*) filter (where active)
         || ' ' || (select count(*) from afk_run_effect where done_at is null) from afk_run"
}
while :; do
  read -r held open owed <<<"$(settled)"
  [ "$held" = "$runs" ] && [ "$open" = "$runs" ] && [ "$owed" = 0 ] && break
  kill -0 "$service" 2>/dev/null || { echo "the service stopped; its log: $root/service.log" >&2; exit 1; }
  [ $SECONDS -lt $deadline ] || { echo "the runs did not settle: held $held, open $open, effects owed $owed" >&2; exit 1; }
  sleep 3
done
echo "idle-fleet: $(sql "select string_agg(state || ' ' || n, ', ') from (select state, count(*) n from afk_run group by state) s")" >&2
sleep 30   # the first passes after the last transition, and the JIT, settle

metrics() { curl -sf "http://127.0.0.1:$management_port/q/metrics"; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# The service's JVM: the child of the subshell above.
jvm=$(pgrep -P "$service" java || echo "$service")
hz=$(getconf CLK_TCK)
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
echo "idle-fleet: measuring an idle window of $window s (load $load_start)" >&2
: >"$out.passes.tsv"
: >"$out.pool.tsv"
usage() { metrics | awk '/^sql_pool_usage_seconds_sum\{/ { print $2 }'; }
usage0=$(usage)
cpu0=$(cpu_ticks "$jvm") t0=$(date +%s%N)
# "class.method count sum" of every scheduled method.
passes() {
  awk '/^scheduled_methods_seconds_(count|sum)\{/ {
         c = $1; sub(/.*class="/, "", c); sub(/".*/, "", c); sub(/.*\./, "", c);
         m = $1; sub(/.*method="/, "", m); sub(/".*/, "", m);
         if ($1 ~ /_count\{/) n[c "." m] += $2; else t[c "." m] += $2 }
       END { for (k in n) print k, n[k], t[k] }' | sort
}
prev=$(metrics | passes)
end=$((SECONDS + window))
while [ $SECONDS -lt $end ]; do
  sleep 1
  now=$(metrics)
  cur=$(passes <<<"$now")
  # A method whose count moved by exactly one since the last scrape: that pass's duration.
  join <(echo "$prev") <(echo "$cur") | awk '$4 - $2 == 1 { printf "%s\t%.1f\n", $1, ($5 - $3) * 1000 }' >>"$out.passes.tsv"
  prev=$cur
  # The reactive pool (max 20): connections in use, idle, requests waiting for one.
  awk '/^sql_pool_(active|idle|queue_size)\{/ { k = $1; sub(/\{.*/, "", k); print k "\t" $2 }' <<<"$now" >>"$out.pool.tsv"
done
cpu1=$(cpu_ticks "$jvm") t1=$(date +%s%N)
usage1=$(usage)
load_end=$(cut -d' ' -f1-3 /proc/loadavg)
cpu_s=$(awk -v a="$cpu0" -v b="$cpu1" -v hz="$hz" 'BEGIN { printf "%.2f", (b - a) / hz }')
wall_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')
states=$(sql "select string_agg(state || ' ' || n, ', ') from (select state, count(*) n from afk_run group by state) s")

# Per pass: count, median, p95, max in ms.
summary() {
  sort -t$'\t' -k1,1 -k2,2n "$out.passes.tsv" | awk -F'\t' '
    { v[$1, ++n[$1]] = $2 }
    END { for (k in n) { c = n[k]; m = (c % 2) ? v[k, (c + 1) / 2] : (v[k, c / 2] + v[k, c / 2 + 1]) / 2;
          i = int(c * 0.95 + 0.999999); printf "| %s | %d | %.1f | %.1f | %.1f |\n", k, c, m, v[k, i], v[k, c] } }' | sort
}
pool() {
  awk -F'\t' '{ k = $1; s[k] += $2; n[k]++; if ($2 > mx[k]) mx[k] = $2 }
    END { for (k in n) printf "| `%s` | %.2f | %.2f |\n", k, s[k] / n[k], mx[k] }' "$out.pool.tsv" | sort
}
{
  echo "$repos repositories, $runs runs open ($states); pace: poll 30s, signals 3s, reconcile 10s (batch 20); idle window ${wall_s} s; load $load_start at the start, $load_end at the end; $(nproc) cores"
  echo
  echo "| scheduled pass | passes | median ms | p95 ms | max ms |"
  echo "|---|---:|---:|---:|---:|"
  summary
  echo
  echo "| pool gauge (sampled every second) | mean | max |"
  echo "|---|---:|---:|"
  pool
  echo
  awk -v a="$usage0" -v b="$usage1" -v w="$wall_s" 'BEGIN { printf "Connections in use, time-averaged over the window (pool usage seconds ÷ wall seconds): %.3f\n", (b - a) / w }'
  echo
  awk -v c="$cpu_s" -v w="$wall_s" 'BEGIN { printf "CPU: %.2f s of process CPU time in %.1f s = %.2f %% of a core = %.0f CPU-seconds per idle hour\n", c, w, 100 * c / w, 3600 * c / w }'
} | tee "$out.md"
