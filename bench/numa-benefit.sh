#!/usr/bin/env bash
# The NUMA benefit benchmark: per-worker triad bandwidth and pointer-chase latency with workers
# bound by the agent, unbound, and bound to the wrong node; prints the figures, where each worker's
# pages landed, and the ratios. Run it on the machine you care about (a multi-socket GPU host).
#   bash bench/numa-benefit.sh [--config FILE] [--java JAVA] [--devices=N] [--mb=MiB] [--chase-mb=MiB] [--reps=R]
# --config: an agent config with the rules of bench/numa-benefit.yaml (the default) and your devices.
# Run it as root to see page placement on JDK 17-21 (/proc/self/pagemap); JDK 22+ needs no root.
set -euo pipefail
cd "$(dirname "$0")/.."
config=bench/numa-benefit.yaml java=java args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --config) config=$2; shift 2;;
    --java) java=$2; shift 2;;
    *) args+=("$1"); shift;;
  esac
done
[ -f agent/target/numa-agent.jar ] && [ -f bench/target/bench.jar ] && [ -f testapp/target/testapp.jar ] ||
  mvn -B -q package -DskipTests
exec "$java" --add-exports=java.base/sun.nio.ch=ALL-UNNAMED --enable-native-access=ALL-UNNAMED \
  -javaagent:agent/target/numa-agent.jar="$config" \
  -cp bench/target/bench.jar:testapp/target/testapp.jar numa.bench.NumaBenefit "${args[@]}"
