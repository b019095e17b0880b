#!/usr/bin/env bash
# Executor read cost per reconcile pass as T3's history grows from 10 to 1,000 threads: the adapter
# against the stateful fake T3, beside the shell-per-run read it replaced and the snapshot an old
# T3 forces. Prints the table (stdout) and leaves it in target/bench/executor-history.md.
#   bench/executor-history/run.sh                 # 30 passes per size and reader
#   TICKS=100 bench/executor-history/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib.sh
select_jdk
mkdir -p target/bench
log=target/bench/executor-history.log
echo "java: $("$JAVA_HOME/bin/java" -version 2>&1 | head -1); cores: $(nproc); load at start: $(cut -d" " -f1-3 /proc/loadavg)" >&2
./mvnw -B -ntp -q test -Dtest=ExecutorHistoryBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Djacoco.skip=true \
  -Dbench.ticks="${TICKS:-30}" >"$log" 2>&1 \
  || { echo "executor-history failed; its log: $log" >&2; tail -n 40 "$log" >&2; exit 1; }
echo "load at end: $(cut -d" " -f1-3 /proc/loadavg)" >&2
cat target/bench/executor-history.md
