#!/usr/bin/env python3
"""Pauses of the whole hub, read from its log: gaps between consecutive log lines longer than a threshold, within a
window. While a backlog drains the hub logs tens of lines every 100 ms, so a gap there is a moment when nothing in
the hub moved (the H2 write-back stalls of #13 were found this way; bench/RESULTS.md, "The H2 drain's stalls").
Outside such a window gaps mean nothing: an idle hub logs nothing.

  bench/log-gaps.py HUB_LOG FROM_MS TO_MS [SECONDS]     (epoch milliseconds; SECONDS default 0.2)

Prints one line: how many gaps, the longest, and when (UTC)."""
import sys
from datetime import datetime, timezone


def stamp(line):
    # "2026-12-05T14:37:27.992Z  INFO ..." or "…27.992+07:00  INFO ...": Spring Boot's console format
    try:
        return datetime.fromisoformat(line.split(" ", 1)[0].replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


def main():
    log, start, end = sys.argv[1], int(sys.argv[2]) / 1000, int(sys.argv[3]) / 1000
    threshold = float(sys.argv[4]) if len(sys.argv) > 4 else 0.2
    gaps, previous = [], None
    with open(log, errors="replace") as lines:
        for line in lines:
            t = stamp(line)
            if t is None or t < start:
                continue
            if t > end:
                break
            if previous is not None and t - previous > threshold:
                gaps.append((t - previous, previous))
            previous = t
    if not gaps:
        print(f"no gap over {threshold} s in the hub's log")
        return
    longest, at = max(gaps)
    when = datetime.fromtimestamp(at, timezone.utc).strftime("%H:%M:%S.%f")[:-3]
    print(f"{len(gaps)} gaps over {threshold} s in the hub's log, the longest {longest:.2f} s after {when} UTC")


if __name__ == "__main__":
    main()
