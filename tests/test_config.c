/*
 * test_config.c — the INI configuration: defaults, every section and key,
 * and each kind of error with its id and line.
 */
#include "config.h"
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The configuration as "key=value;" text, for comparing a few fields. */
static void describe(const struct config *c, char *out, size_t outlen)
{
    size_t n = (size_t)snprintf(
        out, outlen,
        "id=%s;site=%s;idle=%d;lang=%s;fullscreen=%d;rules=%s;font=%s;calibration=%d;"
        "printer=%s,%s,%s,%s,%s,%d;sync=%s,%d,%d,%s;scanners=%d;retention=%d,%d,%d;",
        c->station_id, c->site, c->idle_logout_min, lang_name(c->lang), c->fullscreen,
        c->rules_path, c->font_path, c->calibration_pct, c->printer.type, c->printer.address,
        c->printer.device, c->printer.queue, c->printer.label.size, c->printer.label.dpi,
        c->sync.target, c->sync.batch_size, c->sync.interval_s, c->sync.credentials, c->nscanners,
        c->retention.days, c->retention.warn_free_mb, c->retention.min_free_mb);
    if (n < outlen)
        n += (size_t)snprintf(out + n, outlen - n, "camera=%s,%d,%d,%d;",
                              c->camera.pipeline ? c->camera.pipeline : "-", c->camera.preview_fps,
                              c->camera.preview_width, c->camera.stall_ms);
    for (int i = 0; i < c->nscanners && n < outlen; i++)
        n += (size_t)snprintf(out + n, outlen - n, "scanner=%s,%s,%s,%s,%s,%d;",
                              c->scanners[i].name, c->scanners[i].type, c->scanners[i].device,
                              c->scanners[i].layout, c->scanners[i].suffix, c->scanners[i].baud);
}

/* Every part of `want` ("k=v;k=v;") must appear in the description. */
static bool has_all(const char *desc, const char *want, char *missing, size_t mlen)
{
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", want);
    for (char *save, *part = strtok_r(buf, ";", &save); part; part = strtok_r(NULL, ";", &save)) {
        char needle[300];
        snprintf(needle, sizeof needle, "%s;", part);
        bool found = strncmp(desc, needle, strlen(needle)) == 0;
        if (!found) {
            snprintf(needle, sizeof needle, ";%s;", part);
            found = strstr(desc, needle) != NULL;
        }
        if (!found) {
            snprintf(missing, mlen, "%s", part);
            return false;
        }
    }
    return true;
}

static const char full_ini[] = "# The east bench\n"
                               "; comments both ways\n"
                               "[station]\n"
                               "id = SH02-S07\n"
                               "site = SH02\n"
                               "idle_logout_min = 0\n"
                               "lang = zh\n"
                               "fullscreen = yes\n"
                               "rules = /etc/triage/rules.json\n"
                               "font = /usr/share/fonts/truetype/wqy/wqy-microhei.ttc\n"
                               "calibration_pct = 100\n"
                               "\n"
                               "[scanner.front]\n"
                               "type = usb-hid\n"
                               "device = 05e0:1200\n"
                               "layout = de\n"
                               "suffix = tab\n"
                               "\n"
                               "[scanner.back]\n"
                               "type = serial\n"
                               "device = /dev/ttyACM0\n"
                               "baud = 115200\n"
                               "\n"
                               "[printer]\n"
                               "type = zpl-tcp\n"
                               "address = 10.0.0.5:9100\n"
                               "size = 4x3\n"
                               "dpi = 300\n"
                               "\n"
                               "[sync]\n"
                               "target = postgresql://ho.example/triage\n"
                               "batch_size = 10000\n"
                               "interval_s = 5\n"
                               "credentials = /etc/triage/pg.pass\n";

