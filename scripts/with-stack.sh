# shellcheck shell=bash
# Sourced by the test, demo and bench scripts (bash, from the repository root): starts the local
# stack when it is not running, exports its environment and the application's own settings, and
# stops the stack again on exit, but only if it was started here and no other script using this
# file on the same stack folder is still running.
#
# Each such script holds a lease, $STACK_STATE/leases/<pid> (holding the pid's start time, so a
# reused pid does not count); leases of dead processes are ignored and removed. The file
# leases/started says that one of the current lease holders started the stack. Taking and
# dropping leases, starting and stopping happen under flock on leases/.lock (fd 8, which the
# stack commands do not inherit, so no daemon can keep the lock).
STACK_ROOT="${ROOT:-$PWD}"
STACK_STATE="${PDM_STACK_DIR:-$STACK_ROOT/.stack}"
[[ $STACK_STATE == /* ]] || STACK_STATE="$PWD/$STACK_STATE"
STACK_LEASES="$STACK_STATE/leases"
mkdir -p "$STACK_LEASES"

# Start time of process $1 (field 22 of /proc/PID/stat); fails if it does not exist.
stack_pid_start() {
  local stat fields
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  read -ra fields <<<"${stat##*) }"
  echo "${fields[19]}"
}

# Remove leases of processes that are gone; succeed if a live one is left.
stack_prune_leases() {
  local lease pid live=1
  for lease in "$STACK_LEASES"/[0-9]*; do
    [[ -f $lease ]] || continue
    pid=${lease##*/}
    if [[ $pid =~ ^[0-9]+$ && "$(stack_pid_start "$pid")" == "$(cat "$lease" 2>/dev/null)" ]]; then
      live=0
    else
      rm -f "$lease"
    fi
  done
  return "$live"
}

stack_release() {
  {
    flock 8
    rm -f "$STACK_LEASES/$$"
    if ! stack_prune_leases && [[ -f $STACK_LEASES/started ]]; then
      echo "stopping the local stack" >&2
      bash "$STACK_ROOT/scripts/stack" down 8>&- || true
      rm -f "$STACK_LEASES/started"
    fi
  } 8>"$STACK_LEASES/.lock"
}

{
  flock 8
  # No live lease: a `started` left by holders that were killed belongs to an older generation;
  # whoever uses that stack now did not start it through this file.
  stack_prune_leases || rm -f "$STACK_LEASES/started"
  if ! bash "$STACK_ROOT/scripts/stack" status >/dev/null 2>&1 8>&-; then
    echo "starting the local stack (first time on a machine: installs packages and builds Go tools)" >&2
    bash "$STACK_ROOT/scripts/stack" up >/dev/null 8>&- || exit
    touch "$STACK_LEASES/started"
  fi
  stack_pid_start $$ >"$STACK_LEASES/$$"
} 8>"$STACK_LEASES/.lock"
trap stack_release EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM
eval "$(bash "$STACK_ROOT/scripts/stack" env)"

# The services' env above includes the application's secrets of this stack folder (made once).
