#!/usr/bin/env bash
# A very large backlog: the packaged hub takes N routine incidents while every partner is down, then drains them.
# What #13 asks of 1,000,000: accepted with a bounded heap (the broker pages to disk), no OutOfMemoryError, drained
# at the sustained rate.
#
#   ./mvnw -DskipTests package && bench/backlog.sh [options]
#     --count N           incidents posted while the partners answer 503 (default 1000000; 16 connections)
#     --post-seconds S    stop posting after S seconds even if N were not all taken (default 3600)
#     --drain-seconds S   after the partners are back, how long to follow the drain (default 600; it stops
#                         earlier when every incident has both referrals at its partner)
#     --store h2|postgres the hub's store (default h2, the embedded default; postgres: a schema of its own in the
#                         local PostgreSQL, 127.0.0.1:5432 database test, dropped at the end unless --keep-data)
#     --partner-delay MS  once back, every partner answers after MS ms (default 0): a slow partner's drain, where
#                         what counts is how many deliveries run at once
#     --hub DIR           the hub built in another checkout (DIR/target/cphub.jar with DIR's config)
#     --keep-data         keep the hub's broker and store folders (a million leaves about 45 GB); by default they
#                         are deleted at the end, the logs and samples stay
#
# Every 30 s it prints the hub's RSS, its heap (jstat: young + old in use, old in use), the size on disk of
# the broker's journal and paging folders and of the store (H2's folder, or the PostgreSQL schema's tables with
# their indexes and TOAST), and the most message groups the broker holds on one partner's queue (0: they group none);
# at the end the drain rate and the sink's count of idempotency keys delivered twice.
# JAVA_OPTS is passed to the hub. Loopback only;
# stops what it starts; leaves the run's folder in /tmp/cphub-backlog.* (logs, samples, the accepted ids) for a
# look. Prints; RESULTS.md is written by hand.
set -euo pipefail
cd "$(dirname "$0")/.."

COUNT=1000000; POST_SECONDS=3600; DRAIN_SECONDS=600; HUB_DIR=$PWD; KEEP_DATA=0; STORE=h2; PARTNER_DELAY=0
while [ $# -gt 0 ]; do
  case "$1" in
    --count) COUNT=$2; shift 2 ;;
    --post-seconds) POST_SECONDS=$2; shift 2 ;;
    --drain-seconds) DRAIN_SECONDS=$2; shift 2 ;;
    --store) STORE=$2; shift 2 ;;
    --partner-delay) PARTNER_DELAY=$2; shift 2 ;;
    --hub) HUB_DIR=$(cd "$2" && pwd); shift 2 ;;
    --keep-data) KEEP_DATA=1; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

jar=$HUB_DIR/target/cphub.jar
[ -f "$jar" ] || { echo "build first: ./mvnw -DskipTests package (in $HUB_DIR)" >&2; exit 1; }
case "$STORE" in h2|postgres) ;; *) echo "--store h2 or postgres" >&2; exit 2 ;; esac
HTTP_PORT=18580; HL7_PORT=18575; SIP_PORT=18560; SINK_PORT=18589
. bench/local-hub.sh cphub-backlog
start_sink
sink_ctl status=503
data=$work/data
store_env=()
if [ "$STORE" = postgres ]; then
  schema=bench_backlog_$$
  psql -h 127.0.0.1 -U postgres -d test -q -c "create schema $schema" > /dev/null
  store_env=(CPHUB_DB_URL="jdbc:postgresql://127.0.0.1:5432/test?currentSchema=$schema" CPHUB_DB_USER=postgres CPHUB_DB_PASSWORD=)
fi
start_hub "$HUB_DIR" "$data" "$work/hub.log" "${store_env[@]}"
echo "== hub $(git -C "$HUB_DIR" rev-parse --short HEAD), store $STORE, JAVA_OPTS='${JAVA_OPTS:-}', run folder $work"

