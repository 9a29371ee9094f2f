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
#     --store S       h2 (default: the embedded file store) or postgres (127.0.0.1:5432, database test, a fresh
#                     schema, dropped at the end)
#     --broker B      embedded (default) or standalone: an Artemis broker of its own (the distribution the tests
#                     download, config/broker/broker.xml) that the hub reaches over TCP, as it would on another
#                     machine
#
# Beside the hub's samples it prints the CPU the standalone broker's process and PostgreSQL's processes used in
# the same window (from /proc, per incident): the part of an incident's work that leaves the hub's machine when
# the broker and the store run elsewhere.
# And the store writers' commits in the window (Prometheus cphub_store_batch_size): per incident, and messages in
# each, which CPHUB_STORE_LINGER (passed on to the hub like any variable of the hub's) changes.
#
# async-profiler 4.1 (Apache-2.0, tools.profiler:async-profiler from Maven Central) is attached to the running
# hub with `jcmd JVMTI.agent_load`, CPU samples every 1 ms, so one sample is about 1 ms of CPU. It prints the
# samples per incident accepted in the window, by thread kind, and leaves the collapsed stacks (flame-graph
# input: one line per stack and its count) in the run's folder. Every partner is the local sink of
# bench/Bench.java. Loopback only; stops what it starts.
set -euo pipefail
cd "$(dirname "$0")/.."

RATE=100; WARMUP=30; WARMUP_RATE=; SECONDS_=30; HUB_DIR=$PWD; STORE=h2; BROKER=embedded
while [ $# -gt 0 ]; do
  case "$1" in
    --rate) RATE=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --warmup-rate) WARMUP_RATE=$2; shift 2 ;;
    --seconds) SECONDS_=$2; shift 2 ;;
    --hub) HUB_DIR=$(cd "$2" && pwd); shift 2 ;;
    --store) STORE=$2; shift 2 ;;
    --broker) BROKER=$2; shift 2 ;;
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
case "$STORE" in h2|postgres) ;; *) echo "--store h2|postgres" >&2; exit 2 ;; esac
case "$BROKER" in embedded|standalone) ;; *) echo "--broker embedded|standalone" >&2; exit 2 ;; esac
HTTP_PORT=18480; HL7_PORT=18475; SIP_PORT=18460; SINK_PORT=18489; BROKER_PORT=61727
. bench/local-hub.sh cphub-profile
start_sink
hub_env=()
others=() # processes besides the hub whose CPU is counted: the standalone broker, PostgreSQL's
schema=; broker=
# the hub first, the broker after it: a hub whose broker has gone waits for it to come back as it stops
stop_all() {
  for p in "${pids[@]:-}"; do kill "$p" 2> /dev/null || true; done
  for p in "${pids[@]:-}"; do wait "$p" 2> /dev/null || true; done
  if [ -n "$broker" ]; then kill "$broker" 2> /dev/null || true; wait "$broker" 2> /dev/null || true; fi
  if [ -n "$schema" ]; then psql -h 127.0.0.1 -U postgres -d test -q -c "set client_min_messages = warning; drop schema $schema cascade" > /dev/null || true; fi
}
trap stop_all EXIT
if [ "$STORE" = postgres ]; then
  schema="profile_$(date +%s)"
  psql -h 127.0.0.1 -U postgres -d test -q -c "create schema $schema" > /dev/null
  hub_env+=(CPHUB_DB_URL="jdbc:postgresql://127.0.0.1:5432/test?currentSchema=$schema" CPHUB_DB_USER=postgres CPHUB_DB_PASSWORD=)
fi
if [ "$BROKER" = standalone ]; then
  ARTEMIS=target/artemis-dist/apache-artemis-2.40.0
  if [ ! -x "$ARTEMIS/bin/artemis" ]; then
    ./mvnw -B -q org.apache.maven.plugins:maven-dependency-plugin:3.8.1:unpack \
      -Dartifact=org.apache.activemq:apache-artemis:2.40.0:tar.gz:bin -DoutputDirectory=target/artemis-dist
  fi
  "$ARTEMIS/bin/artemis" create "$work/broker" --silent --force --user cphub --password cphub-profile-secret --role amq \
    --require-login --nio --host 127.0.0.1 --no-web --no-amqp-acceptor --no-mqtt-acceptor --no-stomp-acceptor \
    --no-hornetq-acceptor > "$work/broker-create.log"
  sed "s|tcp://0.0.0.0:61616|tcp://127.0.0.1:$BROKER_PORT|" "$HUB_DIR/config/broker/broker.xml" > "$work/broker/etc/broker.xml"
  cp "$HUB_DIR"/config/broker/cphub-*.xml "$work/broker/etc/"
  # exec: the pid is the broker's JVM, whose CPU is counted
  ( exec "$work/broker/bin/artemis" run > "$work/broker.log" 2>&1 ) &
  broker=$!; others+=($broker)
  for _ in $(seq 1 120); do (echo > /dev/tcp/127.0.0.1/$BROKER_PORT) 2> /dev/null && break; sleep 0.5; done
  hub_env+=(CPHUB_BROKER_URL="tcp://127.0.0.1:$BROKER_PORT" CPHUB_BROKER_USER=cphub CPHUB_BROKER_PASSWORD=cphub-profile-secret)
