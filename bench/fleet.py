#!/usr/bin/python3
"""Writes a simulator scenario and an agent config for a fleet of simulated instances.

Usage: fleet.py DIR INSTANCES CONCURRENCY INTERVAL_S LATENCY_MS SIMULATOR_PORT [CHANGE_EVERY_MS]

Every instance has three units (two kms-initialized, one in maintenance) and every crypto-units
request is delayed by LATENCY_MS. With CHANGE_EVERY_MS, the first instance's third unit switches
between maintenance and kms-initialized every CHANGE_EVERY_MS milliseconds from the simulator's
start, for detection-latency tests. Every URL in both files points at 127.0.0.1:SIMULATOR_PORT.
"""
import sys

directory, count, concurrency, interval, latency, port = sys.argv[1:7]
change_every = sys.argv[7] if len(sys.argv) > 7 else None
count = int(count)
base = "http://127.0.0.1:%s" % port


def instance_id(i):
    return "7f3e9b10-5c2d-4a8e-b1f0-%012x" % (i + 1)


units = ("[{id: 4d1c2a9e-0b7f-4e61-9c3a-0000000000a1, state: kms-initialized},"
         " {id: 4d1c2a9e-0b7f-4e61-9c3a-0000000000a2, state: kms-initialized},"
         " {id: 4d1c2a9e-0b7f-4e61-9c3a-0000000000a3, state: %s}]")
slow = "{delay: %sms}" % latency
steady = "[{duration: 1h, fault: %s, units: %s}]" % (slow, units % "maintenance")
changing = ("[{duration: %sms, fault: %s, units: %s}, {duration: %sms, fault: %s, units: %s}]"
            % (change_every, slow, units % "maintenance", change_every, slow,
               units % "kms-initialized"))
# One flow-style line per instance keeps a 10,000-instance scenario near 3 MiB. Anchors would
# be shorter, but SnakeYAML allows only 50 aliases of lists and mappings.
with open(directory + "/scenario.yaml", "w") as out:
    out.write("name: fleet-%d\ndescription: %d instances, %s ms per request.\n"
              "loop: %s\ninstances:\n" % (count, count, latency, "true" if change_every else "false"))
    for i in range(count):
        timeline = changing if i == 0 and change_every else steady
        out.write("  - {id: %s, region: us-south, timeline: %s}\n" % (instance_id(i), timeline))

with open(directory + "/agent.yaml", "w") as out:
    out.write("poll:\n  interval: %ss\n  timeout: 10s\n  stale_after: %ss\n"
              "  concurrency: %s\n" % (interval, 3 * int(interval), concurrency))
    out.write("iam:\n  url: %s/identity/token\n  api_key_env: BENCH_API_KEY\n" % base)
    out.write("instances:\n")
    for i in range(count):
        # Flow style keeps 10,000 instances under the 1 MiB limit of a config file.
        out.write("  - {id: %s, region: us-south, endpoint: '%s'}\n" % (instance_id(i), base))
