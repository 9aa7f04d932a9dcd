#!/usr/bin/env bash
# The soak: testapp serving synthetic load with thread churn (--serve-seconds: workers retire and
# are replaced, helpers come and go) for 10 minutes with the agent, and the same run without it as
# the baseline, side by side. Every INTERVAL s: resident memory (VmRSS), thread count and CPU time
# of each JVM; every second: every live gpu-worker-N thread's Cpus_allowed_list against its
# device's node (a mismatch is counted only if a re-read 50 ms later still shows it: a thread's
# name is set a moment after it starts). At the start and the end: the agent's objects in a live
# class histogram (jcmd GC.class_histogram). Prints a table and a summary (median, first vs last,
# slope per minute).
#
#   bash bench/soak.sh [--minutes N] [--interval S] [--java JAVA] [--no-baseline] [--out DIR]
#
# N may be a fraction (--minutes 0.5). Topology: a fake sysfs tree whose node 0 is the first CPU
# this shell may use and node 1 the second (as the it tests do), 4 devices on nodes 0,0,1,1, the
# rule gpu-worker-(\d+) -> device $1. Exit status 1 when a worker was seen unbound.
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=10 interval=10 java=java baseline=1 out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) minutes=$2; shift 2;;
    --interval) interval=$2; shift 2;;
    --java) java=$2; shift 2;;
    --no-baseline) baseline=0; shift;;
    --out) out=$2; shift 2;;
    -h|--help) sed -n '2,16p' "$0"; exit 0;;
    *) echo "soak.sh: unknown argument $1" >&2; exit 2;;
  esac
done
[ -f agent/target/numa-agent.jar ] && [ -f testapp/target/testapp.jar ] || mvn -B -q package -DskipTests
seconds=$(awk -v m="$minutes" 'BEGIN { s = int(m * 60 + 0.5); print (s < 1 ? 1 : s) }')
dir=${out:-$(mktemp -d /tmp/numa-soak.XXXXXX)}
mkdir -p "$dir"

# the fake topology: node 0 = first allowed CPU, node 1 = second
allowed=$(awk '/^Cpus_allowed_list:/ { print $2 }' /proc/self/status)
cpus=$(echo "$allowed" | tr ',' '\n' | awk -F- '{ to = ($2 == "" ? $1 : $2); for (c = $1; c <= to; c++) print c }' | head -2)
cpu0=$(echo "$cpus" | sed -n 1p) cpu1=$(echo "$cpus" | sed -n 2p)
[ -n "$cpu1" ] || { echo "soak.sh: needs 2 usable CPUs, has $allowed" >&2; exit 1; }
sys=$dir/sys
mkdir -p "$sys/devices/system/cpu" "$sys/devices/system/node/node0" "$sys/devices/system/node/node1"
echo "$cpu0,$cpu1" > "$sys/devices/system/cpu/online"; echo "$cpu0,$cpu1" > "$sys/devices/system/cpu/possible"
for f in online possible has_cpu has_memory; do echo "0-1" > "$sys/devices/system/node/$f"; done
echo "$cpu0" > "$sys/devices/system/node/node0/cpulist"; echo "$cpu1" > "$sys/devices/system/node/node1/cpulist"
for n in 0 1; do
  printf 'Node %d MemTotal:       1048576 kB\nNode %d MemFree:         524288 kB\n' $n $n > "$sys/devices/system/node/node$n/meminfo"
done
echo "10 20" > "$sys/devices/system/node/node0/distance"; echo "20 10" > "$sys/devices/system/node/node1/distance"
cat > "$dir/numa.yaml" <<'YAML'
devices:
  source: static
  nodes: [0, 0, 1, 1]
rules:
  - name: gpu-workers
    thread: "gpu-worker-(\\d+)"
    device: "$1"
YAML
expected=("$cpu0" "$cpu0" "$cpu1" "$cpu1") # Cpus_allowed_list of device d's node

app=(-Xms64m -Xmx256m -jar testapp/target/testapp.jar --serve-seconds=$((seconds + 5)) --devices=4)
"$java" -javaagent:agent/target/numa-agent.jar=config="$dir/numa.yaml",sysfs="$sys" "${app[@]}" \
  > "$dir/agent.out" 2> "$dir/agent.err" &
agent_pid=$!
base_pid=""
if [ "$baseline" = 1 ]; then
  "$java" "${app[@]}" > "$dir/baseline.out" 2> "$dir/baseline.err" &
  base_pid=$!
fi
trap 'kill $agent_pid $base_pid 2>/dev/null || true' EXIT

field() { awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status" 2>/dev/null || true; }
cputicks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || true; }
agent_objects() { # instances and bytes of the agent's classes in a live histogram (a full GC)
  jcmd "$1" GC.class_histogram 2>/dev/null | awk '$4 ~ /^numa\.agent\./ { n += $2; b += $3 } END { print n + 0, b + 0 }'
}

