# Sourced by the bench scripts (not run on its own): the run's folder, the local partners' sink and the packaged
# hub on loopback, every partner's URL pointing at the sink. The script sets HTTP_PORT, HL7_PORT, SIP_PORT and
# SINK_PORT, then sources this file with the run folder's name (`. bench/local-hub.sh cphub-backlog`): `work` is
# a new folder /tmp/<name>.XXXXXX with bench/Bench.java compiled into $work/classes. What is started is stopped
# when the script exits.

# A disk the broker counts as nearly full makes a run measure refusals: the embedded broker refuses reports over its
# max-disk-usage (90 %, counted as Artemis counts it: 100 - available/size, so a filesystem's reserved blocks count as
# used), and a backlog of 100,000 leaves GBs of H2 file. Earlier runs' folders stay in /tmp until removed.
disk_used=$(df -P /tmp | awk 'NR==2 {printf "%d", 100 - $4 * 100 / $2}')
if [ "$disk_used" -gt 75 ]; then
  echo "warning: /tmp's disk is ${disk_used}% used as the broker counts it (it refuses reports over 90%)." >&2
  ls -d /tmp/cphub-*.* 2>/dev/null | head -20 | xargs -r du -sh 2>/dev/null | sed 's/^/  an earlier run: /' >&2 || true
  echo "  remove the runs you no longer need (rm -rf /tmp/cphub-throughput.* ...) before measuring" >&2
fi
work=$(mktemp -d "/tmp/$1.XXXXXX")
mkdir -p "$work/classes"
javac -d "$work/classes" bench/Bench.java

SINK=http://127.0.0.1:$SINK_PORT
pids=()
cleanup() { for p in "${pids[@]:-}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

bench() { java -cp "$work/classes" Bench "$@"; }

# the sink of every partner: bench/Bench.java sink, logging each arrival to $work/sink.csv
start_sink() {
  if curl -fs "$SINK/stats" >/dev/null 2>&1; then
    echo "port $SINK_PORT is taken (a sink of an earlier run still running?)" >&2; exit 1
  fi
  # java itself in the background (not the bench function, whose subshell would leave the JVM running at exit)
  java -cp "$work/classes" Bench sink --port "$SINK_PORT" --log "$work/sink.csv" > "$work/sink.out" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 50); do curl -fs "$SINK/stats" >/dev/null 2>&1 && break; sleep 0.2; done
}
sink_ctl() { curl -fs "$SINK/control?$1" >/dev/null; }
arrivals() { curl -fs "$SINK/stats" | sed -E 's/.*arrivals=([0-9]+).*/\1/'; }
# referrals only: the arrivals less the hub's clock escalations (after 45 minutes of backlog the supervisor gets many)
referral_arrivals() { curl -fs "$SINK/stats" | sed -E 's/.*arrivals=([0-9]+) escalations=([0-9]+).*/\1 \2/' | awk '{print $1 - $2}'; }
wait_quiet() { # until the sink has seen no new arrival for $1 seconds
  local last=-1 same=0 n
  while [ "$same" -lt "$1" ]; do n=$(arrivals); if [ "$n" = "$last" ]; then same=$((same+1)); else same=0; last=$n; fi; sleep 1; done
}

# start_hub HUB_DIR DATA_DIR LOG [NAME=VALUE ...]: the hub packaged in HUB_DIR (its target/cphub.jar, with its
# config/, routes/ and connectors/; JAVA_OPTS passed on), with the extra environment given; sets `hub` to its pid
# and returns once it is healthy. CPHUB_JAR starts another jar with HUB_DIR's config, e.g. the unpacked hub of
# bin/cds-archive with its archive or AOT cache in JAVA_OPTS; the JVM is the first `java` on PATH.
start_hub() {
  local home=$1 data_dir=$2 log=$3; shift 3
  env CPHUB_HOME="$home" CPHUB_DATA_DIR="$data_dir" CPHUB_HTTP_PORT="$HTTP_PORT" \
    CPHUB_HTTP_ADDRESS=127.0.0.1 CPHUB_HL7_PORT="$HL7_PORT" CPHUB_SIP_PORT="$SIP_PORT" CPHUB_SIP_BIND_ADDRESS=127.0.0.1 \
    POLICE_INTAKE_URL="$SINK/police" SOCIAL_AFFAIRS_WEBHOOK_URL="$SINK/social-affairs" HOTLINE_CRM_WEBHOOK_URL="$SINK/crm" \
    HOSPITAL_BAICHAY_WEBHOOK_URL="$SINK/hospital" CP_SUPERVISOR_WEBHOOK_URL="$SINK/supervisor" \
    CCTV_DESK_HALONG_WEBHOOK_URL="$SINK/desk" "$@" java -XX:+ExitOnOutOfMemoryError ${JAVA_OPTS:-} -jar "${CPHUB_JAR:-$home/target/cphub.jar}" > "$log" 2>&1 &
  hub=$!; pids+=($hub)
  for _ in $(seq 1 900); do curl -fs -o /dev/null "http://127.0.0.1:$HTTP_PORT/actuator/health" && break; sleep 0.1; done
}
