#!/bin/sh
# Build and run the libFuzzer targets (clang): the HID report decoders and
# the serial framer, each for SECONDS seconds (default 60; `make test` runs
# them for a few). A crash or a broken invariant fails with the input saved
# under $BUILD/fuzz/. Exit 77 when clang or libFuzzer is missing.
#   sh tests/fuzz/run.sh [SECONDS]
set -u
secs=${1:-60}
build=${BUILD:-build}/fuzz
here=$(dirname "$0")
if ! command -v clang >/dev/null 2>&1; then
    echo "fuzz: skipped: clang is not installed (apt-get install clang libclang-rt-14-dev)"
    exit 77
fi
mkdir -p "$build"
flags="-g -O1 -std=c11 -D_GNU_SOURCE -Iapp/base -Iapp/core -Idrivers/scanner -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined"
# Each scanner kind's file holds its decoder and its device I/O, so a target
# links the whole scanner driver (the decoders are what it calls).
usb=$(pkg-config --cflags --libs libusb-1.0 2>/dev/null || echo "-I/usr/include/libusb-1.0 -lusb-1.0")
srcs="drivers/scanner/*.c app/base/log.c app/base/text.c app/base/utf8.c"
status=0
for t in hid serial; do
    if ! clang $flags "$here/fuzz_$t.c" $srcs $usb -lpthread -o "$build/fuzz_$t" 2>"$build/fuzz_$t.build.log"; then
        if grep -q "libclang_rt.fuzzer\|cannot find.*fuzzer" "$build/fuzz_$t.build.log"; then
            echo "fuzz: skipped: libFuzzer is missing (apt-get install libclang-rt-14-dev)"
            exit 77
        fi
        cat "$build/fuzz_$t.build.log"
        exit 1
    fi
    corpus="$build/corpus_$t"
    mkdir -p "$corpus"
    cp "$here/seeds/$t"/* "$corpus"/ 2>/dev/null
    start=$(date +%s)
    if "$build/fuzz_$t" -max_total_time="$secs" -max_len=4096 -timeout=10 \
        -artifact_prefix="$build/crash_$t-" -print_final_stats=1 "$corpus" \
        >"$build/fuzz_$t.log" 2>&1; then
        runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$build/fuzz_$t.log" | grep -o '[0-9]*$')
        echo "fuzz $t: ok, ${runs:-?} inputs in $(( $(date +%s) - start )) s"
    else
        tail -n 30 "$build/fuzz_$t.log"
        echo "fuzz $t: FAILED (inputs in $build/crash_$t-*)"
        status=1
    fi
done
exit $status