static const struct good_case {
    const char *ini;
    const char *want; /* parts of describe() */
} good_cases[] = {
    /* 0: defaults */
    {"", "id=SH01-S01;site=SH01;idle=10;lang=en;fullscreen=0;rules=;font=;calibration=5;"
         "printer=folder,,,,4x6,203;sync=,500,60,;scanners=0;retention=90,1024,64;"
         "camera=-,5,640,2000"},
    /* 1 */
    {full_ini,
     "id=SH02-S07;site=SH02;idle=0;lang=zh;fullscreen=1;rules=/etc/triage/rules.json;"
     "font=/usr/share/fonts/truetype/wqy/wqy-microhei.ttc;calibration=100;"
     "printer=zpl-tcp,10.0.0.5:9100,,,4x3,300;"
     "sync=postgresql://ho.example/triage,10000,5,/etc/triage/pg.pass;scanners=2;"
     "scanner=front,usb-hid,05e0:1200,de,tab,9600;scanner=back,serial,/dev/ttyACM0,us,enter,"
     "115200"},
    /* 2: BOM, CRLF, an inline comment, spacing, an indented key */
    {"\xEF\xBB\xBF[station]\r\nid=SH03-S01 ; the east bench\r\n  lang   =   zh  \r\n",
     "id=SH03-S01;lang=zh"},
    /* 3 */ {"[station]\nfullscreen = on\n", "fullscreen=1"},
    /* 4 */ {"[station]\nfullscreen = FALSE\n", "fullscreen=0"},
    /* 5 */ {"[station]\nfullscreen = 1\n", "fullscreen=1"},
    /* 6: an empty scanner section is a wedge scanner with defaults */
    {"[scanner.desk]\n", "scanners=1;scanner=desk,wedge,,us,enter,9600"},
    /* 7: empty text values are allowed */
    {"[printer]\ntype = cups\nqueue =\n", "printer=cups,,,,4x6,203"},
    /* 8 */
    {"[sync]\ntarget = spool:/var/spool/triage\nbatch_size = 1\n",
     "sync=spool:/var/spool/triage,1,60,"},
    /* 9 */ {"[sync]\ntarget = postgres://u@h/db\n", "sync=postgres://u@h/db,500,60,"},
    /* 10: numbers at their limits */
    {"[station]\nidle_logout_min = 1440\ncalibration_pct = 0\n[scanner.s]\nbaud=4000000\n",
     "idle=1440;calibration=0;scanner=s,wedge,,us,enter,4000000"},
    /* 11: a 31-character station id */
    {"[station]\nid = ABCDEFGHIJ-BCDEFGHIJ-BCDEFGHIJK\n", "id=ABCDEFGHIJ-BCDEFGHIJ-BCDEFGHIJK"},
    /* 12: what the station keeps, and the room it needs */
    {"[retention]\ndays = 30\nwarn_free_mb = 2048\nmin_free_mb = 100\n",
     "retention=30,2048,100"},
    /* 13: the same key in two sections is two keys */
    {"[station]\nid = A1\n[printer]\ntype = folder\n[scanner.x]\ntype = wedge\n",
     "id=A1;printer=folder,,,,4x6,203"},
    /* 14 */
    {"[printer]\ntype = zpl-usb\ndevice = 0a5f:0164\nsize = 2x1\n",
     "printer=zpl-usb,,0a5f:0164,,2x1,203"},
    /* 15: eight scanners fit */
    {"[scanner.a]\n[scanner.b]\n[scanner.c]\n[scanner.d]\n[scanner.e]\n[scanner.f]\n"
     "[scanner.g]\n[scanner.h_2]\ntype = evdev\n",
     "scanners=8;scanner=h_2,evdev,,us,enter,9600"},
    /* 16 */
    {"[scanner.w]\ntype = wedge\n[scanner.p]\ntype = hid-pos\nlayout = fr\n",
     "scanner=w,wedge,,us,enter,9600;scanner=p,hid-pos,,fr,enter,9600"},
    /* 17: a camera; '=' and ',' inside the pipeline are its own */
    {"[camera]\npipeline = v4l2src device=/dev/video0 ! image/jpeg,width=1280,height=720 ! "
     "appsink name=sink max-buffers=1 drop=true\npreview_fps = 30\nstall_ms = 100\n",
     "camera=v4l2src device=/dev/video0 ! image/jpeg,width=1280,height=720 ! appsink name=sink "
     "max-buffers=1 drop=true,30,640,100"},
    /* 18: an empty pipeline is no camera */
    {"[camera]\npipeline =\npreview_fps = 1\nstall_ms = 60000\n", "camera=-,1,640,60000"},
};

