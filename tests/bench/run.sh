#!/bin/sh
# Run every benchmark program; each prints lines "bench <name> <value> <unit>".
status=0
for b in "$@"; do
    "$b" || { echo "$(basename "$b"): failed (exit $?)" >&2; status=1; }
done
exit $status
