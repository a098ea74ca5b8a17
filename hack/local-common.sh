# Shared by hack/local-up.sh and hack/local-down.sh (sourced; $STATE is the state directory).

# One local-up or local-down at a time per state directory (fd 9 stays open until the script exits).
lock_state() {
  exec 9>"$STATE/lock"
  flock -w 600 9 || { echo "[local] another local-up or local-down holds $STATE/lock" >&2; exit 1; }
}

# Whether the environment's JVM runs; sets $pid. The command line is checked too: a pid can be reused.
running() {
  pid="$(cat "$STATE/pid" 2>/dev/null || true)"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && grep -qsa 'unikernetes-local' "/proc/$pid/cmdline"
}

ready_value() {
  grep "^$1=" "$STATE/ready" | cut -d= -f2-
}