checks=0 unbound=0
declare -A seen=()
check_workers() { # every live gpu-worker-N of the agent's JVM against its device's node
  local t comm cpus d
  for t in /proc/$agent_pid/task/*; do
    comm=$(cat "$t/comm" 2>/dev/null) || continue
    [[ $comm =~ ^gpu-worker-([0-9]+)$ ]] || continue
    d=${BASH_REMATCH[1]}
    cpus=$(awk '/^Cpus_allowed_list:/ { print $2 }' "$t/status" 2>/dev/null) || continue
    [ -n "$cpus" ] || continue
    checks=$((checks + 1)); seen[${t##*/}]=1
    if [ "$cpus" != "${expected[$d]}" ]; then
      sleep 0.05
      if [ "$(cat "$t/comm" 2>/dev/null)" = "$comm" ] &&
         [ "$(awk '/^Cpus_allowed_list:/ { print $2 }' "$t/status" 2>/dev/null)" != "${expected[$d]}" ]; then
        unbound=$((unbound + 1))
        echo "UNBOUND: $comm tid ${t##*/} cpus=$cpus expected ${expected[$d]}" >> "$dir/unbound.txt"
      fi
    fi
  done
}

sleep 3 # start-up
histo_first=$(agent_objects $agent_pid)
samples=$dir/samples.tsv
printf 't_s\tagent_rss_kb\tagent_threads\tagent_cpu_s\tbase_rss_kb\tbase_threads\tbase_cpu_s\tworker_checks\tunbound\n' > "$samples"
hz=$(getconf CLK_TCK)
start=$(date +%s)
next=$start
while :; do
  now=$(date +%s)
  elapsed=$((now - start))
  if [ "$now" -ge "$next" ]; then
    kill -0 $agent_pid 2>/dev/null || { echo "soak.sh: the agent's JVM ended early; see $dir/agent.err" >&2; exit 1; }
    b_rss=- b_thr=- b_cpu=-
    if [ -n "$base_pid" ]; then
      b_rss=$(field $base_pid VmRSS) b_thr=$(field $base_pid Threads)
      b_cpu=$(awk -v t="$(cputicks $base_pid)" -v hz="$hz" 'BEGIN { printf "%.1f", t / hz }')
    fi
    printf '%d\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%d\n' "$elapsed" "$(field $agent_pid VmRSS)" "$(field $agent_pid Threads)" \
      "$(awk -v t="$(cputicks $agent_pid)" -v hz="$hz" 'BEGIN { printf "%.1f", t / hz }')" \
      "$b_rss" "$b_thr" "$b_cpu" "$checks" "$unbound" >> "$samples"
    next=$((next + interval))
  fi
  [ "$elapsed" -ge "$seconds" ] && break
  check_workers
  sleep 1
done
histo_last=$(agent_objects $agent_pid)
wait $agent_pid || true
[ -z "$base_pid" ] || wait $base_pid || true
trap - EXIT

column -t -s $'\t' "$samples"
echo
awk -F'\t' -v interval="$interval" '
  NR == 1 { for (i = 1; i <= NF; i++) name[i] = $i; next }
  { n++; x[n] = $1 / 60; for (i = 2; i <= 7; i++) v[i, n] = $i }
  # least-squares slope per minute of column i over samples from..n (the second half: after warm-up)
  function slope(i, from,   k, m, sx, sy, sxx, sxy, d) {
    for (k = from; k <= n; k++) { m++; sx += x[k]; sy += v[i, k]; sxx += x[k] * x[k]; sxy += x[k] * v[i, k] }
    d = m * sxx - sx * sx
    return d == 0 ? 0 : (m * sxy - sx * sy) / d
  }
  END {
    printf "%-14s %10s %10s %10s %12s %18s\n", "", "median", "first", "last", "slope/min", "2nd-half slope/min"
    for (i = 2; i <= 7; i++) {
      if (v[i, 1] == "-") continue
      for (k = 1; k <= n; k++) s[k] = v[i, k] + 0
      for (a = 2; a <= n; a++) { t = s[a]; b = a - 1; while (b >= 1 && s[b] > t) { s[b + 1] = s[b]; b-- } s[b + 1] = t }
      med = n % 2 ? s[(n + 1) / 2] : (s[n / 2] + s[n / 2 + 1]) / 2
      printf "%-14s %10s %10s %10s %12.2f %18.2f\n", name[i], med, v[i, 1], v[i, n], slope(i, 1), slope(i, int(n / 2) + 1)
    }
  }' "$samples"
echo
echo "workers checked: ${#seen[@]} distinct gpu-worker threads, $checks observations, unbound: $unbound"
echo "agent objects (live histogram): first $histo_first, last $histo_last  (instances bytes)"
echo "served (agent):    $(grep 'testapp: served' "$dir/agent.err" | tail -1 | sed 's/^testapp: //')"
[ -z "$base_pid" ] || echo "served (baseline): $(grep 'testapp: served' "$dir/baseline.err" | tail -1 | sed 's/^testapp: //')"
echo "files: $dir"
[ "$unbound" = 0 ]
