#!/bin/sh
# Run every benchmark program; each prints lines "bench <name> <value> <unit>".
# bench_x11 compares the station with a Chromium kiosk: Debian's chromium is
# installed for it when missing and this runs as root; else it says it left
# the comparison out.
status=0
for b in "$@"; do
    case "$(basename "$b")" in
    bench_x11)
        if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
            echo "installing chromium for the X11 comparison"
            export DEBIAN_FRONTEND=noninteractive
            apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends chromium >/dev/null ||
                echo "bench chromium: could not be installed" >&2
        fi ;;
    esac
    "$b" || { echo "$(basename "$b"): failed (exit $?)" >&2; status=1; }
done
exit $status
