#!/usr/bin/env bash
# eapol_test 2.12-devel (hostap-ct snapshot) for the IMSI-privacy ITs (imsi_privacy_cert / imsi_privacy_attr;
# Debian's 2.10 predates them). Built once from $PEERS/hostap-2.12-devel.tar.xz with the peers' build script and
# cached as $TOOLS/eapol_test-2.12; the 2.10 eapol_test next to it is left as it is.
set -euo pipefail
TOOLS="${TOOLS:-${OPENTWAG_TOOLS:-$HOME/.cache/opentwag/bin}}"
PEERS="${PEERS:-/work/shared/peers}"
out="$TOOLS/eapol_test-2.12"
if [ -x "$out" ]; then
  echo "$out"; exit 0
fi
mkdir -p "$TOOLS"
home="$(mktemp -d "${TMPDIR:-/tmp}/eapol212.XXXXXX")"
trap 'rm -rf "$home"' EXIT
# The build script apt-installs build-essential and libssl-dev; wait for a dpkg lock another installer holds.
printf 'DPkg::Lock::Timeout "600";\n' >"$home/apt.conf"
APT_CONFIG="$home/apt.conf" EAPOL212_HOME="$home" bash "$PEERS/build-eapol-test-2.12.sh" >/dev/null
install -m 0755 "$home/eapol_test" "$out"
echo "$out"
