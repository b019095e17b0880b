#!/usr/bin/env bash
# Label→dispatch and push→verdict latency of the packaged service, in a sandbox of its own
# (scripts/run: PostgreSQL, the built jar, simulators of GitHub, T3, CI, Slack and ntfy on loopback).
# Per sample a fresh issue of demo/greeter is labelled by a trusted writer, the simulated agent
# pushes a commit, CI is green at once, and the run ends DONE; the next sample starts once the run's
# effects are done. WARMUP issues (default 1) are labelled with the `issues` webhook first, while
# the JVM is still cold, and reported on a row of their own; then SAMPLES issues with the webhook,
# then SAMPLES without one (only the poll can see those). From the service's own timeline:
#   label→queued      the label until the run is recorded (the dispatch decision)
#   label→dispatched  the label until the executor accepted the work (state WORKING)
#   verdict→recorded  CI's completed check run (its `check_run` webhook leaves at once) until the
#                     run's verdict is recorded (state DONE)
# Prints a table (medians, p95, max in ms) on stdout, one line per sample on stderr, and keeps both
# in target/bench/run-latency.{md,tsv}.
#   bench/run-latency/run.sh                        # SAMPLES=15 per path, the sandbox's pace
#   AFK_PIPELINE_POLL_EVERY=30s AFK_PIPELINE_SIGNAL_EVERY=3s AFK_PIPELINE_RECONCILE_EVERY=10s \
#     bench/run-latency/run.sh                      # production's pace (docs/configuration.md)
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib.sh

select_jdk
ensure_packages curl jq
samples=${SAMPLES:-15}
warmup=${WARMUP:-1}
export AFK_SANDBOX_DIR=.local/bench-run-latency
export QUARKUS_HTTP_PORT=${QUARKUS_HTTP_PORT:-$(free_port 18083)}
export QUARKUS_MANAGEMENT_PORT=${QUARKUS_MANAGEMENT_PORT:-$(free_port 19003)}
export AFK_SANDBOX_PORT=${AFK_SANDBOX_PORT:-$(free_port 18093)}
export DB_PORT=${DB_PORT:-$(free_port 55435)}
# No container engine: container agents play no part here, and one would only add load.
export DOCKER_HOST=unix://$PWD/$AFK_SANDBOX_DIR.no-engine.sock
api=http://127.0.0.1:$QUARKUS_HTTP_PORT
sim=http://127.0.0.1:$AFK_SANDBOX_PORT
repo=demo/greeter
mkdir -p target/bench
log=target/bench/run-latency.log
tsv=target/bench/run-latency.tsv

service=
cleanup() {
  local status=$?
  set +e
  if [ -n "$service" ]; then
    kill "$service" 2>/dev/null
    wait "$service" 2>/dev/null
  fi
  [ "$status" -ne 0 ] && echo "run-latency failed; the service's and sandbox's output: $log, $AFK_SANDBOX_DIR/simulators.log" >&2
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "building and starting the sandbox (log: $log)..." >&2
scripts/run >"$log" 2>&1 &
service=$!
scripts/dev-token --init >/dev/null
admin="Authorization: Bearer $(scripts/dev-token bench afk-admins)"
call() { curl -sS --fail-with-body -H "$admin" -H 'Content-Type: application/json' "$@"; }
deadline=$((SECONDS + ${BENCH_START_WAIT:-900}))
until curl -sf -H "$admin" "$api/api/afk/repos/$repo" >/dev/null 2>&1; do
  kill -0 "$service" 2>/dev/null || { echo "scripts/run ended early" >&2; tail -n 30 "$log" >&2; exit 1; }
  [ $SECONDS -lt $deadline ] || { echo "$repo was not enrolled in time" >&2; exit 1; }
  sleep 1
done
call -X PUT "$api/api/afk/kill-switch" -d '{"engaged": false, "reason": "run-latency bench"}' >/dev/null

ms() { date -d "$1" +%s%3N; }
# Waits until the run of issue $1 is DONE with every effect done; prints its detail.
finished() {
  local issue=$1 deadline=$((SECONDS + 180)) id detail state
  while :; do
    id=$(call "$api/api/afk/runs?repo=$repo" | jq -r "[.[] | select(.issue == $issue)][0].id // empty")
    if [ -n "$id" ]; then
      detail=$(call "$api/api/afk/runs/$id")
      state=$(jq -r .run.state <<<"$detail")
      case "$state" in
        DONE) [ "$(jq '[.effects[] | select(.doneAt == null)] | length' <<<"$detail")" = 0 ] && { echo "$detail"; return 0; } ;;
        ESCALATED|FROZEN|CANCELLED) echo "issue $issue ended $state: $(jq -r .run.outcomeReason <<<"$detail")" >&2; return 1 ;;
      esac
    fi
    [ $SECONDS -lt $deadline ] || { echo "issue $issue is '${state:-not dispatched}' after 180 s" >&2; return 1; }
    sleep 0.2
  done
}

