# Sourced by bench/run and bench/compare-jvm-options: sets one key of a .cfg in the distribution copy ($DIST/etc),
# replacing the line that has it or appending one.
set_cfg() { # file key value
  local f="$DIST/etc/$1"
  if grep -qE "^\s*$2\s*=" "$f" 2>/dev/null; then
    sed -i -E "s|^\s*$2\s*=.*|$2 = $3|" "$f"
  else
    echo "$2 = $3" >> "$f"
  fi
}
