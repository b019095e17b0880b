#!/usr/bin/env bash
# GET /api/agents against the container engine's own GET /containers/json (same label filter),
# side by side in one run: N labelled containers on podman's Docker API + N native rows, each
# request measured by curl (time_total) over a kept-alive loopback connection.
#   bench/registry/run.sh            # 500 + 500 agents, 1000 timed requests per target (~15 min here:
#                                    # podman lists 500 containers in ~0.3 s)
#   AGENTS=100 REQUESTS=300 bench/registry/run.sh      # a quick look
#   FULL_PAGE=1 bench/registry/run.sh                  # also GET /api/agents?size=500
# Everything it starts (PostgreSQL, podman service, the app) and creates (containers) it removes.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib.sh
select_jdk
ensure_packages postgresql openssl curl python3

AGENTS=${AGENTS:-500}
REQUESTS=${REQUESTS:-1000}
WARMUP=${WARMUP:-50}
BLOCK=100
work=$(mktemp -d /tmp/afk-bench-registry.XXXX)
pg_port=${BENCH_DB_PORT:-55439}
app_port=${BENCH_APP_PORT:-18080}
mgmt_port=$((app_port + 1))
prefix="bench$(date +%s | tail -c 5)"

# Our own engine service (another run's cleanup must not stop it under us).
export AFK_PODMAN_DIR="$work/podman"
engine=$(scripts/podman-engine start)
socket=${engine#DOCKER_HOST=unix://}

pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
runas=(); [ "$(id -u)" -eq 0 ] && runas=(runuser -u postgres --)
# $work is ours (mktemp makes it 0700): open it to PostgreSQL's user, whose socket stays in $work/pg.
mkdir -p "$work/pg"; [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$work/pg" && chmod 755 "$work"
app_pid=
cleanup() {
  set +e
  [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null && wait "$app_pid" 2>/dev/null
  echo "removing $AGENTS containers..." >&2
  seq 1 "$AGENTS" | xargs -P 4 -I{} curl -s -o /dev/null --unix-socket "$socket" -X DELETE \
    "http://d/v1.41/containers/agent-$prefix-c-{}?force=true&t=0"
  "${runas[@]}" "$pgbin/pg_ctl" -D "$work/pg" -m fast stop >/dev/null 2>&1
  AFK_PODMAN_DIR="$work/podman" scripts/podman-engine stop
  rm -rf "$work"
}
trap cleanup EXIT

"${runas[@]}" "$pgbin/initdb" -D "$work/pg" -U postgres --auth=trust -E UTF8 >/dev/null
"${runas[@]}" "$pgbin/pg_ctl" -D "$work/pg" -l "$work/pg/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $pg_port -c unix_socket_directories='$work/pg' -c fsync=off -c synchronous_commit=off" start >/dev/null ||
  { echo "PostgreSQL did not start; its log, $work/pg/server.log, ends with:" >&2; tail -n 15 "$work/pg/server.log" >&2; exit 1; }
psql -h 127.0.0.1 -p "$pg_port" -U postgres -qc "create user afk with password 'afk'" -c "create database afk owner afk"

echo "creating $AGENTS labelled containers..." >&2
start=$(date +%s)
seq 1 "$AGENTS" | xargs -P 4 -I{} curl -sf -o /dev/null --unix-socket "$socket" -H 'Content-Type: application/json' \
  -X POST "http://d/v1.41/containers/create?name=agent-$prefix-c-{}" -d '{"Image":"localhost/afk-busybox:1",
  "Cmd":["sleep","3600"],"Labels":{"trinity.platform":"agent","trinity.agent-runtime":"claude-code","trinity.cpu":"2",
  "trinity.memory":"4g","trinity.ssh-port":"2222","trinity.created":"2026-11-24T12:00:00Z"},
  "HostConfig":{"NetworkMode":"none","Ulimits":[{"Name":"nofile","Soft":1024,"Hard":1024},{"Name":"nproc","Soft":4096,"Hard":4096}]}}'
echo "  $(( $(date +%s) - start )) s" >&2

[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q -ntp package -DskipTests
scripts/dev-token --init >/dev/null
DB_PORT=$pg_port DOCKER_HOST="unix://$socket" "$JAVA_HOME/bin/java" -Dquarkus.profile=local \
  -Dquarkus.http.port="$app_port" -Dquarkus.management.port="$mgmt_port" -Dquarkus.log.level=WARN \
  -Dquarkus.oidc.public-key="$(cat .local/dev-oidc/public.b64)" \
  -jar target/quarkus-app/quarkus-run.jar >"$work/app.log" 2>&1 &
app_pid=$!
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$mgmt_port/q/health/ready" >/dev/null && break; sleep 0.5; done
curl -sf "http://127.0.0.1:$mgmt_port/q/health/ready" >/dev/null || { cat "$work/app.log" >&2; exit 1; }

psql -h 127.0.0.1 -p "$pg_port" -U postgres -d afk -q <<SQL
insert into agent (name, owner, runtime_kind, harness, desired_state, created_at, updated_at)
  select '$prefix-c-' || g, 'bench', 'container', 'claude-code', 'running', now(), now() from generate_series(1, $AGENTS) g;
insert into agent (name, owner, runtime_kind, node_type, node_config, tags, desired_state, created_at, updated_at)
  select '$prefix-n-' || g, 'bench', 'native', 'router', '{"tag":"pool"}', '{pool}', 'running', now(), now()
  from generate_series(1, $AGENTS) g;
SQL

token=$(scripts/dev-token bench afk-admins)
filter='%7B%22label%22%3A%5B%22trinity.platform%3Dagent%22%5D%7D'
engine_url="http://d/v1.41/containers/json?all=true&filters=$filter"

# $1 name, $2 count, $3 url, then curl options. One curl, one kept-alive connection, N transfers.
timed() {
  local count=$2 url=$3; shift 3
  local config="$work/urls"; : > "$config"
  for _ in $(seq 1 "$count"); do printf 'url = "%s"\noutput = "/dev/null"\n' "$url" >> "$config"; done
  curl -s -K "$config" -w '%{http_code} %{time_total}\n' "$@"
}
run() { # $1 label, $2 url for ours
  local ours="$2" label="$1" out="$work/run$RANDOM"
  : > "$out.engine"; : > "$out.ours"
  timed warm "$WARMUP" "$engine_url" --unix-socket "$socket" >/dev/null
  timed warm "$WARMUP" "$ours" -H "Authorization: Bearer $token" >/dev/null
  for _ in $(seq 1 $((REQUESTS / BLOCK))); do   # interleaved blocks: both see the same machine load
    timed engine "$BLOCK" "$engine_url" --unix-socket "$socket" >> "$out.engine"
    timed ours "$BLOCK" "$ours" -H "Authorization: Bearer $token" >> "$out.ours"
  done
  python3 - "$label" "$out.engine" "$out.ours" <<'PY'
import sys
def load(path):
    rows = [l.split() for l in open(path) if l.strip()]
    bad = [r for r in rows if r[0] != "200"]
    if bad: sys.exit(f"{path}: {len(bad)} non-200 answers, e.g. {bad[0]}")
    return sorted(float(r[1]) * 1000 for r in rows)
def pct(v, p): return v[min(len(v) - 1, int(round(p / 100 * len(v) + 0.5)) - 1)]
label, engine, ours = sys.argv[1], load(sys.argv[2]), load(sys.argv[3])
e50, e99, o50, o99 = pct(engine, 50), pct(engine, 99), pct(ours, 50), pct(ours, 99)
print(f"| {label} | {len(ours)} | {e50:.1f} | {e99:.1f} | {o50:.1f} | {o99:.1f} | {o50/e50:.2f} | {o99/e99:.2f} |")
PY
}

first=$(curl -s -H "Authorization: Bearer $token" "http://127.0.0.1:$app_port/api/agents?size=1")
total=$(echo "$first" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["total"], d["sources"])') || { echo "$first"; grep -m3 -B2 -A12 "ERROR" "$work/app.log"; exit 1; }
echo "agents listed by the API: $total; containers: $AGENTS; native rows: $AGENTS; requests per target: $REQUESTS"
echo
echo "| request | n | engine p50 ms | engine p99 ms | ours p50 ms | ours p99 ms | p50 ratio | p99 ratio |"
echo "|---|---|---|---|---|---|---|---|"
run "GET /api/agents (page of 50)" "http://127.0.0.1:$app_port/api/agents"
# The whole list in one page (as the engine answers it); doubles the run time.
[ "${FULL_PAGE:-0}" = 1 ] && run "GET /api/agents?size=500" "http://127.0.0.1:$app_port/api/agents?size=500"
exit 0
