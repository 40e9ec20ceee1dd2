#!/usr/bin/env bash
# After `./opentwag test`: every test that can skip (a peer, root or a kernel feature missing) must have run.
# install-tools.sh installs what those tests need, so a skip here means a test proved nothing on this machine.
# Lists each skipped test with its reason; exits 1 if there is any, unless OPENTWAG_ALLOW_SKIPS=1.
set -euo pipefail
cd "$(dirname "$0")/.."
skipped=0
while IFS= read -r -d '' report; do
  # <testcase name="..." classname="..." ...> followed by <skipped message="..."/> (surefire and failsafe XML)
  while IFS= read -r line; do
    echo "SKIPPED: $line"
    skipped=$((skipped + 1))
  done < <(tr '\n' ' ' < "$report" | grep -o '<testcase [^>]*>[[:space:]]*<skipped[^>]*' \
    | sed -E 's/.*name="([^"]*)".*classname="([^"]*)".*<skipped( message="([^"]*)")?.*/\2.\1: \4/')
done < <(find . -path '*/target/surefire-reports/TEST-*.xml' -print0 -o -path '*/target/failsafe-reports/TEST-*.xml' -print0)
if ((skipped > 0)); then
  echo "$skipped test(s) skipped: run as root after .ci/install-tools.sh so that they run (OPENTWAG_ALLOW_SKIPS=1 to accept)"
  [[ "${OPENTWAG_ALLOW_SKIPS:-0}" == 1 ]] || exit 1
else
  echo "No test skipped."
fi