static const struct bad_case {
    const char *ini;
    const char *want; /* the start of the message */
} bad_cases[] = {
    /* 0 */ {"[station]\nid = SH 01\n", "E107: c.ini:2: "},
    /* 1 */ {"[station]\nid =\n", "E107: c.ini:2: "},
    /* 2 */ {"[station]\nid = SH01_S01\n", "E107: c.ini:2: "},
    /* 3: 32 characters do not fit */
    {"[station]\nid = ABCDEFGHIJ-BCDEFGHIJ-BCDEFGHIJKL\n", "E106: c.ini:2: "},
    /* 4 */ {"[station]\nsite = S!\n", "E122: c.ini:2: "},
    /* 5 */ {"[station]\nidle_logout_min = ten\n", "E108: c.ini:2: "},
    /* 6 */ {"[station]\nidle_logout_min = 5x\n", "E108: c.ini:2: "},
    /* 7 */ {"[station]\nidle_logout_min = -1\n", "E109: c.ini:2: "},
    /* 8 */ {"[station]\nidle_logout_min = +5\n", "E108: c.ini:2: "},
    /* 9 */ {"[station]\nidle_logout_min = 99999999999999999999\n", "E108: c.ini:2: "},
    /* 10 */ {"[station]\ncalibration_pct = 101\n", "E109: c.ini:2: "},
    /* 11 */ {"[station]\nlang = fr\n", "E110: c.ini:2: "},
    /* 12 */ {"[station]\nfullscreen = maybe\n", "E111: c.ini:2: "},
    /* 13 */ {"[station]\ncolour = red\n", "E105: c.ini:2: [station] colour: unknown key"},
    /* 14 */ {"\n\nid = x\n", "E103: c.ini:3: "},
    /* 15 */ {"[stations]\nid = x\n", "E104: c.ini:1: [stations]"},
    /* 16: an empty unknown section is still wrong */
    {"[station]\nid = A\n[bogus]\n", "E104: c.ini:3: "},
    /* 17 */ {"[ station ]\nid = A\n", "E104: c.ini:1: "},
    /* 18 */ {"[station]\nthis line is wrong\n", "E101: c.ini:2: "},
    /* 19 */ {"[station\nid = x\n", "E101: c.ini:1: "},
    /* 20 */ {"[scanner.a]\ntype = laser\n", "E112: c.ini:2: "},
    /* 21 */ {"[scanner.a]\nlayout = uk\n", "E113: c.ini:2: "},
    /* 22 */ {"[scanner.a]\nsuffix = space\n", "E114: c.ini:2: "},
    /* 23 */ {"[scanner.a]\nbaud = 0\n", "E109: c.ini:2: "},
    /* 24 */ {"[scanner.a]\ncolor = 1\n", "E105: c.ini:2: [scanner.a] color"},
    /* 25 */ {"[scanner.]\n", "E116: c.ini:1: "},
    /* 26 */ {"[scanner]\n", "E104: c.ini:1: "},
    /* 27 */ {"[scanner.a b]\ntype = wedge\n", "E116: c.ini:1: "},
    /* 28 */ {"[scanner.ABCDEFGHIJABCDEFGHIJABCDEFGHIJAB]\n", "E116: c.ini:1: "},
    /* 29 */ {"[scanner.a]\n\n[scanner.a]\n", "E117: c.ini:3: "},
    /* 30: a ninth scanner */
    {"[scanner.a]\n[scanner.b]\n[scanner.c]\n[scanner.d]\n[scanner.e]\n[scanner.f]\n"
     "[scanner.g]\n[scanner.h]\n[scanner.i]\ntype = wedge\n",
     "E115: c.ini:9: "},
    /* 31 */ {"[printer]\ntype = laser\n", "E118: c.ini:2: "},
    /* 32 */ {"[printer]\nsize = A4\n", "E119: c.ini:2: "},
    /* 33 */ {"[printer]\ndpi = 600\n", "E120: c.ini:2: "},
    /* 34 */ {"[printer]\ndpi = high\n", "E108: c.ini:2: "},
    /* 35 */
    {"[printer]\nqueue = 0123456789012345678901234567890123456789012345678901234567890123\n",
     "E106: c.ini:2: "},
    /* 36 */ {"[sync]\ntarget = ftp://x\n", "E121: c.ini:2: "},
    /* 37 */ {"[sync]\ntarget = spool:\n", "E121: c.ini:2: "},
    /* 38 */ {"[sync]\nbatch_size = 0\n", "E109: c.ini:2: "},
    /* 39 */ {"[sync]\nbatch_size = 10001\n", "E109: c.ini:2: "},
    /* 40 */ {"[sync]\ninterval_s = 0\n", "E109: c.ini:2: "},
    /* 41: the first error is the one reported, whatever its kind */
    {"[station]\nlang = xx\nbroken line\n", "E110: c.ini:2: "},
    /* 42 */ {"[station]\nbroken line\nlang = xx\n", "E101: c.ini:2: "},
    /* 43 */ {"[bogus]\nkey = 1\n[station]\nlang = xx\n", "E104: c.ini:1: "},
    /* 44: lines counted through comments, blank lines and CRLF */
    {"; c\r\n\r\n# d\r\n[station]\r\n\r\nlang = de\r\n", "E110: c.ini:6: "},
    /* 45: an indented line is a line of its own, not a continuation */
    {"[station]\nid = SH01\n  bad id\n", "E101: c.ini:3: "},
    /* 46 */ {"[printer]\ndpi = 203\n[sync]\nbatch_size = 20000\n", "E109: c.ini:4: "},
    /* 47: a key given twice: never "the last wins" */
    {"[station]\nlang = zh\nlang = en\n", "E125: c.ini:3: [station] lang is given twice (first on line 2)"},
    /* 48: a section given twice: never renamed by the second */
    {"[station]\nid = A1\n[printer]\ndpi = 300\n[station]\nid = B2\n",
     "E127: c.ini:5: [station] is given twice (first on line 1)"},
    /* 49 */ {"[retention]\n[retention]\n", "E127: c.ini:2: "},
    /* 50 */ {"[scanner.a]\ntype = wedge\ntype = serial\n", "E125: c.ini:3: "},
    /* 51 */ {"[retention]\ndays = -1\n", "E109: c.ini:2: "},
    /* 52 */ {"[sync]\nsslmode = verify-full\nsslmode = disable\n", "E125: c.ini:3: "},
    /* 53 */ {"[camera]\npreview_fps = 0\n", "E109: c.ini:2: [camera] preview_fps: 0 is out"},
    /* 54 */ {"[camera]\npreview_fps = 31\n", "E109: c.ini:2: "},
    /* 55 */ {"[camera]\nstall_ms = 99\n", "E109: c.ini:2: "},
    /* 56 */ {"[camera]\nstall_ms = 2s\n", "E108: c.ini:2: "},
    /* 57 */ {"[camera]\ndevice = /dev/video0\n", "E105: c.ini:2: [camera] device: unknown key"},
    /* 58 */ {"[camera]\npipeline = a\n[station]\n[camera]\n", "E127: c.ini:4: "},
    /* 59 */ {"[camera]\npipeline = a\npipeline = b\n", "E125: c.ini:3: "},
    /* 60 */ {"[cameras]\n", "E104: c.ini:1: "},
};