fi
start_hub "$HUB_DIR" "$work/data" "$work/hub.log" "${hub_env[@]}"
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
# CPU ticks (utime + stime) of the other processes; PostgreSQL's are its processes alive at both ends of the
# window (the hub's pooled connections among them)
ticks() { for p in "$@"; do [ -r "/proc/$p/stat" ] && echo "$p $(awk '{print $14 + $15}' "/proc/$p/stat")"; done; true; }
others_now() { ticks "${others[@]:-}"; [ "$STORE" = postgres ] && ticks $(pgrep -x postgres); true; }
# the store writers' batches so far (Prometheus: cphub_store_batch_size, both lanes): commits, and messages in them
# (0 0 from a hub whose scrape fails or that has no such metric, e.g. an older one given with --hub)
batches() { { curl -fs -u operator:operator-dev "http://127.0.0.1:$HTTP_PORT/actuator/prometheus" || true; } |
  awk '/^cphub_store_batch_size_count/ {c += $NF} /^cphub_store_batch_size_sum/ {m += $NF} END {printf "%d %d\n", c, m}'; }
( sleep 5; others_now > "$work/ticks.start"; batches > "$work/batches.start"
  agent "start,event=cpu,interval=1ms,threads,file=$work/unused"; sleep "$SECONDS_"
  agent "stop,file=$work/cpu.collapsed,collapsed"; others_now > "$work/ticks.end"; batches > "$work/batches.end" ) &
profiler=$!
start_ms=$(( $(date +%s%3N) + 5000 ))
bench http --url "$URL" --user $USER_ --connections 4 --seconds $((SECONDS_ + 10)) --rate "$RATE" --priority 3 \
  --out "$work/load.csv" | tee "$work/load.txt"
wait $profiler
end_ms=$(( start_ms + SECONDS_ * 1000 ))
# incidents accepted in the profile's window (accepts.csv: accept time in ms first)
in_window=$(awk -F, -v a=$start_ms -v b=$end_ms '$1 >= a && $1 < b {n++} END {print n+0}' "$work/load.csv")
wait_quiet 5

echo "== hub $(git -C "$HUB_DIR" rev-parse --short HEAD), store $STORE, broker $BROKER, ${RATE}/s, profile of ${SECONDS_} s: $in_window incidents accepted in it"
broker_row="embedded broker"; [ "$BROKER" = standalone ] && broker_row="broker client (Artemis, Netty)"
awk -v n="$in_window" -v broker_row="$broker_row" '
  { c = $NF; t = $0; sub(/;.*/, "", t); total += c
    if (t ~ /CompilerThre|Sweeper/) k = "JIT compiler"
    else if (t ~ /store-writer/) k = "store writer"
    else if (t ~ /http-nio|\[task-/) k = "HTTP intake (Tomcat, platform-http)"
    else if (t ~ /JmsConsumer\[cphub\.intake/) k = "triage"
    else if (t ~ /JmsConsumer\[cphub\.deliver/) k = "sinks (deliveries)"
    else if (t ~ /ActiveMQ|activemq|InVMConnector|netty/) k = broker_row
    else if (t ~ /GC Thread|G1 |VM Thread/) k = "GC and VM"
    else k = "other"
    s[k] += c }
  END { printf "%-38s %8s %6s %14s\n", "threads", "samples", "share", "ms / incident"
        split("JIT compiler|HTTP intake (Tomcat, platform-http)|triage|store writer|sinks (deliveries)|" broker_row "|GC and VM|other", kinds, "|")
        for (i = 1; i <= 8; i++) { k = kinds[i]
          printf "%-38s %8d %5.1f%% %14.2f\n", k, s[k], 100 * s[k] / total, (n ? s[k] / n : 0) }
        printf "%-38s %8d %5.1f%% %14.2f\n", "all", total, 100, (n ? total / n : 0) }' "$work/cpu.collapsed"
# the other processes in the same window: ticks of 10 ms (USER_HZ 100)
if [ ${#others[@]} -gt 0 ] || [ "$STORE" = postgres ]; then
  awk -v n="$in_window" -v broker="${broker:-none}" -v hz="$(getconf CLK_TCK)" '
    FNR == NR { start[$1] = $2; next }
    ($1 in start) { d = $2 - start[$1]; if ($1 == broker) b += d; else pg += d }
    END { ms = 1000 / hz
          if (broker != "none") printf "%-38s %8s %6s %14.2f\n", "standalone broker (its process)", "", "", (n ? b * ms / n : 0)
          if (pg != "") printf "%-38s %8s %6s %14.2f\n", "PostgreSQL (its processes)", "", "", (n ? pg * ms / n : 0) }' \
    "$work/ticks.start" "$work/ticks.end"
fi
read -r c0 m0 < "$work/batches.start"; read -r c1 m1 < "$work/batches.end"
awk -v c=$((c1 - c0)) -v m=$((m1 - m0)) -v n="$in_window" 'BEGIN {
  printf "store commits in the window: %d, %.2f per incident, %.1f messages each (CPHUB_STORE_LINGER: %s)\n",
    c, (n ? c / n : 0), (c ? m / c : 0), ENVIRON["CPHUB_STORE_LINGER"] ? ENVIRON["CPHUB_STORE_LINGER"] : "default" }'
echo "collapsed stacks: $work/cpu.collapsed"
