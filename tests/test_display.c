/*
 * test_display.c — the screen's geometry and the [display] section, and a
 * station without a display (no X server needed; tests/test_display_x11.c
 * runs the station under Xvfb):
 *
 *  - ui_letterbox: the 1280x800 screen scaled to fit, centred, for screens
 *    of every usual shape; ui_window_to_screen maps window points back and
 *    refuses the bars.
 *  - [display] renderer: auto (the default), software, opengl; anything
 *    else is E124 with its line.
 *  - No X, no Wayland, no console: the station says what is missing (E801)
 *    and exits 1 instead of running invisibly; SDL's invisible offscreen
 *    driver is refused the same way; with --script it runs headless.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "harness.h"
#include "ui.h"

/* ---- geometry --------------------------------------------------------- */

static void test_letterbox(void)
{
    static const struct {
        int w, h;
        struct ui_rect want;
    } cases[] = {
        /* 1 */ {1280, 800, {0, 0, 1280, 800}},
        /* 2 */ {1024, 600, {32, 0, 960, 600}},    /* 16:9.4 netbook panel: bars left and right */
        /* 3 */ {1920, 1080, {96, 0, 1728, 1080}}, /* 16:9 */
        /* 4 */ {1600, 900, {80, 0, 1440, 900}},   /* 16:9 */
        /* 5 */ {1024, 768, {0, 64, 1024, 640}},   /* 4:3: bars above and below */
        /* 6 */ {1280, 1024, {0, 112, 1280, 800}}, /* 5:4 */
        /* 7 */ {800, 480, {16, 0, 768, 480}},     /* a 7" panel */
        /* 8 */ {2560, 1600, {0, 0, 2560, 1600}},  /* twice the size, no bars */
        /* 9 */ {800, 1280, {0, 390, 800, 500}},   /* a portrait panel */
        /* 10 */ {1366, 768, {68, 0, 1229, 768}},  /* odd sizes round to the nearest pixel */
        /* 11 */ {0, 0, {0, 0, 1280, 800}},        /* no window yet */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct ui_rect r = ui_letterbox(cases[i].w, cases[i].h);
        char got[64], want[64];
        snprintf(got, sizeof got, "%dx%d: %d,%d %dx%d", cases[i].w, cases[i].h, r.x, r.y, r.w, r.h);
        snprintf(want, sizeof want, "%dx%d: %d,%d %dx%d", cases[i].w, cases[i].h, cases[i].want.x,
                 cases[i].want.y, cases[i].want.w, cases[i].want.h);
        CHECK_STR(got, want);
    }

    /* Window points back to the screen: 1024x600 shows it at 0.75 from x = 32. */
    int x = -1, y = -1;
    CHECK(ui_window_to_screen(1024, 600, 32.0f, 0.0f, &x, &y));
    CHECK_INT(x, 0);
    CHECK_INT(y, 0);
    CHECK(ui_window_to_screen(1024, 600, 32 + 0.75f * 640.5f, 0.75f * 400.5f, &x, &y));
    CHECK_INT(x, 640);
    CHECK_INT(y, 400);
    CHECK(ui_window_to_screen(1024, 600, 991.9f, 599.9f, &x, &y));
    CHECK_INT(x, 1279);
    CHECK_INT(y, 799);
    /* The bars are nobody's. */
    CHECK(!ui_window_to_screen(1024, 600, 31.9f, 300.0f, &x, &y));
    CHECK(!ui_window_to_screen(1024, 600, 992.0f, 300.0f, &x, &y));
    CHECK(!ui_window_to_screen(1024, 768, 512.0f, 63.0f, &x, &y));
    CHECK(!ui_window_to_screen(1024, 768, 512.0f, 704.0f, &x, &y));
    CHECK(!ui_window_to_screen(1024, 600, -1.0f, -1.0f, &x, &y));
    /* Every logical pixel's middle, sent through 1920x1080 and back, is itself. */
    int wrong = 0;
    struct ui_rect r = ui_letterbox(1920, 1080);
    for (int ly = 0; ly < UI_H; ly += 7)
        for (int lx = 0; lx < UI_W; lx += 3) {
            float wx = (float)r.x + ((float)lx + 0.5f) * (float)r.w / UI_W;
            float wy = (float)r.y + ((float)ly + 0.5f) * (float)r.h / UI_H;
            if (!ui_window_to_screen(1920, 1080, wx, wy, &x, &y) || x != lx || y != ly)
                wrong++;
        }
    CHECK_INT(wrong, 0);
}

/* ---- [display] -------------------------------------------------------- */