static void test_good(void)
{
    for (size_t i = 0; i < sizeof good_cases / sizeof *good_cases; i++) {
        struct config cfg;
        config_defaults(&cfg);
        char err[300] = "x";
        int rc = config_load_string(good_cases[i].ini, "c.ini", &cfg, err, sizeof err);
        char desc[2048], missing[300] = "";
        describe(&cfg, desc, sizeof desc);
        if (!CHECK(rc == 0 && err[0] == 0 &&
                   has_all(desc, good_cases[i].want, missing, sizeof missing)))
            fprintf(stderr, "  good case %zu: rc %d \"%s\"; missing %s in %s\n", i, rc, err,
                    missing, desc);
    }
}

static void test_bad(void)
{
    struct config defaults;
    config_defaults(&defaults);
    for (size_t i = 0; i < sizeof bad_cases / sizeof *bad_cases; i++) {
        struct config cfg;
        config_defaults(&cfg);
        char err[300] = "";
        int rc = config_load_string(bad_cases[i].ini, "c.ini", &cfg, err, sizeof err);
        const char *want = bad_cases[i].want;
        if (!CHECK(rc == -1 && strncmp(err, want, strlen(want)) == 0))
            fprintf(stderr, "  bad case %zu: rc %d \"%s\", want \"%s\"\n", i, rc, err, want);
        /* Nothing of a bad file is taken. */
        if (!CHECK(memcmp(&cfg, &defaults, sizeof cfg) == 0))
            fprintf(stderr, "  bad case %zu changed the configuration\n", i);
    }
}

