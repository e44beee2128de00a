#!/bin/sh
# Run every test program; sum their "N passed, N failed" lines.
# A program that exits 77 was skipped (it says why); any other non-zero exit fails.
# The last line is the suite's: "N passed, N failed, N skipped".
passed=0 failed=0 skipped=0 broken=""
log=${BUILD:-build}/tests/last-run.log
: > "$log"
for t in "$@"; do
    name=$(basename "$t")
    start=$(date +%s.%N)
    out=$("$t" 2>&1); rc=$?
    secs=$(awk "BEGIN{printf \"%.1f\", $(date +%s.%N) - $start}")
    printf '%s\n' "$out" >> "$log"
    line=$(printf '%s\n' "$out" | grep -E "^$name: [0-9]+ passed, [0-9]+ failed$" | tail -n 1)
    if [ $rc -eq 77 ]; then
        skipped=$((skipped + 1))
        printf '%s\n' "$out" | grep -E "skipped:" | tail -n 1
        continue
    fi
    if [ -n "$line" ]; then
        p=$(echo "$line" | sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed/\1/')
        f=$(echo "$line" | sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed/\2/')
        passed=$((passed + p)); failed=$((failed + f))
    fi
    if [ $rc -ne 0 ] || [ -z "$line" ]; then
        [ -n "$line" ] && [ "$f" -gt 0 ] || failed=$((failed + 1))
        broken="$broken $name"
        printf '%s\n' "$out" | tail -n 40
        echo "$name: FAILED (exit $rc)"
    else
        printf '%s (%ss)\n' "$line" "$secs"
    fi
done
[ -n "$broken" ] && echo "failed:$broken"
echo "$passed passed, $failed failed, $skipped skipped"
[ -z "$broken" ]
