#!/usr/bin/env bash
# SigScale OCS 3.4.72 (Erlang/OTP, Apache-2.0): the independent Diameter Gy online charging server of itests'
# SigScaleGyIT. Built once from the snapshot in the shared peers directory ($PEERS/sigscale) with Debian's Erlang/OTP
# 25 packages (the peer script installs the missing ones: erlang-diameter, erlang-mnesia, ..., autotools), cached in
# $(dirname $TOOLS)/sigscale/otp; the peer script and its tarballs are copied next to it, so a test needs only the
# cache. Idempotent: nothing is done when the built ocs.app is already there. Also erlang-diameter's escript side
# (the test's RAR/ASR sender, on OTP's diameter application) comes from the same Debian packages, and its Ro
# dictionary source is kept in dia/.
set -euo pipefail
TOOLS="${TOOLS:-${OPENTWAG_TOOLS:-$HOME/.cache/opentwag/bin}}"
PEERS="${PEERS:-${OPENTWAG_PEERS:-/work/shared/peers}}"
HOME_DIR="${SIGSCALE_HOME:-$(dirname "$TOOLS")/sigscale}"

DIA="$HOME_DIR/dia/3gpp_ro_application.dia"
if ls "$HOME_DIR"/otp/lib/ocs-*/ebin/ocs.app >/dev/null 2>&1 && [ -x "$HOME_DIR/sigscale-ocs.sh" ] \
   && [ -f "$DIA" ] && command -v escript >/dev/null; then
  echo "sigscale:   $HOME_DIR/sigscale-ocs.sh  $(basename "$(ls -d "$HOME_DIR"/otp/lib/ocs-*)") (cached)"
  exit 0
fi
if ! [ -f "$PEERS/sigscale/sigscale-ocs.sh" ]; then
  # The other peers still install; SigScaleGyIT then fails, saying what is missing.
  echo "WARNING: $PEERS/sigscale/sigscale-ocs.sh not found: SigScaleGyIT will fail" >&2
  exit 0
fi
mkdir -p "$HOME_DIR"
# A private copy of the script + sources: OCS_ROOT (build tree, otp/, run/) is the cache directory.
cp "$PEERS"/sigscale/sigscale-ocs.sh "$PEERS"/sigscale/*.tar.xz "$HOME_DIR"/
chmod u+w "$HOME_DIR"/*; chmod +x "$HOME_DIR/sigscale-ocs.sh"
# The Debian packages the peer script needs (its APT_PKGS), installed here with a wait for the dpkg lock, which
# install-tools.sh's other steps or an unattended upgrade may hold.
pkgs=$(sed -n '/^APT_PKGS="/,/"$/p' "$HOME_DIR/sigscale-ocs.sh" | tr -d '"' | sed 's/^APT_PKGS=//')
missing=(); for p in $pkgs; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if ((${#missing[@]})); then
  apt-get -o DPkg::Lock::Timeout=600 update >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "${missing[@]}" >/dev/null
fi
OCS_ROOT="$HOME_DIR" bash "$HOME_DIR/sigscale-ocs.sh" build
# SigScale's Ro dictionary source (TS 32.299), which the test's OTP diameter escript compiles for the pieces SigScale
# does not send (RAR, ASR, Final-Unit-Indication, Validity-Time).
mkdir -p "$HOME_DIR/dia"
tar -xJf "$HOME_DIR/ocs.tar.xz" -C "$HOME_DIR/dia" --strip-components=2 ocs/src/3gpp_ro_application.dia
# The unpacked build trees are not needed at run time (ERL_LIBS points at otp/lib).
rm -rf "$HOME_DIR"/ocs "$HOME_DIR"/radierl "$HOME_DIR"/sigscale_mibs
echo "sigscale:   $HOME_DIR/sigscale-ocs.sh  $(basename "$(ls -d "$HOME_DIR"/otp/lib/ocs-*)")"
