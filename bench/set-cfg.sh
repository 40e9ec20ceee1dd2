# Sourced by bench/run and bench/compare-jvm-options. set_cfg sets one key of a .cfg in the distribution copy ($DIST/etc),
# replacing the line that has it or appending one.
set_cfg() { # file key value
  local f="$DIST/etc/$1"
  if grep -qE "^\s*$2\s*=" "$f" 2>/dev/null; then
    sed -i -E "s|^\s*$2\s*=.*|$2 = $3|" "$f"
  else
    echo "$2 = $3" >> "$f"
  fi
}

# Waits (at most $1 seconds) until the server's metrics list its Diameter peers and every one is open: the SWx peer
# to the embedded HSS and, with online charging, the Gy peer to the embedded OCS (a login before that is refused).
wait_for_peers() { # seconds
  local m
  for _ in $(seq 1 "$1"); do
    m=$(curl -s http://127.0.0.1:31568/metrics || true)
    grep -qE '^diameter_peer_open\{peer="hss' <<< "$m" && ! grep -qE '^diameter_peer_open\{[^}]*\} 0' <<< "$m" && return 0
    sleep 1
  done
}
