#!/usr/bin/python3
"""Measures how long a unit state change in the simulator takes to show on the agent's /metrics.

Usage: watch_change.py AGENT_URL SIMULATOR_URL CHANGE_EVERY_MS DURATION_S

The first instance's third unit switches between maintenance and kms-initialized every
CHANGE_EVERY_MS on the scenario clock (see fleet.py). The script scrapes /metrics every 100 ms
and, for each switch it detects, prints the time from the switch in the simulator to the scrape
that shows it on stderr. At the end it prints a JSON summary on stdout. Both URLs must be on
127.0.0.1.
"""
import json
import re
import sys
import time
import urllib.request

agent, simulator, change_every_ms, duration_s = sys.argv[1:5]
change_every_ms = int(change_every_ms)
for url in (agent, simulator):
    if not url.startswith("http://127.0.0.1:"):
        sys.exit("Refusing %s: only 127.0.0.1 is allowed" % url)

SERIES = re.compile(
    r'^keyprotect_crypto_unit_state\{crypto_unit_id="4d1c2a9e-0b7f-4e61-9c3a-0000000000a3",'
    r'instance_id="7f3e9b10-5c2d-4a8e-b1f0-000000000001",state="kms-initialized"\} (\S+)$',
    re.M)


def now_ms():
    return time.time() * 1000


def get(url, accept="*/*"):
    request = urllib.request.Request(url, headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=5) as response:
        return response.read().decode()


def scenario_start_ms():
    before = now_ms()
    stats = json.loads(get(simulator + "/simulator/stats"))
    after = now_ms()
    return (before + after) / 2 - stats["scenario_elapsed_ms"]


start = scenario_start_ms()
end = now_ms() + int(duration_s) * 1000
previous = None
latencies = []
while now_ms() < end:
    match = SERIES.search(get(agent + "/metrics", "text/plain"))
    seen = now_ms()
    value = match.group(1) if match else None
    if value is not None and previous is not None and value != previous:
        period = int((seen - start) // change_every_ms)
        expected = "1.0" if period % 2 == 1 else "0.0"
        latency = seen - (start + period * change_every_ms)
        ok = value == expected
        latencies.append(latency if ok else None)
        print("switch to %s seen %.0f ms after it happened%s"
              % ("kms-initialized" if value == "1.0" else "maintenance", latency,
                 "" if ok else " (unexpected state: a switch was missed)"),
              file=sys.stderr, flush=True)
    previous = value if value is not None else previous
    time.sleep(0.1)

measured = sorted(x for x in latencies if x is not None)
result = {
    "switches_seen": len(latencies),
    "missed": sum(1 for x in latencies if x is None),
    "min_ms": round(measured[0]) if measured else None,
    "median_ms": round(measured[len(measured) // 2]) if measured else None,
    "max_ms": round(measured[-1]) if measured else None,
}
print(json.dumps(result))
