#!/usr/bin/env bash
# The S2a user plane's forwarding rate (bundle s2a-userplane) on a real TAP, without a PGW: run as root after
# `mvn -pl bundles/gtp/userplane -am -DskipTests install` (test classes needed). A private network namespace holds the
# TAP and loopback; downlink = G-PDUs sent by the bench to its own GTP-U socket and written to the TAP; uplink = frames
# written into the TAP by an AF_PACKET generator (Python) and tunnelled to a PGW-U sink. Bounded: SECONDS per phase.
# Usage: bench/s2a-userplane/run.sh [SECONDS]   (default 10)
set -euo pipefail
SECONDS_PER_PHASE="${1:-10}"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
MODULE="$ROOT/bundles/gtp/userplane"
NS=s2a-bench-up
TAP=s2a-btap0
REPO_ARGS=()
[ -n "${MAVEN_REPO:-}" ] && REPO_ARGS=(-Dmaven.repo.local="$MAVEN_REPO")
CP_FILE="$(mktemp)"
cleanup() { ip netns pids "$NS" 2>/dev/null | xargs -r kill 2>/dev/null || true; ip netns del "$NS" 2>/dev/null || true; rm -f "$CP_FILE"; }
trap cleanup EXIT
mvn -o -q -B "${REPO_ARGS[@]}" -f "$MODULE/pom.xml" dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$CP_FILE" >/dev/null
CP="$MODULE/target/test-classes:$MODULE/target/classes:$(cat "$CP_FILE")"
ip netns del "$NS" 2>/dev/null || true
ip netns add "$NS"
ip netns exec "$NS" ip link set lo up
ip netns exec "$NS" ip tuntap add dev "$TAP" mode tap
ip netns exec "$NS" ip link set "$TAP" up
ip netns exec "$NS" sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
JAVA=(java -Xmx512m -cp "$CP" org.opentwag.gtp.userplane.UserPlaneBench "$TAP" "$SECONDS_PER_PHASE")

echo "== downlink: G-PDU -> TAP, $SECONDS_PER_PHASE s"
ip netns exec "$NS" "${JAVA[@]}" down

echo "== uplink: TAP -> G-PDU, $SECONDS_PER_PHASE s"
ip netns exec "$NS" "${JAVA[@]}" up &
BENCH=$!
sleep 2 # the JVM attaches to the TAP
# Frame generator: an ICMP echo 10.45.0.2 -> 10.45.0.1 from the phone's MAC to the bench's gateway MAC.
ip netns exec "$NS" timeout $((SECONDS_PER_PHASE + 5)) python3 - "$TAP" "$SECONDS_PER_PHASE" <<'PY' || true
import socket, struct, sys, time
tap, seconds = sys.argv[1], int(sys.argv[2])
def csum(b):
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while s >> 16: s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff
h = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 84, 0, 0, 64, 1, 0, bytes([10, 45, 0, 2]), bytes([10, 45, 0, 1]))
h = h[:10] + struct.pack('!H', csum(h)) + h[12:]
icmp = struct.pack('!BBHHH', 8, 0, 0, 1, 1) + bytes(56)
icmp = icmp[:2] + struct.pack('!H', csum(icmp)) + icmp[4:]
frame = bytes.fromhex('02aabbccdd01') + bytes.fromhex('020000000002') + b'\x08\x00' + h + icmp
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((tap, 0))
end, n = time.monotonic() + seconds, 0
while time.monotonic() < end:
    for _ in range(1000):
        s.send(frame)
    n += 1000
print("generator: %d frames in %d s (%d/s offered)" % (n, seconds, n // seconds))
PY
wait "$BENCH"
