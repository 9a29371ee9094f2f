#!/usr/bin/env bash
# Camera storm: DEVICES Hikvision cameras push EVENTS motion alarms in SECONDS seconds to the packaged hub
# on its embedded defaults (Artemis + H2 in a fresh data folder), each camera one continuous episode.
# Prints what the cameras saw (answers, latency), how long the hub took to take every event off the queue,
# how many alerts reached the verifier's stub (one per episode expected), and the hub's memory.
#   ./mvnw -DskipTests package && bench/cctv-storm.sh [EVENTS=10000] [DEVICES=200] [SECONDS=60]
# Loopback only; bounded; stops what it starts. The sites.yaml it uses is generated in the data folder.
set -euo pipefail
cd "$(dirname "$0")/.."
EVENTS=${1:-10000}; DEVICES=${2:-200}; SECONDS_=${3:-60}
jar=target/cphub.jar
[ -f "$jar" ] || { echo "build first: ./mvnw -DskipTests package" >&2; exit 1; }
data=$(mktemp -d /tmp/cphub-storm.XXXXXX)
port=18281; stub_port=18289
cp -r config "$data/config"
python3 - "$data/config/sites.yaml" "$DEVICES" <<'PY'
import sys
path, n = sys.argv[1], int(sys.argv[2])
lines = ["sites:"]
for s in range(n // 10 + 1):
    lines += [f"  - id: storm-school-{s}", "    kind: school", f"    name: Storm school {s}", "    commune: Hong Ha",
              "    district: Ha Long", "    verifier: cctv-desk-halong", "    duty: cp-supervisor", "    devices:"]
    for d in range(10):
        i = s * 10 + d
        if i >= n:
            break
        lines += [f"      - id: storm-cam-{i}", "        vendor: hikvision", f"        key: storm-device-key-{i:06d}",
                  "        timeZone: Asia/Ho_Chi_Minh", "        channels:", "          \"1\": yard"]
open(path, "w").write("\n".join(lines) + "\n")
PY
python3 -c '
import http.server, sys, collections, json
counts = collections.Counter()
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        counts[self.path] += 1
        if self.path == "/desk":
            try:
                counts["events in alerts"] += json.loads(body).get("events", 0)
            except Exception:
                pass
        self.send_response(200); self.end_headers()
    def do_GET(self):
        body = json.dumps(counts).encode()
        self.send_response(200); self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
    def log_message(self, *a): pass
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
' $stub_port &
stub=$!
# every camera here comes from 127.0.0.1: no per-address connection cap (200 cameras > its default of 100)
CPHUB_DATA_DIR=$data CPHUB_CONFIG_DIR=$data/config CPHUB_HTTP_PORT=$port CPHUB_HTTP_ADDRESS=127.0.0.1 CPHUB_SIP_PORT=15999 CPHUB_HL7_PORT=15998 \
  CPHUB_CCTV_EPISODE_WINDOW_MS=10000 \
  CPHUB_HTTP_MAX_CONNECTIONS_PER_ADDRESS=${CPHUB_HTTP_MAX_CONNECTIONS_PER_ADDRESS:-0} \
  POLICE_INTAKE_URL=http://127.0.0.1:$stub_port/intake SOCIAL_AFFAIRS_WEBHOOK_URL=http://127.0.0.1:$stub_port/social \
  HOTLINE_CRM_WEBHOOK_URL=http://127.0.0.1:$stub_port/crm HOSPITAL_BAICHAY_WEBHOOK_URL=http://127.0.0.1:$stub_port/hospital \
  CP_SUPERVISOR_WEBHOOK_URL=http://127.0.0.1:$stub_port/supervisor CCTV_DESK_HALONG_WEBHOOK_URL=http://127.0.0.1:$stub_port/desk \
  java -XX:+ExitOnOutOfMemoryError ${JAVA_OPTS:-} -jar "$jar" > "$data/hub.log" 2>&1 &
hub=$!
trap 'kill $hub $stub 2>/dev/null; wait $hub 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 900); do
  curl -fs -o /dev/null "http://127.0.0.1:$port/actuator/health" && break
  sleep 0.1
done
rss() { awk '/VmRSS/ {printf "%.0f MB", $2/1024}' /proc/$hub/status; }
echo "jvm: $(java -version 2>&1 | head -n 1); JAVA_OPTS: ${JAVA_OPTS:-(none)}"
echo "RSS before the storm: $(rss)"
python3 - "$port" "$EVENTS" "$DEVICES" "$SECONDS_" <<'PY'
import http.client, sys, threading, time, collections
port, events, devices, seconds = (int(a) for a in sys.argv[1:])
per_device = events // devices
answers, latencies, lock = collections.Counter(), [], threading.Lock()
start = time.time()
def camera(i):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for k in range(per_device):
        due = start + (k + (i % 10) / 10) * seconds / per_device
        time.sleep(max(0, due - time.time()))
        at = time.strftime("%Y-%m-%dT%H:%M:%S+07:00", time.gmtime(time.time() + 7 * 3600))
        body = (f'<EventNotificationAlert xmlns="http://www.hikvision.com/ver20/XMLSchema"><channelID>1</channelID>'
                f'<dateTime>{at}</dateTime><activePostCount>{k + 1}</activePostCount><eventType>VMD</eventType>'
                f'<eventState>active</eventState></EventNotificationAlert>').encode()
        t0 = time.time()
        try:
            conn.request("POST", f"/cctv/hikvision/storm-device-key-{i:06d}", body, {"Content-Type": "application/xml"})
            r = conn.getresponse(); r.read(); code = r.status
        except Exception:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30); code = "error"
        with lock:
            answers[code] += 1; latencies.append(time.time() - t0)
threads = [threading.Thread(target=camera, args=(i,)) for i in range(devices)]
[t.start() for t in threads]; [t.join() for t in threads]
took = time.time() - start
latencies.sort()
q = lambda p: latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000
print(f"storm: {sum(answers.values())} events from {devices} cameras in {took:.1f} s; answers {dict(answers)}")
print(f"latency: p50 {q(0.5):.0f} ms, p95 {q(0.95):.0f} ms, p99 {q(0.99):.0f} ms, max {latencies[-1]*1000:.0f} ms")
PY
echo "RSS after the storm: $(rss)"
t0=$(date +%s.%N)
for _ in $(seq 1 600); do
  desk=$(curl -fs "http://127.0.0.1:$stub_port/" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("/desk", 0))')
  [ "$desk" -ge "$DEVICES" ] && break
  sleep 0.5
done
echo "alerts at the verifier: $desk (one per camera's episode expected: $DEVICES), $(awk "BEGIN {printf \"%.1f\", $(date +%s.%N) - $t0}") s after the storm (episode window 10 s)"
echo "events counted in those alerts: $(curl -fs "http://127.0.0.1:$stub_port/" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("events in alerts", 0))') (sent: $EVENTS)"
echo "events left on cphub.camera-events: $(curl -fs -u admin:admin-dev "http://127.0.0.1:$port/actuator/jolokia/read/org.apache.activemq.artemis:broker=%22cphub%22,component=addresses,address=%22cphub.camera-events%22,subcomponent=queues,routing-type=%22anycast%22,queue=%22cphub.camera-events%22/MessageCount" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("value"))' 2>/dev/null || echo '?')"
echo "RSS at the end: $(rss)"