/* Lines longer than inih reads at once, and values at their field size. */
static void test_long_lines(void)
{
    char *ini = malloc(4000);
    char err[300];
    struct config cfg;

    /* A 511-byte path fits rules_path[512]. */
    config_defaults(&cfg);
    int n = sprintf(ini, "[station]\nrules = /");
    memset(ini + n, 'r', 510);
    strcpy(ini + n + 510, "\nlang = zh\n");
    CHECK_INT(config_load_string(ini, "c.ini", &cfg, err, sizeof err), 0);
    CHECK_INT(strlen(cfg.rules_path), 511);
    CHECK_INT(cfg.lang, LANG_ZH);

    /* 512 bytes do not. */
    config_defaults(&cfg);
    memset(ini + n, 'r', 511);
    strcpy(ini + n + 511, "\n");
    CHECK_INT(config_load_string(ini, "c.ini", &cfg, err, sizeof err), -1);
    CHECK(strncmp(err, "E106: c.ini:2: ", 15) == 0);

    /* A line longer than any field: its own error, at its line, and the
     * rest of it is not read as another line. */
    n = sprintf(ini, "[station]\n\n; note\nrules = ");
    memset(ini + n, 'x', 2000);
    strcpy(ini + n + 2000, "\nlang = zh\n");
    CHECK_INT(config_load_string(ini, "c.ini", &cfg, err, sizeof err), -1);
    if (!CHECK(strncmp(err, "E102: c.ini:4: ", 15) == 0))
        fprintf(stderr, "  got \"%s\"\n", err);

    /* An error after the long line still has the right line. */
    config_defaults(&cfg);
    n = sprintf(ini, "[station]\n# ");
    memset(ini + n, 'c', 1500); /* a long comment is a long line too */
    strcpy(ini + n + 1500, "\nlang = zz\n");
    CHECK_INT(config_load_string(ini, "c.ini", &cfg, err, sizeof err), -1);
    if (!CHECK(strncmp(err, "E102: c.ini:2: ", 15) == 0))
        fprintf(stderr, "  got \"%s\"\n", err);
    free(ini);
}

