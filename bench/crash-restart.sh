#!/usr/bin/env bash
# The emergency lane right after a crash: the hub killed (kill -9) with a backlog of routine incidents, started
# again on the same data as a restart policy would, and priority-1 incidents posted as soon as it is healthy, while
# the young JVM drains that backlog. #13's emergency lane measured where a backlog and a cold hub meet; the other
# benches post their emergencies to a hub their load has warmed.
#
#   ./mvnw -DskipTests package && bench/crash-restart.sh [options]
#     --backlog N          routine incidents taken while every partner answers 503 (default 20000; 16 connections)
#     --emergencies N      priority-1 incidents posted once the restarted hub is healthy (default 20)
#     --emergency-rate R   how many of them a second (default 2); 0: all at once from 16 connections
#     --store h2|postgres  the hub's store (default h2; postgres: a schema of its own in the local PostgreSQL,
#                          127.0.0.1:5432 database test, dropped at the end)
#     --hub DIR            the hub built in another checkout (DIR/target/cphub.jar with DIR's config)
#
# Prints the restart's time to healthy, the emergencies' 202 latency (the poster's own first request warmed
# first, so the first 202 is the hub's), accept->both partners per emergency in the order posted, then follows
# the backlog to its end: every incident with both referrals at its partner, and the sink's count of keys that
# arrived twice. Prints; RESULTS.md is written by hand. JAVA_OPTS is passed to the hub. Loopback only; stops
# what it starts; leaves the run's folder in /tmp/cphub-crash-restart.* for a look (the PostgreSQL schema is
# dropped).
set -euo pipefail
cd "$(dirname "$0")/.."

BACKLOG=20000; EMERGENCIES=20; RATE=2; STORE=h2; HUB_DIR=$PWD
while [ $# -gt 0 ]; do
  case "$1" in
    --backlog) BACKLOG=$2; shift 2 ;;
    --emergencies) EMERGENCIES=$2; shift 2 ;;
    --emergency-rate) RATE=$2; shift 2 ;;
    --store) STORE=$2; shift 2 ;;
    --hub) HUB_DIR=$(cd "$2" && pwd); shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[ -f "$HUB_DIR/target/cphub.jar" ] || { echo "build first: ./mvnw -DskipTests package (in $HUB_DIR)" >&2; exit 1; }
case "$STORE" in h2|postgres) ;; *) echo "--store h2|postgres" >&2; exit 2 ;; esac

HTTP_PORT=18680; HL7_PORT=18675; SIP_PORT=18660; SINK_PORT=18689
. bench/local-hub.sh cphub-crash-restart
store_env=()
if [ "$STORE" = postgres ]; then
  schema=bench_crash_$$
  psql -h 127.0.0.1 -U postgres -d test -q -c "create schema $schema" > /dev/null
  store_env=(CPHUB_DB_URL="jdbc:postgresql://127.0.0.1:5432/test?currentSchema=$schema" CPHUB_DB_USER=postgres CPHUB_DB_PASSWORD=)
  trap 'cleanup; psql -h 127.0.0.1 -U postgres -d test -q -c "set client_min_messages = warning; drop schema $schema cascade" > /dev/null' EXIT
fi
URL=http://127.0.0.1:$HTTP_PORT/api/v1/incidents
USER_=hotline-crm:hotline-crm-dev-secret
now_ms() { date +%s%3N; }

start_sink
sink_ctl status=503
start_hub "$HUB_DIR" "$work/data" "$work/hub-before.log" "${store_env[@]}"
echo "== hub $(git -C "$HUB_DIR" rev-parse --short HEAD), store $STORE, JAVA_OPTS='${JAVA_OPTS:-}', run folder $work"
bench http --url "$URL" --user "$USER_" --connections 16 --seconds 100000 --count "$BACKLOG" --priority 3 \
  --out "$work/backlog.csv" | tee "$work/backlog.txt"
sleep 5   # triage takes some of the backlog to the partners' queues meanwhile
kill -9 "$hub"; wait "$hub" 2>/dev/null || true
echo "== killed (kill -9); partners back (200); started again on the same data"
sink_ctl status=200
t0=$(now_ms)
start_hub "$HUB_DIR" "$work/data" "$work/hub-after.log" "${store_env[@]}"
took=$(( $(now_ms) - t0 ))
echo "healthy after $(( took / 1000 )).$(( took % 1000 / 100 )) s; $(referral_arrivals) referrals at their partners so far"

connections=1; [ "$RATE" = 0 ] && connections=16
bench http --url "$URL" --user "$USER_" --connections $connections --seconds 100000 --count "$EMERGENCIES" \
  --rate "$RATE" --priority 1 --warm-client true --out "$work/emergencies.csv" | tee "$work/emergency-post.txt"
sleep 5
curl -fs "$SINK/dump" > /dev/null
bench report --accepts "$work/emergencies.csv" --sink "$work/sink.csv" --referrals 2 | tail -1
echo "each, in the order posted (ms from its 202 to both partners; below 0: delivered before its poster read the 202):"
sort -t, -k1,1n "$work/emergencies.csv" | awk -F, 'NR==FNR {acc[$2]=$1; ord[++n]=$2; next}
  ($3 in acc) {k[$3]++; if ($1>last[$3]) last[$3]=$1}
  END {for (i=1;i<=n;i++) printf "%s ", (k[ord[i]]>=2 ? last[ord[i]]-acc[ord[i]] : "missing"); print ""}' - "$work/sink.csv"

# the backlog to its end (given up after 20 minutes)
deadline=$(( $(now_ms) + 1200000 ))
while [ "$(now_ms)" -lt $deadline ]; do
  [ "$(referral_arrivals)" -ge $(( 2 * (BACKLOG + EMERGENCIES) )) ] && break
  sleep 5
done
curl -fs "$SINK/dump" > /dev/null
echo "backlog: $(bench report --accepts "$work/backlog.csv" --sink "$work/sink.csv" --referrals 2 | head -1)"
echo "sink: $(curl -fs "$SINK/stats")"
