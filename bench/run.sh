#!/usr/bin/env bash
# The overhead benchmark: agent vs plain JVM, same run, medians. Usage: bash bench/run.sh [--runs N]
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f agent/target/numa-agent.jar ] && [ -f bench/target/bench.jar ] || mvn -B -q package -DskipTests
exec java -cp bench/target/bench.jar numa.bench.Harness --agent agent/target/numa-agent.jar "$@"