mb() { du -sm "$1" 2>/dev/null | cut -f1 || echo 0; }
store_mb() {
  if [ "$STORE" = postgres ]; then
    psql -h 127.0.0.1 -U postgres -d test -tAq -c "select (coalesce(sum(pg_total_relation_size(c.oid)), 0) / 1048576)::bigint
      from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = '$schema' and c.relkind = 'r'"
  else
    mb "$data/store"
  fi
}
# the most message groups the broker holds on one partner's queue (Jolokia): none since they stopped grouping
# (2026-12-03); before, bounded by 1,024 buckets, and before those it grew by one per referral delivered and ran the
# heap out (RESULTS.md, "A backlog of 1,000,000 on PostgreSQL")
deliver_groups() {
  curl -fs -u admin:admin-dev "http://127.0.0.1:$HTTP_PORT/actuator/jolokia/read/org.apache.activemq.artemis:broker=%22cphub%22,component=addresses,address=*,subcomponent=queues,routing-type=*,queue=%22cphub.deliver.*%22/GroupCount" 2>/dev/null \
    | python3 -c 'import json, sys; v = json.load(sys.stdin).get("value") or {}; print(max([q["GroupCount"] for q in v.values()] or [0]))' 2>/dev/null || echo '?'
}
sample() { # elapsed s, RSS MB, heap in use MB, old gen in use MB, journal MB, paging MB, store MB, most groups on a partner's queue
  local rss heap
  rss=$(awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$hub/status" 2>/dev/null || echo 0)
  heap=$(jstat -gc $hub 2>/dev/null | awk 'NR==2 {printf "%.0f %.0f", ($3+$4+$6+$8)/1024, $8/1024}')
  echo "$1 $rss $heap $(mb "$data/broker/journal") $(mb "$data/broker/paging") $(store_mb) $(deliver_groups)"
}
t0=$(date +%s)
( echo "seconds rss_mb heap_mb old_mb journal_mb paging_mb store_mb deliver_groups"
  while kill -0 $hub 2>/dev/null; do sample $(( $(date +%s) - t0 )); sleep 30; done ) | tee "$work/samples.txt" &
sampler=$!

bench http --url "http://127.0.0.1:$HTTP_PORT/api/v1/incidents" --user hotline-crm:hotline-crm-dev-secret \
  --connections 16 --seconds "$POST_SECONDS" --count "$COUNT" --priority 3 --out "$work/backlog.csv" | tee "$work/post.txt"
posted=$(wc -l < "$work/backlog.csv")
echo "== $posted accepted while the partners were down; partners back, answering after $PARTNER_DELAY ms"
sink_ctl "status=200&delayMs=$PARTNER_DELAY"
drain_start=$(date +%s%3N)
# delivered = incidents of the backlog with both referrals at their partner; also when the last of them arrived
# (a clock escalation names its incident too: its key, referral/clock/stage, tells it apart)
delivered() { curl -fs "$SINK/dump" > /dev/null
  awk -F, 'NR==FNR {a[$2]=1; next} ($3 in a) && $4 !~ /\// {c[$3]++; if ($1 > m) m = $1; if (f == 0 || $1 < f) f = $1} END {n=0; for (k in c) if (c[k]>=2) n++; print n, f+0, m+0}' \
    "$work/backlog.csv" "$work/sink.csv"; }
# progress from the sink's counter (cheap); its full log is read once, at the end
while [ $(( $(date +%s%3N) - drain_start )) -lt $((DRAIN_SECONDS * 1000)) ]; do
  sleep 10
  n=$(referral_arrivals)
  echo "drain: $n referrals at their partners after $(( ($(date +%s%3N) - drain_start) / 1000 )) s"
  [ "$n" -ge $((2 * posted)) ] && break
done
read -r done_n first_ms last_ms < <(delivered)
kill $sampler 2>/dev/null || true
# the partners' circuits opened while they answered 503: deliveries resume after a probe
# (cphub.delivery.circuit.half-open-after), so the rate is taken from the first delivery
if [ "$done_n" -ge "$posted" ]; then end_ms=$last_ms; else end_ms=$(date +%s%3N); fi
took=$(( end_ms - first_ms ))
echo "== $done_n of $posted delivered; the first $(( (first_ms - drain_start) / 1000 )) s after the partners were back, then $(awk "BEGIN {printf \"%.0f\", $done_n * 1000 / ($took > 0 ? $took : 1)}") incidents/s end to end for $((took / 1000)) s"
echo "sink: $(curl -fs "$SINK/stats")"
if grep -q OutOfMemoryError "$work/hub.log"; then echo "OutOfMemoryError in the hub's log"; else echo "no OutOfMemoryError in the hub's log"; fi
echo "peak RSS $(awk 'NR>1 {if ($2>m) m=$2} END {print m+0}' "$work/samples.txt") MB, peak heap in use $(awk 'NR>1 {if ($3>m) m=$3} END {print m+0}' "$work/samples.txt") MB, at most $(awk 'NR>1 && $8 ~ /^[0-9]+$/ {if ($8>m) m=$8} END {print m+0}' "$work/samples.txt") message groups on a partner's queue"
kill $hub 2>/dev/null || true; wait $hub 2>/dev/null || true
if [ $KEEP_DATA = 0 ]; then
  echo "the hub's broker and store folders ($(du -sh "$data" | cut -f1)) deleted (--keep-data keeps them)"; rm -rf "$data"
  if [ "$STORE" = postgres ]; then
    echo "the store's schema $schema ($(store_mb) MB) dropped"
    psql -h 127.0.0.1 -U postgres -d test -q -c "set client_min_messages = warning; drop schema $schema cascade" > /dev/null
  fi
fi
