#!/usr/bin/env bash
# Rate-limit cost of idle polling, ours against the reference design, on the fake GitHub.
# Prints the table and leaves it in target/bench/github-polling.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p target
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
./mvnw -B -q verify -Dtest=GitHubPollingBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Djacoco.skip=true > target/github-polling-bench.log 2>&1 \
    || { tail -50 target/github-polling-bench.log; exit 1; }
cat target/bench/github-polling.md
