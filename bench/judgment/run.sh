#!/usr/bin/env bash
# Native judgment agents against a container agent, in one run: memory and CPU of AGENTS started
# idle native (triage) agents in the service, against one idle minimal labelled container agent
# (busybox httpd serving on :8000) on podman's Docker API; then triage tasks per second through
# the registry against the fake Messages API.
#   bench/judgment/run.sh                          # 1000 agents, 400 tasks, 30 s idle windows
#   AGENTS=200 TASKS=100 IDLE=10 bench/judgment/run.sh   # a quick look
# Prints the table and leaves it in target/bench/judgment.md. The container, the engine service
# and everything else it starts are removed at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib.sh
select_jdk
ensure_packages curl

AGENTS=${AGENTS:-1000}
TASKS=${TASKS:-400}
IDLE=${IDLE:-30}
work=$(mktemp -d /tmp/afk-bench-judgment.XXXX)
name="agent-bench-idle-$$"

# Our own engine service, so no other run stops it under us.
export AFK_PODMAN_DIR="$work/podman"
engine=$(scripts/podman-engine start)
socket=${engine#DOCKER_HOST=unix://}
cleanup() {
  set +e
  curl -s -o /dev/null --unix-socket "$socket" -X DELETE "http://d/v1.41/containers/$name?force=true&t=0"
  AFK_PODMAN_DIR="$work/podman" scripts/podman-engine stop
  rm -rf "$work"
}
trap cleanup EXIT

echo "starting one idle container agent ($name)..." >&2
curl -sf -o /dev/null --unix-socket "$socket" -H 'Content-Type: application/json' \
  -X POST "http://d/v1.41/containers/create?name=$name" -d '{"Image":"localhost/afk-busybox:1",
  "Cmd":["httpd","-f","-p","8000"],"Labels":{"trinity.platform":"agent","trinity.agent-runtime":"claude-code"},
  "HostConfig":{"NetworkMode":"none","Ulimits":[{"Name":"nofile","Soft":1024,"Hard":1024},{"Name":"nproc","Soft":4096,"Hard":4096}]}}'
curl -sf -o /dev/null --unix-socket "$socket" -X POST "http://d/v1.41/containers/$name/start"

echo "running the benchmark (log: target/judgment-bench.log)..." >&2
mkdir -p target
# Maven passes the -Dbench.* properties on to the test JVM.
DOCKER_HOST="unix://$socket" ./mvnw -B -ntp test -Dtest=JudgmentBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
    -Dbench.agents="$AGENTS" -Dbench.tasks="$TASKS" -Dbench.idle-seconds="$IDLE" -Dbench.container="$name" \
    > target/judgment-bench.log 2>&1 || { tail -60 target/judgment-bench.log >&2; echo "failed: see target/judgment-bench.log" >&2; exit 1; }
cat target/bench/judgment.md
echo "heap histogram difference: target/bench/judgment-histogram.md" >&2
