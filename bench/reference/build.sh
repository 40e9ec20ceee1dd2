#!/usr/bin/env bash
# Builds the reference EAP server once: hostapd's RADIUS server (driver=none) + hlr_auc_gw from Debian's `wpa`
# 2.10 source (the version of Debian 12's hostapd), as /work/shared/lab/reference/ref-build.sh does for its perf
# variant: the RADIUS socket bound to 127.0.0.1 only, RADIUS_MAX_SESSION 1000 -> 100000 (stock hostapd holds a
# finished session 5 s and at most 1000, so above ~200 auths/s it rejects). Otherwise stock.
# Cached under $REF_CACHE (default ~/.cache/opentwag/reference): hostapd, hlr_auc_gw; skipped when both are there
# and run. Needs deb-src lines for the installed suites (added from debian.sources if missing), build-essential,
# libssl-dev, dpkg-dev (installed from Debian if missing).
set -euo pipefail
REF_CACHE="${REF_CACHE:-$HOME/.cache/opentwag/reference}"
VER="2:2.10-12+deb12u3"
# (hostapd -v exits 1 after printing its version)
if [ -x "$REF_CACHE/hostapd" ] && [ -x "$REF_CACHE/hlr_auc_gw" ] && [[ "$("$REF_CACHE/hostapd" -v 2>&1 || true)" == *v2.10* ]]; then
  exit 0
fi
echo "== building the reference (hostapd + hlr_auc_gw from Debian's wpa $VER source) into $REF_CACHE" >&2
if ! grep -rqs '^Types:.*deb-src' /etc/apt/sources.list.d/ && ! grep -qs '^deb-src' /etc/apt/sources.list; then
  sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources > /etc/apt/sources.list.d/debian-src.sources
  apt-get update
fi
dpkg -s libssl-dev build-essential dpkg-dev > /dev/null 2>&1 || apt-get install -y --no-install-recommends libssl-dev build-essential dpkg-dev
work="$(mktemp -d /tmp/opentwag-ref-build.XXXXXX)"
trap 'rm -rf "$work"' EXIT
cd "$work"
apt-get source "wpa=$VER" > build.log 2>&1 || apt-get source wpa >> build.log 2>&1   # applies Debian's patches
cd wpa-*/
# loopback only (hostapd 2.10 binds INADDR_ANY and has no option for the address)
sed -i '/^static int radius_server_open_socket(int port)/,/^}/ s|^\taddr.sin_port = htons(port);|\taddr.sin_addr.s_addr = htonl(INADDR_LOOPBACK); /* opentwag bench: loopback only */\n&|' \
  src/radius/radius_server.c
grep -q 'opentwag bench: loopback only' src/radius/radius_server.c
sed -i 's|^#define RADIUS_MAX_SESSION 1000$|#define RADIUS_MAX_SESSION 100000 /* opentwag bench (stock: 1000) */|' src/radius/radius_server.c
grep -q 'RADIUS_MAX_SESSION 100000' src/radius/radius_server.c
cat > hostapd/.config <<'CFG'
CONFIG_DRIVER_NONE=y
CONFIG_RADIUS_SERVER=y
CONFIG_EAP=y
CONFIG_EAP_SIM=y
CONFIG_EAP_AKA=y
CONFIG_EAP_AKA_PRIME=y
CONFIG_EAP_MD5=y
CONFIG_TLS=openssl
CONFIG_IPV6=y
CONFIG_GETRANDOM=y
CONFIG_NO_VLAN=y
CFG
(cd hostapd && nice make -j"$(nproc)" hostapd hlr_auc_gw >> "$work/build.log" 2>&1) || { tail -30 "$work/build.log" >&2; exit 1; }
mkdir -p "$REF_CACHE"
install -m 0755 hostapd/hostapd hostapd/hlr_auc_gw "$REF_CACHE/"
echo "== reference built: $REF_CACHE/hostapd, $REF_CACHE/hlr_auc_gw" >&2
