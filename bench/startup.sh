#!/usr/bin/env bash
# Start-up time and memory of the packaged hub on its embedded defaults (embedded Artemis + H2 under a
# fresh data folder), then its memory after N incidents went through to a local police stub.
#   ./mvnw -DskipTests package && [JAVA_OPTS=-Xmx384m] bench/startup.sh [N=500]
# As the image starts it (unpacked, from its class-data-sharing archive; README "Start-up"):
#   bin/cds-archive && CPHUB_JAR=target/cphub-cds/cphub.jar JAVA_OPTS=-XX:SharedArchiveFile=target/cphub-cds/cphub.jsa \
#     bench/startup.sh
# Loopback only; bounded; stops what it starts.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-500}
jar=${CPHUB_JAR:-target/cphub.jar}
[ -f "$jar" ] || { echo "build first: ./mvnw -DskipTests package" >&2; exit 1; }
data=$(mktemp -d /tmp/cphub-bench.XXXXXX)
port=18181; stub_port=18189
python3 -c '
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(200); self.end_headers()
    def log_message(self, *a): pass
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
' $stub_port &
stub=$!
start=$(date +%s.%N)
CPHUB_DATA_DIR=$data CPHUB_HTTP_PORT=$port CPHUB_HTTP_ADDRESS=127.0.0.1 \
  POLICE_INTAKE_URL=http://127.0.0.1:$stub_port/intake \
  SOCIAL_AFFAIRS_WEBHOOK_URL=http://127.0.0.1:$stub_port/social-affairs \
  HOTLINE_CRM_WEBHOOK_URL=http://127.0.0.1:$stub_port/crm \
  HOSPITAL_BAICHAY_WEBHOOK_URL=http://127.0.0.1:$stub_port/hospital \
  CP_SUPERVISOR_WEBHOOK_URL=http://127.0.0.1:$stub_port/supervisor java -XX:+ExitOnOutOfMemoryError ${JAVA_OPTS:-} -jar "$jar" > "$data/hub.log" 2>&1 &
hub=$!
trap 'kill $hub $stub 2>/dev/null; wait $hub 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 600); do
  curl -fs -o /dev/null "http://127.0.0.1:$port/actuator/health" && break
  sleep 0.1
done
ready=$(date +%s.%N)
rss() { awk '/VmRSS|RssAnon|RssFile/ {v[$1] = $2} END {printf "%.0f MB (anonymous %.0f, file %.0f)\n", v["VmRSS:"]/1024, v["RssAnon:"]/1024, v["RssFile:"]/1024}' /proc/$hub/status; }
echo "jvm: $(java -version 2>&1 | head -n 1)"
echo "jar: $jar; JAVA_OPTS: ${JAVA_OPTS:-(none)}"
echo "healthy after: $(awk "BEGIN {printf \"%.1f\", $ready - $start}") s (launch to /actuator/health 200)"
echo "RSS when healthy: $(rss)"
sleep 5
echo "Spring Boot says: $(grep -o 'Started CpHubApplication in [0-9.]* seconds' "$data/hub.log")"
echo "RSS idle 5 s later: $(rss)"
body='{"schemaVersion":"1","messageType":"alert","source":{"system":"hotline-crm","eventId":"BENCH-%d","channel":"hotline"},"category":"violence","certainty":"suspected","priority":2,"signsOfCrime":true,"narrative":"synthetic bench"}'
t0=$(date +%s.%N)
for i in $(seq 1 "$N"); do
  printf "$body" "$i" | curl -fs -o /dev/null -u hotline-crm:hotline-crm-dev-secret \
    -H 'Content-Type: application/json' --data-binary @- "http://127.0.0.1:$port/api/v1/incidents"
done
t1=$(date +%s.%N)
echo "$N incidents accepted (sequential curl) in $(awk "BEGIN {printf \"%.1f\", $t1 - $t0}") s"
for _ in $(seq 1 300); do
  [ "$(grep -c 'delivered to police' "$data/hub.log")" -ge "$N" ] && break
  sleep 0.2
done
echo "delivered to the stub: $(grep -c 'delivered to police' "$data/hub.log") of $N, $(awk "BEGIN {printf \"%.1f\", $(date +%s.%N) - $t0}") s after the first post"
echo "RSS after $N incidents: $(rss)"
