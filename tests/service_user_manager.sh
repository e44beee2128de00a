#!/bin/sh
# service_user_manager.sh DIR UNIT CONF FIFO — run by test_service_unit.c inside
# `unshare -m`: a systemd user manager of the test's own (a private /run/systemd/system,
# its runtime folder and home under DIR, cgroups of its own) runs the station's UNIT
# and the steps below print "key=value" lines for the test to check.
#
#   CONF  the station's configuration; FIFO  the path the unit's --config names, a FIFO
#         at first: the station blocks reading it until the script writes CONF into it
#
# The sandboxing settings this machine cannot give a user manager (each is tried alone
# with systemd-run first) are left out of the unit and listed as "dropped=…".
set -u
dir=$1 unit=$2 conf=$3 fifo=$4
name=$(basename "$unit")
say() { echo "$1=$2"; }
prop() { systemctl --user show -p "$1" --value "$name"; }
# wait_for SECONDS COMMAND…: until the command succeeds; 1 when time ran out.
wait_for() {
    n=$(($1 * 10)); shift
    while [ $n -gt 0 ]; do "$@" && return 0; sleep 0.1; n=$((n - 1)); done
    return 1
}

# A machine not booted with systemd has no /run/systemd/system: a tmpfs over
# /run/systemd, seen in this namespace only, makes room for one without
# touching the machine's own folders.
if [ ! -d /run/systemd/system ]; then
    mkdir -p /run/systemd 2>/dev/null
    { mount -t tmpfs tmpfs /run/systemd && mkdir /run/systemd/system; } ||
        { say error "cannot make /run/systemd/system"; exit 1; }
fi
mount -t tmpfs tmpfs /run/systemd/system || { say error "cannot mount /run/systemd/system"; exit 1; }
# The manager logs to /dev/kmsg (--log-target=kmsg): into a file here instead.
: > "$dir/manager.log"
mount --bind "$dir/manager.log" /dev/kmsg || say note "manager log not captured"
# Cgroups of its own, so that managers of tests running at once do not share a tree.
cgroups=""
for h in unified systemd; do
    cg=/sys/fs/cgroup/$h/triage-test-$$
    if mkdir "$cg" 2>/dev/null && echo $$ > "$cg/cgroup.procs" 2>/dev/null; then
        cgroups="$cgroups $h"
    fi
done
ulimit -c 0
export XDG_RUNTIME_DIR="$dir/r" HOME="$dir/home" XDG_CONFIG_HOME="$dir/home/.config"
mkdir -p -m 0700 "$XDG_RUNTIME_DIR" "$HOME"
/lib/systemd/systemd --user --log-target=kmsg --log-level=info &
manager=$!

# Whatever happens (a failed step, the test's timeout), the manager goes and takes the
# station with it: SIGTERM makes a user manager stop its units and exit.
cleanup() {
    trap - EXIT
    station=$(prop MainPID 2>/dev/null)
    kill -TERM $manager 2>/dev/null
    wait_for 15 sh -c "! kill -0 $manager 2>/dev/null" || kill -KILL $manager 2>/dev/null
    case "$station" in ''|0) ;; *) kill -KILL "$station" 2>/dev/null ;; esac
    for h in $cgroups; do
        echo $$ > /sys/fs/cgroup/$h/cgroup.procs 2>/dev/null
        find /sys/fs/cgroup/$h/triage-test-$$ -depth -type d -exec rmdir {} \; 2>/dev/null
    done
}
trap cleanup EXIT
trap 'exit 1' TERM INT HUP

running() { s=$(systemctl --user is-system-running 2>/dev/null); [ "$s" = running ] || [ "$s" = degraded ]; }
wait_for 15 running || { say error "the user manager did not start"; exit 1; }

# Sandboxing this machine cannot set up for a user manager: tried alone, left out.
kept=0
for line in $(grep -E '^(Protect|Private|Restrict|NoNewPrivileges|LockPersonality|MemoryDeny|SystemCall|CapabilityBoundingSet|AmbientCapabilities|KeyringMode|RemoveIPC|UMask|DevicePolicy|DeviceAllow|StateDirectory)' "$unit" | tr ' ' '~'); do
    setting=$(echo "$line" | tr '~' ' ')
    if systemd-run --user --wait --quiet -p "$setting" /bin/true >/dev/null 2>&1; then
        kept=$((kept + 1))
    else
        say dropped "$setting"
        grep -vxF "$setting" "$unit" > "$unit.new" && mv "$unit.new" "$unit"
    fi
done
say kept "$kept"

systemctl --user link "$unit" >/dev/null || { say error "cannot link the unit"; exit 1; }
systemctl --user start --no-block "$name"
main_pid_set() { p=$(prop MainPID); [ -n "$p" ] && [ "$p" != 0 ]; }
wait_for 15 main_pid_set || say error "the station did not start"
sleep 1
# The station runs but waits for its configuration: not ready, so not active.
say before_ready "$(prop ActiveState)/$(prop SubState)"
timeout 20 sh -c 'cat "$1" > "$2"' sh "$conf" "$fifo" || say error "the station did not read its configuration"
rm -f "$fifo" && cp "$conf" "$fifo" # later starts read a plain file
active() { [ "$(prop ActiveState)" = active ]; }
wait_for 20 active
say after_ready "$(prop ActiveState)/$(prop SubState)"
pid1=$(prop MainPID)
say pid1 "$pid1"
say state_dir_mode "$(stat -c %a "$XDG_CONFIG_HOME/triage" 2>/dev/null)"

# Idle for three watchdog intervals: the loop's pings keep it alive.
sleep 6
say idle "$(prop ActiveState) pid=$(prop MainPID) restarts=$(prop NRestarts)"

# The test hook: the main loop stops turning; the watchdog must restart the station.
kill -USR2 "$pid1"
restarted() { p=$(prop MainPID); [ -n "$p" ] && [ "$p" != 0 ] && [ "$p" != "$pid1" ] && active; }
wait_for 30 restarted
say pid2 "$(prop MainPID)"
say restarted "$(prop ActiveState) restarts=$(prop NRestarts)"
say watchdog_logged "$(grep -c "$name: Watchdog timeout" "$dir/manager.log")"

systemctl --user stop "$name"
say stopped "$(prop ActiveState)/$(prop Result)"
