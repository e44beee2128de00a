#!/bin/sh
# The layer rules that include paths cannot hold: headers every layer could
# reach in /usr/include. Each layer lists the system headers it must not use.
# Prints "layers: N passed, N failed"; exits 1 on a wrong tie.
cd "$(dirname "$0")/.." || exit 2
passed=0 failed=0
deny() { # deny LAYER "DIRS" "REGEX"
    hits=$(grep -nE "^[[:space:]]*#[[:space:]]*include[[:space:]]*<($3)" $2 2>/dev/null)
    if [ -n "$hits" ]; then
        printf '%s\n' "$hits" | sed "s/^/layers: $1 may not include: /" >&2
        failed=$((failed + 1))
    else
        passed=$((passed + 1))
    fi
}
SDL='SDL|SDL2/'
deny base "app/base/*.[ch]" "$SDL|libusb|sqlite3|zint|libpq|cups/|sodium|csv|ini\.h|cjson|gst/"
deny core "app/core/*.[ch]" "$SDL|libusb|sqlite3|zint|libpq|cups/|pthread|sodium|csv|ini\.h|gst/"
deny store "app/store/*.[ch]" "$SDL|libusb|zint|libpq|cups/|ini\.h|gst/"
deny drivers "drivers/*/*.[ch]" "sqlite3|libpq|ini\.h|csv"
deny ui "ui/*.[ch]" "libusb|sqlite3|zint|libpq|cups/|sodium|csv|ini\.h|gst/"
deny sync "sync/*.[ch]" "$SDL|libusb|sqlite3|zint|cups/|ini\.h|gst/"
echo "layers: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