echo "java: $("$JAVA_HOME/bin/java" -version 2>&1 | head -1); cores: $(nproc); load at start: $(cut -d" " -f1-3 /proc/loadavg)" >&2
printf 'path\tissue\tlabel_to_queued_ms\tlabel_to_dispatched_ms\tverdict_to_recorded_ms\n' >"$tsv"
for path in warmup webhook poll; do
  webhook=$([ "$path" = poll ] && echo false || echo true)
  count=$([ "$path" = warmup ] && echo "$warmup" || echo "$samples")
  for i in $(seq 1 "$count"); do
    issue=$(curl -sS --fail-with-body -X POST "$sim/issues" -d "{\"title\": \"Bench $path $i\", \"body\": \"Add a line.\"}" | jq .number)
    labelled=$(date +%s%3N)
    curl -sS --fail-with-body -X POST "$sim/issues/$issue/labels" \
      -d "{\"label\": \"ready-for-agent\", \"as\": \"alice\", \"webhook\": $webhook}" >/dev/null
    detail=$(finished "$issue")
    queued=$(ms "$(jq -r '[.timeline[] | select(.to == "QUEUED")][0].at' <<<"$detail")")
    dispatched=$(ms "$(jq -r '[.timeline[] | select(.to == "WORKING")][0].at' <<<"$detail")")
    recorded=$(ms "$(jq -r '[.timeline[] | select(.to == "DONE")][0].at' <<<"$detail")")
    sha=$(jq -r .run.commitSha <<<"$detail")
    verdict=$(ms "$(curl -sS "$sim/ci" | jq -r --arg sha "$sha" '[.verdicts[] | select(.sha == $sha)][0].at')")
    line=$(printf '%s\t%s\t%s\t%s\t%s' "$path" "$issue" $((queued - labelled)) $((dispatched - labelled)) $((recorded - verdict)))
    echo "$line" >&2
    echo "$line" >>"$tsv"
  done
done
load_end=$(cut -d" " -f1-3 /proc/loadavg)
echo "load at end: $load_end" >&2

# Nearest-rank percentiles of one column for one path (or every path).
stat() {
  awk -F'\t' -v p="$1" -v c="$2" 'NR > 1 && (p == "all" || $1 == p) { print $c }' "$tsv" | sort -n |
    awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2;
      i = int(NR * 0.95 + 0.999999); printf "%d / %d / %d", m, v[i], v[NR] }'
}
{
  echo "pace: poll ${AFK_PIPELINE_POLL_EVERY:-2s}, signal ${AFK_PIPELINE_SIGNAL_EVERY:-1s}, reconcile ${AFK_PIPELINE_RECONCILE_EVERY:-1s}; $samples samples per path after $warmup warm-up; load at end: $load_end"
  echo
  echo "| path | label→queued ms (median / p95 / max) | label→dispatched ms (median / p95 / max) | verdict→recorded ms (median / p95 / max) |"
  echo "|---|---|---|---|"
  [ "$warmup" -gt 0 ] && echo "| webhook, first $warmup after start (cold JVM) | $(stat warmup 3) | $(stat warmup 4) | $(stat warmup 5) |"
  for path in webhook poll; do
    echo "| $path | $(stat "$path" 3) | $(stat "$path" 4) | $(stat "$path" 5) |"
  done
} | tee target/bench/run-latency.md
