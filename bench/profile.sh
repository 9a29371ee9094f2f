#!/usr/bin/env bash
# Where the hub's CPU goes under a steady load: a CPU profile of the packaged hub, and its samples per incident
# by kind of thread.
#
#   ./mvnw -DskipTests package && bench/profile.sh [options]
#     --rate R        incidents/s posted while profiling (default 100; 4 connections)
#     --warmup S      HTTP load from 16 connections before it, then until every referral is at its partner
#                     (default 30): a fresh JVM's first minutes are mostly the JIT compiling
#     --warmup-rate R the warm-up at R incidents/s from 4 connections instead of as fast as 16 can post: a long
#                     warm-up (minutes) the hub carries as it goes, instead of a backlog that takes longer to drain
#     --seconds S     the profile's length (default 30), taken from the 5th second of the steady load
#     --hub DIR       profile the hub built in another checkout (DIR/target/cphub.jar with DIR's config)
#
# async-profiler 4.1 (Apache-2.0, tools.profiler:async-profiler from Maven Central) is attached to the running
# hub with `jcmd JVMTI.agent_load`, CPU samples every 1 ms, so one sample is about 1 ms of CPU. It prints the
# samples per incident accepted in the window, by thread kind, and leaves the collapsed stacks (flame-graph
# input: one line per stack and its count) in the run's folder. Every partner is the local sink of
# bench/Bench.java. Loopback only; stops what it starts.
set -euo pipefail
cd "$(dirname "$0")/.."

RATE=100; WARMUP=30; WARMUP_RATE=; SECONDS_=30; HUB_DIR=$PWD
while [ $# -gt 0 ]; do
  case "$1" in
    --rate) RATE=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --warmup-rate) WARMUP_RATE=$2; shift 2 ;;
    --seconds) SECONDS_=$2; shift 2 ;;
    --hub) HUB_DIR=$(cd "$2" && pwd); shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

jar=$HUB_DIR/target/cphub.jar
[ -f "$jar" ] || { echo "build first: ./mvnw -DskipTests package (in $HUB_DIR)" >&2; exit 1; }
PROFILER=target/async-profiler/linux-x64/libasyncProfiler.so
if [ ! -f "$PROFILER" ]; then
  ./mvnw -B -q org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
    -Dartifact=tools.profiler:async-profiler:4.1:jar:linux-x64 -DoutputDirectory=target/async-profiler
  (cd target/async-profiler && unzip -q -o async-profiler-4.1-linux-x64.jar)
fi
PROFILER=$(realpath "$PROFILER")
HTTP_PORT=18480; HL7_PORT=18475; SIP_PORT=18460; SINK_PORT=18489
. bench/local-hub.sh cphub-profile
start_sink
start_hub "$HUB_DIR" "$work/data" "$work/hub.log"
URL=http://127.0.0.1:$HTTP_PORT/api/v1/incidents
USER_=hotline-crm:hotline-crm-dev-secret
if [ "$WARMUP" -gt 0 ]; then
  if [ -n "$WARMUP_RATE" ]; then pace=(--connections 4 --rate "$WARMUP_RATE"); else pace=(--connections 16); fi
  bench http --url "$URL" --user $USER_ "${pace[@]}" --seconds "$WARMUP" --priority 3 --out "$work/warmup.csv" > "$work/warmup.txt"
  wait_quiet 5
  echo "warm-up: $(cat "$work/warmup.txt")"
fi

# the steady load; the profile from its 5th second for SECONDS_ seconds
agent() { jcmd $hub JVMTI.agent_load "$PROFILER" "\"$1\"" > /dev/null; }
( sleep 5; agent "start,event=cpu,interval=1ms,threads,file=$work/unused"; sleep "$SECONDS_"
  agent "stop,file=$work/cpu.collapsed,collapsed" ) &
profiler=$!
start_ms=$(( $(date +%s%3N) + 5000 ))
bench http --url "$URL" --user $USER_ --connections 4 --seconds $((SECONDS_ + 10)) --rate "$RATE" --priority 3 \
  --out "$work/load.csv" | tee "$work/load.txt"
wait $profiler
end_ms=$(( start_ms + SECONDS_ * 1000 ))
# incidents accepted in the profile's window (accepts.csv: accept time in ms first)
in_window=$(awk -F, -v a=$start_ms -v b=$end_ms '$1 >= a && $1 < b {n++} END {print n+0}' "$work/load.csv")
wait_quiet 5

echo "== hub $(git -C "$HUB_DIR" rev-parse --short HEAD), ${RATE}/s, profile of ${SECONDS_} s: $in_window incidents accepted in it"
awk -v n="$in_window" '
  { c = $NF; t = $0; sub(/;.*/, "", t); total += c
    if (t ~ /CompilerThre|Sweeper/) k = "JIT compiler"
    else if (t ~ /store-writer/) k = "store writer"
    else if (t ~ /http-nio|\[task-/) k = "HTTP intake (Tomcat, platform-http)"
    else if (t ~ /JmsConsumer\[cphub\.intake/) k = "triage"
    else if (t ~ /JmsConsumer\[cphub\.deliver/) k = "sinks (deliveries)"
    else if (t ~ /ActiveMQ|activemq|InVMConnector/) k = "embedded broker"
    else if (t ~ /GC Thread|G1 |VM Thread/) k = "GC and VM"
    else k = "other"
    s[k] += c }
  END { printf "%-38s %8s %6s %14s\n", "threads", "samples", "share", "ms / incident"
        split("JIT compiler|HTTP intake (Tomcat, platform-http)|triage|store writer|sinks (deliveries)|embedded broker|GC and VM|other", kinds, "|")
        for (i = 1; i <= 8; i++) { k = kinds[i]
          printf "%-38s %8d %5.1f%% %14.2f\n", k, s[k], 100 * s[k] / total, (n ? s[k] / n : 0) }
        printf "%-38s %8d %5.1f%% %14.2f\n", "all", total, 100, (n ? total / n : 0) }' "$work/cpu.collapsed"
echo "collapsed stacks: $work/cpu.collapsed"
