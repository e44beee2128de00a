/*
 * test_scan_fuzz.c — a short run of the scanner fuzz targets (libFuzzer,
 * clang): the HID report decoders and the serial framer, 3 seconds each.
 * `make fuzz` runs them longer. Skipped only when clang or libFuzzer is
 * missing (tests/fuzz/run.sh exits 77).
 */
#include <stdio.h>
#include <stdlib.h>

#include "harness.h"

int main(void)
{
    char *out = NULL, *err = NULL;
    int rc = harness_sh("sh tests/fuzz/run.sh 3", NULL, &out, &err);
    if (out)
        fputs(out, stdout);
    if (rc == 77)
        harness_skip(out && *out ? out : "clang or libFuzzer is missing");
    if (!CHECK_INT(rc, 0) && err)
        fputs(err, stderr);
    free(out);
    free(err);
    return harness_done();
}