static void test_config(void)
{
    struct config cfg;
    char err[256];
    config_defaults(&cfg);
    CHECK_STR(cfg.display.renderer, "auto");

    static const char *const good[] = {"auto", "software", "opengl"};
    for (int i = 0; i < 3; i++) {
        char text[128];
        snprintf(text, sizeof text, "[station]\nid = SH01-S02\n\n[display]\nrenderer = %s\n",
                 good[i]);
        config_defaults(&cfg);
        CHECK_INT(config_load_string(text, "t.conf", &cfg, err, sizeof err), 0);
        CHECK_STR(cfg.display.renderer, good[i]);
        CHECK_INT(ui_renderer_from_name(cfg.display.renderer), i);
        CHECK_STR(ui_renderer_name((enum ui_renderer)i), good[i]);
    }
    CHECK_INT(ui_renderer_from_name("OpenGL"), -1);
    CHECK_INT(ui_renderer_from_name(NULL), -1);

    config_defaults(&cfg);
    CHECK_INT(config_load_string("[display]\nrenderer = vulkan\n", "t.conf", &cfg, err, sizeof err),
              -1);
    CHECK_STR(err, "E124: t.conf:2: [display] renderer: \"vulkan\" is not one of "
                   "auto|software|opengl");
    CHECK_STR(cfg.display.renderer, "auto"); /* a bad file changes nothing */
    CHECK_INT(config_load_string("[display]\nvsync = on\n", "t.conf", &cfg, err, sizeof err), -1);
    CHECK_STR(err, "E105: t.conf:2: [display] vsync: unknown key");
    CHECK_INT(config_load_string("[displays]\n", "t.conf", &cfg, err, sizeof err), -1);
    CHECK(strstr(err, "E104: t.conf:1:") && strstr(err, "[display]"));
}

/* ---- no display --------------------------------------------------------- */

static void test_no_display(void)
{
    const char *tmp = harness_tmpdir();
    char cmd[2048], *out = NULL, *err = NULL;
    /* Nothing to show a screen on: no X, no Wayland, no console driver asked
     * for. (Where this machine has a DRM card the console driver may start;
     * then there is nothing to test here.) */
    const char *env = "env -u DISPLAY -u WAYLAND_DISPLAY -u SDL_VIDEODRIVER";
    snprintf(cmd, sizeof cmd, "%s '%s' --data '%s/d1' --windowed 1280x800", env, harness_triage(),
             tmp);
    int rc = harness_sh(cmd, NULL, &out, &err);
    if (rc == 0 || !err || !strstr(err, "E801")) {
        FILE *f = fopen("/dev/dri/card0", "r");
        if (f) {
            fclose(f);
            printf("test_display: this machine has a console screen: no-display checks left out\n");
            free(out);
            free(err);
            return;
        }
    }
    CHECK_INT(rc, 1);
    CHECK(err && strstr(err, "E801: no display:"));
    /* It names what it looked for, so IT can tell what is missing. */
    CHECK(err && strstr(err, "DISPLAY unset"));
    CHECK(err && strstr(err, "console driver cannot start"));
    CHECK(err && strstr(err, "/dev/dri/card"));
    CHECK(err && strstr(err, "/dev/input"));
    CHECK(err && strstr(err, "--script"));
    CHECK(err && !strstr(err, " I200 ")); /* never ready */
    if (err && !strstr(err, "E801"))
        fprintf(stderr, "  stderr: %s\n", err);
    free(out);
    free(err);

    /* SDL's own fallback, the invisible offscreen driver (no X, a Wayland
     * socket that is not there): refused, not run invisibly. */
    snprintf(cmd, sizeof cmd,
             "env -u DISPLAY -u SDL_VIDEODRIVER WAYLAND_DISPLAY=triage-none-0 '%s' --data '%s/d2' "
             "--windowed 1280x800",
             harness_triage(), tmp);
    rc = harness_sh(cmd, NULL, &out, &err);
    CHECK_INT(rc, 1);
    CHECK(err && strstr(err, "E801: no display: SDL found only the \"offscreen\" driver"));
    CHECK(err && !strstr(err, " I200 "));
    free(out);
    free(err);

    /* Asked for by name, an invisible driver runs, with a warning. */
    char script[600];
    snprintf(script, sizeof script, "%s/quit.script", tmp);
    harness_write_file(script, "expect login\nquit\n");
    snprintf(cmd, sizeof cmd,
             "env -u DISPLAY -u WAYLAND_DISPLAY SDL_VIDEODRIVER=offscreen '%s' --data '%s/d3' "
             "--windowed 1280x800 & pid=$!; sleep 1.5; kill $pid; wait $pid",
             harness_triage(), tmp);
    rc = harness_sh(cmd, NULL, &out, &err);
    CHECK(err && strstr(err, " W803 video driver offscreen (SDL_VIDEODRIVER)"));
    CHECK(err && strstr(err, " I200 "));
    free(out);
    free(err);

    /* A script needs no screen: it runs headless and ends well. */
    snprintf(cmd, sizeof cmd, "%s '%s' --data '%s/d4' --script '%s'", env, harness_triage(), tmp,
             script);
    rc = harness_sh(cmd, NULL, &out, &err);
    CHECK_INT(rc, 0);
    CHECK(err && strstr(err, " I800 video driver dummy, renderer software"));
    CHECK(err && strstr(err, " I200 "));
    free(out);
    free(err);
}

int main(void)
{
    test_letterbox();
    test_config();
    test_no_display();
    return harness_done();
}
