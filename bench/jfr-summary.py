#!/usr/bin/env python3
"""Where the time goes in a JFR recording of the hub (bench/throughput.sh --profile).

Prints, from `jfr print --json`:
  - CPU samples by thread group and by the first hub / library frame on the stack;
  - waits (park, monitor, socket read, file force) over 10 ms summed by thread group and what they wait in.
Thread groups are thread names with digits removed (so 'Camel (cphub) thread #12 - JmsConsumer[cphub.intake]'
and '#13' count together).
"""
import collections
import json
import re
import subprocess
import sys

recording = sys.argv[1]
events = "jdk.ExecutionSample,jdk.ThreadPark,jdk.JavaMonitorEnter,jdk.SocketRead,jdk.FileForce,jdk.FileWrite"
raw = subprocess.run(["jfr", "print", "--json", "--stack-depth", "40", "--events", events, recording],
                     capture_output=True, text=True, check=True).stdout
data = json.loads(raw)["recording"]["events"]


def group(thread):
    name = (thread or {}).get("javaName") or (thread or {}).get("osName") or "?"
    return re.sub(r"\d+", "#", name)[:70]


def frames(event):
    st = event["values"].get("stackTrace") or {}
    return [f["method"]["type"]["name"] + "." + f["method"]["name"] for f in st.get("frames", [])]


INTERESTING = ("vn.quangninh", "org.h2", "org.postgresql", "org.apache.activemq", "org.apache.camel.component",
               "com.github.kagkarlsson", "com.networknt", "org.springframework.jdbc", "com.zaxxer")


JDK = ("java.", "jdk.", "sun.", "com.sun.", "java/", "jdk/", "sun/")


def first_interesting(fs):
    """The first frame of the hub, its store or its broker client; else the first frame outside the JDK."""
    for f in fs:
        if f.startswith(INTERESTING):
            return clean(f)
    for f in fs:
        if not f.startswith(JDK):
            return clean(f)
    return clean(fs[0]) if fs else "?"


def clean(frame):
    return re.sub(r"\$\$Lambda\$?[^.]*", "$$Lambda", frame)


samples = [e for e in data if e["type"] == "jdk.ExecutionSample"]
by_thread = collections.Counter(group(e["values"].get("sampledThread")) for e in samples)
by_frame = collections.Counter(first_interesting(frames(e)) for e in samples)
by_package = collections.Counter()
for e in samples:
    fs = frames(e)
    pkg = next((p for f in fs for p in INTERESTING if f.startswith(p)), "other (JDK, Tomcat, Jackson, Camel core)")
    by_package[pkg] += 1

print(f"CPU samples: {len(samples)}")
print("  by thread group:")
for name, n in by_thread.most_common(12):
    print(f"    {100.0 * n / max(1, len(samples)):5.1f} %  {name}")
print("  by first hub/store/broker frame on the stack:")
for name, n in by_frame.most_common(15):
    print(f"    {100.0 * n / max(1, len(samples)):5.1f} %  {name}")
print("  by library:")
for name, n in by_package.most_common(10):
    print(f"    {100.0 * n / max(1, len(samples)):5.1f} %  {name}")


def millis(duration):
    # JFR JSON durations look like "PT0.012345S"
    m = re.match(r"PT(?:(\d+)M)?([\d.]+)S", duration or "")
    return (int(m.group(1) or 0) * 60 + float(m.group(2))) * 1000 if m else 0.0


waits = collections.defaultdict(float)
wait_where = collections.defaultdict(float)
for e in data:
    if e["type"] == "jdk.ExecutionSample":
        continue
    ms = millis(e["values"].get("duration"))
    if ms < 10 and e["type"] != "jdk.FileForce":
        continue
    kind = e["type"].split(".")[1]
    waits[(kind, group(e["values"].get("eventThread")))] += ms
    wait_where[(kind, first_interesting(frames(e)))] += ms

sys.stdout.flush()
print("waits (>= 10 ms each; every file force) by kind and thread group, seconds:")
for (kind, name), ms in sorted(waits.items(), key=lambda x: -x[1])[:15]:
    print(f"    {ms / 1000:8.1f} s  {kind:16s} {name}")
print("  by kind and where:")
for (kind, where), ms in sorted(wait_where.items(), key=lambda x: -x[1])[:15]:
    print(f"    {ms / 1000:8.1f} s  {kind:16s} {where}")
