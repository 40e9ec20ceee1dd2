#!/usr/bin/env bash
# Installs the external test peers used by the OpenTWAG integration tests on Debian bookworm
# (run as root): radclient + tshark from Debian, and eapol_test built WITH the USIM simulator.
# Idempotent: every step is skipped when its result is already there. See /work/shared/lab/README.md.
set -euo pipefail

TOOLS="${OPENTWAG_TOOLS:-$HOME/.cache/opentwag/bin}"
export DEBIAN_FRONTEND=noninteractive   # tshark's postinst asks a debconf question otherwise

# Install only the packages that are missing ("ii" in dpkg), so a second run never touches apt.
apt_install() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$' || missing+=("$p")
  done
  if ((${#missing[@]})); then
    apt-get install -y --no-install-recommends "${missing[@]}"
  fi
}

# 1. radclient, tshark and freeDiameter (an independent Diameter peer) from Debian; ip and openssl for the
#    network namespace and the TLS credentials freeDiameter insists on; hostapd, whose config parser checks the
#    generated Passpoint AP configuration (bundles/operations/passpoint HostapdInteropTest; driver=none, no radio needed).
if ! command -v radclient >/dev/null || ! command -v tshark >/dev/null || ! command -v freeDiameterd >/dev/null \
   || ! command -v ip >/dev/null || ! command -v openssl >/dev/null || ! [ -x /usr/sbin/hostapd ]; then
  # Answer "no" to "should non-superusers capture packets?" so the install never prompts.
  echo 'wireshark-common wireshark-common/install-setuid boolean false' | debconf-set-selections
  apt-get update
  apt_install freeradius-utils tshark freediameterd freediameter-extensions iproute2 openssl hostapd
fi

# 1b. systemd-analyze (package systemd), with which itests' SystemdUnitIT verifies the shipped bin/twag.service.
if ! command -v systemd-analyze >/dev/null; then
  apt-get update
  apt_install systemd
fi

# 1b. Chromium and its WebDriver for the dashboard's browser test (itests DashboardIT, through Selenium).
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  apt-get update
  apt_install chromium chromium-driver
fi

# 1b. radsecproxy (RADIUS over TLS, RFC 6614): the independent RadSec client of RadSecProxyTest and RadSecIT.
#     Only the binary is used; its Debian service is stopped so that it never holds a port on the test machine.
if ! command -v radsecproxy >/dev/null && [ ! -x /usr/sbin/radsecproxy ]; then
  apt-get update
  apt_install radsecproxy
  if command -v systemctl >/dev/null && systemctl is-system-running >/dev/null 2>&1; then
    systemctl disable --now radsecproxy >/dev/null 2>&1 || true
  fi
fi

# 1b. testssl.sh: a TLS scanner we did not write checks the dashboard (8444) and RadSec listeners (itests TlsScanIT):
#     no protocol below TLS 1.2, no weak cipher, no finding of severity HIGH or above.
if ! command -v testssl >/dev/null && ! command -v testssl.sh >/dev/null; then
  apt-get update
  apt_install testssl.sh
fi

# 1b. busybox (its udhcpc and ping are the phone in itests S2aHomeRoutingIT: the phone namespace gets the
#     PGW-assigned address from OpenTWAG's DHCP on the S2a access interface).
if ! [ -x /usr/bin/busybox ]; then
  apt-get update
  apt_install busybox
fi

# 2. eapol_test from Debian's own wpa 2.10 source: the binary package 'eapoltest' is built without
#    CONFIG_USIM_SIMULATOR, so every EAP-AKA challenge ends in Authentication-Reject.
#    Skipped when the cached binary exists and runs ("-v" prints "eapol_test v2.10", exit 0).
if ! "$TOOLS/eapol_test" -v >/dev/null 2>&1; then
  # apt-get source needs a deb-src entry: mirror the existing deb stanzas (main + security).
  if ! grep -rqs '^Types:.*deb-src' /etc/apt/sources.list.d/; then
    sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources \
      > /etc/apt/sources.list.d/debian-src.sources
  fi
  apt-get update
  apt_install build-essential libssl-dev dpkg-dev

  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  cd "$work"
  apt-get source wpa           # also applies Debian's patches (dpkg-source -x)
  cd wpa-*/wpa_supplicant
  cat > .config <<'EOF'
CONFIG_EAPOL_TEST=y
CONFIG_EAP_AKA=y
CONFIG_EAP_AKA_PRIME=y
CONFIG_EAP_SIM=y
CONFIG_USIM_SIMULATOR=y
CONFIG_SIM_SIMULATOR=y
CONFIG_IEEE8021X_EAPOL=y
CONFIG_CTRL_IFACE=y
CONFIG_DRIVER_NONE=y
CONFIG_TLS=openssl
EOF
  # Upstream's Makefile adds -Werror for eapol_test and GCC 12 stops on a use-after-free warning in
  # bss.c. Debian's disable-eapol-werror.patch already drops it; the sed is a no-op safety net.
  sed -i 's/-Werror//g' Makefile
  make -j"$(nproc)" eapol_test
  install -D -m 0755 eapol_test "$TOOLS/eapol_test"

  # Nice-to-have: hlr_auc_gw (hostapd's Milenage vector server), an independent reference.
  # Best effort only: a failure here must not fail the script.
  (
    cd ../hostapd
    # Minimal config: hostapd's defconfig enables nl80211, which wants libnl headers we don't need.
    printf 'CONFIG_DRIVER_NONE=y\nCONFIG_EAP_AKA=y\nCONFIG_EAP_AKA_PRIME=y\nCONFIG_EAP_SIM=y\n' > .config
    make -j"$(nproc)" hlr_auc_gw && install -m 0755 hlr_auc_gw "$TOOLS/hlr_auc_gw"
  ) || echo "WARNING: hlr_auc_gw build failed (optional, ignored)" >&2
  cd /
fi

# 2b. A PostgreSQL server for ClusterPostgresIT (a throwaway cluster made with initdb/pg_ctl by the test; the
#     package's own cluster is not needed, so it is stopped if the package started one).
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  apt-get update
  apt_install postgresql
  (command -v pg_ctlcluster >/dev/null && pg_lsclusters -h 2>/dev/null | while read -r v c _; do
     pg_ctlcluster "$v" "$c" stop || true; done) || true
fi

# 2c. LazyFS (dsrhaslab/lazyfs, the FUSE file system Jepsen uses for power-loss tests): AccountingPowerLossIT puts
#     the accounting database on it and drops every write not fsync'd ("lazyfs::clear-cache"). Built from the
#     snapshot in the shared peers directory with Debian's FUSE 3, toml11 and spdlog; cached under the tools'
#     parent, reused when its binary is there. fuse3 brings fusermount3, which the test unmounts with.
PEERS="${OPENTWAG_PEERS:-/work/shared/peers}"
LAZYFS_HOME="${LAZYFS_HOME:-$(dirname "$TOOLS")/lazyfs}"
if ! [ -x "$TOOLS/lazyfs" ] || ! command -v fusermount3 >/dev/null; then
  if [ -f "$PEERS/lazyfs.tar.xz" ]; then
    apt-get update
    apt_install g++ cmake libfuse3-dev fuse3 libtoml11-dev libspdlog-dev
    LAZYFS_HOME="$LAZYFS_HOME" bash "$PEERS/build-lazyfs.sh" >/dev/null
    mkdir -p "$TOOLS"
    ln -sfn "$LAZYFS_HOME/lazyfs/lazyfs/build/lazyfs" "$TOOLS/lazyfs"
  else
    echo "WARNING: $PEERS/lazyfs.tar.xz not found: AccountingPowerLossIT will be skipped" >&2
  fi
fi

# 2d. Further peers, one installer each under .ci/tools.d/ (same rules: idempotent, cached under $TOOLS's parent,
#     built from Debian packages or the shared peer sources). Each reports what it installed.
for installer in "$(dirname "$0")"/tools.d/*.sh; do
  [ -e "$installer" ] || continue
  TOOLS="$TOOLS" PEERS="$PEERS" bash "$installer"
done

# 3. Report what the tests will use.
echo "radclient:  $(command -v radclient)  $(radclient -v 2>&1 | head -n1)"
echo "tshark:     $(command -v tshark)  $(tshark --version 2>/dev/null | head -n1)"
echo "eapol_test: $TOOLS/eapol_test  $("$TOOLS/eapol_test" -v)"
echo "hostapd:    /usr/sbin/hostapd  $(/usr/sbin/hostapd -v 2>&1 | head -n1)"
echo "systemd-analyze: $(command -v systemd-analyze)  $(systemd-analyze --version 2>/dev/null | head -n1)"
echo "chromium:   $(command -v chromium)  $(chromedriver --version 2>/dev/null | head -n1)"
if [ -x "$TOOLS/hlr_auc_gw" ]; then echo "hlr_auc_gw: $TOOLS/hlr_auc_gw"; fi
echo "postgres:   $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | tail -n1)"
if [ -x "$TOOLS/lazyfs" ]; then echo "lazyfs:     $TOOLS/lazyfs -> $(readlink -f "$TOOLS/lazyfs")"; fi
