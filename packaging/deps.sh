#!/bin/sh
# Install the Debian packages triage needs, when they are missing.
#   deps.sh run    what building and running the station needs
#   deps.sh test   that, plus what the tests use (PostgreSQL, umockdev, zbar, CUPS…)
# As root it runs apt-get; otherwise it prints the exact command and stops.
set -e
RUN="build-essential pkg-config libsdl2-dev libsdl2-ttf-dev libsdl2-image-dev \
libsqlite3-dev libsodium-dev libinih-dev libcjson-dev libcsv-dev libusb-1.0-0-dev \
libzint-dev libpq-dev libcups2-dev libsystemd-dev fonts-wqy-microhei \
libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev gstreamer1.0-plugins-base \
gstreamer1.0-plugins-good"
TEST="$RUN sqlite3 zbar-tools umockdev libumockdev-dev postgresql cups cups-bsd \
clang libclang-rt-14-dev xvfb libx11-dev libxtst-dev chromium poppler-utils"
case "${1:-run}" in
run) want=$RUN ;;
test) want=$TEST ;;
*) echo "usage: deps.sh run|test" >&2; exit 2 ;;
esac
stamp="build/.deps-$1"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then exit 0; fi
missing=""
for p in $want; do
    s=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    case "$s" in *"install ok installed"*) ;; *) missing="$missing $p" ;; esac
done
# Node.js may come from Debian or elsewhere: what counts is that npm runs.
if [ "$1" = test ] && ! command -v npm >/dev/null 2>&1; then missing="$missing nodejs npm"; fi
if [ -n "$missing" ]; then
    if [ "$(id -u)" = 0 ]; then
        echo "installing:$missing"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -q >/dev/null
        apt-get install -y -q --no-install-recommends $missing >/dev/null
    else
        echo "triage needs these Debian packages:" >&2
        echo "  sudo apt-get install$missing" >&2
        exit 1
    fi
fi
mkdir -p build
echo "$want" > "$stamp"
