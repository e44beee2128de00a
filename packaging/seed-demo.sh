#!/bin/sh
# Seed a demo station into DIR on first start: three operators and the demo
# manifest, its delivery dates moved so that they fall as near today as they
# were to 2026-11-23 when the demo was written (a few returns stay late).
#   seed-demo.sh TRIAGE_BINARY DIR
set -e
bin=$1 dir=$2
[ -f "$dir/triage.db" ] && exit 0
mkdir -p "$dir"
echo "seeding a demo station into $dir/"
echo 123456 | "$bin" --data "$dir" operator add --badge 1001 --name "Ana Grader" --role grader
echo 654321 | "$bin" --data "$dir" operator add --badge 1002 --name "王芳" --role grader
echo 246810 | "$bin" --data "$dir" operator add --badge 2001 --name "Sam Supervisor" --role supervisor
shift_days=$(( ( $(date -u +%s) - $(date -u -d 2026-11-23 +%s) ) / 86400 ))
awk -F, -v OFS=, -v shift="$shift_days" '
    # delivered_at is the column before the last (quantity), so quoted commas
    # before it do not matter
    NR == 1 { print; next }
    $(NF-1) ~ /^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]$/ {
        cmd = "date -u -d \"" $(NF-1) " " shift " days\" +%Y-%m-%d"
        cmd | getline d; close(cmd); $(NF-1) = d
    }
    { print }' demo/manifest.csv > "$dir/demo-manifest.csv"
"$bin" --data "$dir" import-manifest "$dir/demo-manifest.csv"