static void test_files(void)
{
    char err[600];
    struct config cfg;
    config_defaults(&cfg);
    CHECK_INT(config_load("/nonexistent/triage.conf", &cfg, err, sizeof err), -1);
    CHECK(strncmp(err, "E100: /nonexistent/triage.conf: ", 32) == 0);

    const char *dir = harness_tmpdir();
    char path[600];
    snprintf(path, sizeof path, "%s/triage.conf", dir);
    harness_write_file(path, full_ini);
    CHECK_INT(config_load(path, &cfg, err, sizeof err), 0);
    CHECK_STR(cfg.station_id, "SH02-S07");
    CHECK_INT(cfg.nscanners, 2);

    /* Read over what cfg holds: other values stay; a scanner section of the
     * same name updates that scanner. */
    harness_write_file(path, "[station]\nlang = en\n[scanner.back]\nbaud = 9600\n");
    CHECK_INT(config_load(path, &cfg, err, sizeof err), 0);
    CHECK_STR(cfg.station_id, "SH02-S07");
    CHECK_INT(cfg.lang, LANG_EN);
    CHECK_INT(cfg.nscanners, 2);
    CHECK_INT(cfg.scanners[1].baud, 9600);
    CHECK_STR(cfg.scanners[1].type, "serial");

    harness_write_file(path, "[station]\n\nidle_logout_min = soon\n");
    CHECK_INT(config_load(path, &cfg, err, sizeof err), -1);
    char want[700];
    snprintf(want, sizeof want, "E108: %s:3: ", path);
    if (!CHECK(strncmp(err, want, strlen(want)) == 0))
        fprintf(stderr, "  got \"%s\"\n", err);
    CHECK_INT(cfg.idle_logout_min, 0); /* unchanged from full_ini */

    /* A NUL byte: what follows it would be read by nobody. */
    static const char with_nul[] = "[station]\nid = A1\n\0[station]\nid = B2\n";
    FILE *f = fopen(path, "wb");
    CHECK(f && fwrite(with_nul, 1, sizeof with_nul - 1, f) == sizeof with_nul - 1);
    if (f)
        fclose(f);
    CHECK_INT(config_load(path, &cfg, err, sizeof err), -1);
    snprintf(want, sizeof want, "E126: %s:3: ", path);
    if (!CHECK(strncmp(err, want, strlen(want)) == 0))
        fprintf(stderr, "  got \"%s\"\n", err);

    /* A small error buffer is never overrun. */
    char small[6];
    CHECK_INT(config_load_string("[x]\n", "c.ini", &cfg, small, sizeof small), -1);
    CHECK_STR(small, "E104:");
}

/* The camera's pipeline: as long as its field, and its options through a
 * copy of the configuration. */
static void test_camera(void)
{
    char ini[1200], err[300];
    struct config cfg;
    for (int len = 1023; len <= 1024; len++) {
        config_defaults(&cfg);
        int n = snprintf(ini, sizeof ini, "[camera]\npipeline = ");
        memset(ini + n, 'v', (size_t)len);
        snprintf(ini + n + len, sizeof ini - (size_t)(n + len), "\n");
        int rc = config_load_string(ini, "c.ini", &cfg, err, sizeof err);
        if (len == 1023) {
            CHECK_INT(rc, 0);
            CHECK(cfg.camera.pipeline == cfg.camera_pipeline);
            CHECK_INT(strlen(cfg.camera_pipeline), 1023);
        } else {
            CHECK_INT(rc, -1);
            CHECK(strncmp(err, "E106: c.ini:2: [camera] pipeline", 32) == 0);
        }
    }
    config_defaults(&cfg);
    CHECK_INT(config_load_string("[camera]\npipeline = videotestsrc ! appsink name=sink\n", "c.ini",
                                 &cfg, err, sizeof err),
              0);
    struct config *copy = malloc(sizeof *copy);
    if (!copy)
        return;
    *copy = cfg;
    memset(&cfg, 0, sizeof cfg);
    struct camera_opts o;
    config_camera_opts(copy, &o);
    CHECK(o.pipeline == copy->camera_pipeline);
    CHECK_STR(o.pipeline, "videotestsrc ! appsink name=sink");
    CHECK_INT(o.preview_fps, 5);
    CHECK_INT(o.stall_ms, 2000);
    free(copy);
}

int main(void)
{
    test_good();
    test_camera();
    test_bad();
    test_long_lines();
    test_files();
    return harness_done();
}
