#!/usr/bin/env bash
# The demo: testapp (which knows nothing of NUMA) under the agent, 4 devices on 2 nodes.
# This machine has one NUMA node, so a fake sysfs describes two, node 0 = CPU 0 and node 1 =
# CPU 1 (or all CPUs on one node when the machine has a single CPU). The binding is real: each
# worker prints what the kernel says of itself at the first line of its run().
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f agent/target/numa-agent.jar ] && [ -f testapp/target/testapp.jar ] || mvn -B -q package -DskipTests

sysfs=$(mktemp -d /tmp/numa-demo-sysfs.XXXXXX)
trap 'rm -rf "$sysfs"' EXIT
allowed=$(awk '/^Cpus_allowed_list/{print $2}' /proc/self/status)
first=${allowed%%[-,]*}
second=$(( first + 1 ))
grep -qE "(^|,)$second(,|$)|$first-" <<<"$allowed" || second=$first
node() {  # node ID CPULIST
  local d="$sysfs/devices/system/node/node$1"
  mkdir -p "$d"
  echo "$2" > "$d/cpulist"
  printf 'Node %s MemTotal:       1048576 kB\nNode %s MemFree:         524288 kB\n' "$1" "$1" > "$d/meminfo"
  [ "$1" = 0 ] && echo "10 20" > "$d/distance" || echo "20 10" > "$d/distance"
}
node 0 "$first"
node 1 "$second"
echo "0-1" > "$sysfs/devices/system/node/online"
mkdir -p "$sysfs/devices/system/cpu" && echo "$allowed" > "$sysfs/devices/system/cpu/online"

# JDK 22+ lets testapp read each thread's memory policy (FFM); prefer Temurin 25 when present
java=java
for j in /usr/lib/jvm/temurin-25*/bin/java; do [ -x "$j" ] && java=$j; done
echo "# fake topology: node 0 = cpu $first, node 1 = cpu $second (this process may use $allowed); $($java -version 2>&1 | head -1)"
echo "# the kernel has only node 0's memory: a memory policy on node 1 is refused here, and says so"
"$java" -javaagent:agent/target/numa-agent.jar=config=demo/demo.yaml,sysfs="$sysfs" -jar testapp/target/testapp.jar "$@"
