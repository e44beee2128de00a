/*
 * test_e2e_pictures.c — a check's instructions and reference picture on the
 * check screen, end to end: the real binary runs tests/e2e/pictures.script
 * with the demo rules read from a file (their pictures in demo/img/), in
 * English at 1280x800 and in Chinese in a 1000x700 window (the screen
 * letterboxed), and the screenshots are read back: the picture is where the
 * layout puts it, scaled to its box without distortion (its pixels compared
 * with the file's), clear of every answer; the instructions are drawn in
 * their panel, in each language; a check without them shows neither. Then a
 * picture damaged after the rules were checked (its middle, so the rules
 * still pass) shows the placeholder and is warned about once (W815), and a
 * picture taller than its box is wide keeps its proportions.
 */
#include <SDL.h>
#include <SDL_image.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "layout.h"
#include "rules.h"
#include "station.h"
#include "theme.h"
#include "ui.h"

static char cmd[4096];

static int triage(const char *data, const char *args, const char *input, char **err)
{
    snprintf(cmd, sizeof cmd, "SDL_VIDEODRIVER= DISPLAY= '%s' --data '%s' %s", harness_triage(),
             data, args);
    return harness_sh(cmd, input, NULL, err);
}

/* A station with a grader and one phone return, in tmp/NAME. */
static void station(const char *data)
{
    char manifest[800], args[1000];
    CHECK_INT(triage(data, "operator add --badge 1001 --name 'Ana Grader' --role grader",
                     "123456\n", NULL),
              0);
    snprintf(manifest, sizeof manifest, "%s-manifest.csv", data);
    harness_write_file(manifest, "rma,order_id,sku,gtin,serial,description,reason,delivered_at\n"
                                 "RMA-PIC-1,O-1,PH-IP15-128,,,Phone 15,Defective,2099-01-01\n");
    snprintf(args, sizeof args, "import-manifest '%s'", manifest);
    CHECK_INT(triage(data, args, NULL, NULL), 0);
}

/* Run the script; its stderr (the log) in *log. */
static int run(const char *name, const char *rules, const char *extra, char **log)
{
    char data[700], args[2400];
    snprintf(data, sizeof data, "%s/%s", harness_tmpdir(), name);
    station(data);
    snprintf(args, sizeof args,
             "--rules '%s' --script tests/e2e/pictures.script --shots '%s/%s-shots' %s", rules,
             harness_tmpdir(), name, extra);
    int rc = triage(data, args, NULL, log);
    if (!CHECK_INT(rc, 0))
        fprintf(stderr, "  %s: %s", name, *log ? *log : "");
    return rc;
}

static SDL_Surface *shot(const char *name, const char *which)
{
    char path[900];
    snprintf(path, sizeof path, "%s/%s-shots/%s.png", harness_tmpdir(), name, which);
    SDL_Surface *s = IMG_Load(path);
    SDL_Surface *rgb = s ? SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_RGB24, 0) : NULL;
    SDL_FreeSurface(s);
    if (!CHECK(rgb != NULL))
        fprintf(stderr, "  %s: %s\n", path, IMG_GetError());
    else {
        CHECK_INT(rgb->w, UI_W);
        CHECK_INT(rgb->h, UI_H);
    }
    return rgb;
}

static uint32_t pixel(const SDL_Surface *s, int x, int y)
{
    const Uint8 *p = (const Uint8 *)s->pixels + y * s->pitch + x * 3;
    return (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
}

static bool near(uint32_t a, uint32_t b, int tol)
{
    for (int sh = 0; sh < 24; sh += 8) {
        int d = (int)((a >> sh) & 255) - (int)((b >> sh) & 255);
        if (d > tol || d < -tol)
            return false;
    }
    return true;
}

/* Pixels of the rectangle within tol of rgb. */
static int count(const SDL_Surface *s, struct ui_widget r, uint32_t rgb, int tol)
{
    int n = 0;
    for (int y = r.y; y < r.y + r.h; y++)
        for (int x = r.x; x < r.x + r.w; x++)
            n += near(pixel(s, x, y), rgb, tol);
    return n;
}

/* The layout of check i of the phone, as the station shows it. */
static const struct lay *layout(const struct rules *r, int i, enum lang lang)
{
    static struct lay lay;
    struct view v;
    memset(&v, 0, sizeof v);
    v.screen = SCREEN_CHECK;
    v.lang = lang;
    v.input = "";
    v.rules = r;
    v.category = rules_category(r, "phone");
    v.check_index = i;
    lay_build(&v, &lay);
    return &lay;
}

static const struct lay_item *find_kind(const struct lay *lay, enum lay_kind kind, const char *text)
{
    for (int i = 0; i < lay->n; i++)
        if (lay->items[i].kind == kind && (!text || strcmp(lay->items[i].text, text) == 0))
            return &lay->items[i];
    return NULL;
}

static bool overlap(const struct ui_widget *a, const struct ui_widget *b)
{
    return a->x < b->x + b->w && b->x < a->x + a->w && a->y < b->y + b->h && b->y < a->y + a->h;
}

/*
 * Check i's picture on the screenshot: drawn in its box as large as fits,
 * proportions kept, centred, each of a grid of its pixels the file's; clear
 * of every answer. Its instructions in their panel (drawn: dark blue text
 * pixels there).
 */
static void check_shown(const SDL_Surface *s, const struct rules *r, int i, enum lang lang,
                        const char *what)
{
    const struct lay *lay = layout(r, i, lang);
    const struct rules_check *chk = &rules_category(r, "phone")->checks[i];
    char path[RULES_MAX_IMAGE_PATH];
    CHECK_INT(rules_image_path(r, chk, path, sizeof path), 0);
    const struct lay_item *pic = find_kind(lay, LK_PICTURE, path);
    SDL_Surface *file = IMG_Load(path);
    SDL_Surface *src = file ? SDL_ConvertSurfaceFormat(file, SDL_PIXELFORMAT_RGB24, 0) : NULL;
    SDL_FreeSurface(file);
    if (!CHECK(pic != NULL) || !CHECK(src != NULL)) {
        SDL_FreeSurface(src);
        return;
    }
    for (int k = 0; k < lay->n; k++)
        if (lay->items[k].kind == LK_BUTTON && !CHECK(!overlap(&pic->w, &lay->items[k].w)))
            fprintf(stderr, "  %s: the picture covers button \"%s\"\n", what, lay->items[k].text);
    /* The box is about 4:3 like the demo's pictures; the drawn picture keeps 480:360. */
    int dw = pic->w.w, dh = src->h * pic->w.w / src->w;
    if (dh > pic->w.h) {
        dh = pic->w.h;
        dw = src->w * pic->w.h / src->h;
    }
    int x0 = pic->w.x + (pic->w.w - dw) / 2, y0 = pic->w.y + (pic->w.h - dh) / 2;
    int same = 0, n = 0;
    for (int gy = 1; gy < 30; gy++)
        for (int gx = 1; gx < 40; gx++, n++) {
            int sx = src->w * gx / 40, sy = src->h * gy / 30;
            same += near(pixel(s, x0 + dw * gx / 40, y0 + dh * gy / 30), pixel(src, sx, sy), 48);
        }
    if (!CHECK(same * 100 >= n * 90))
        fprintf(stderr, "  %s: %d of %d pixels of %s where the layout puts it (%d,%d %dx%d)\n",
                what, same, n, path, x0, y0, dw, dh);
    SDL_FreeSurface(src);
    /* Around the drawn picture its box stays the card's white: nothing
     * stretched beyond its proportions (a pixel of edge allowed). */
    int stray = 0;
    for (int y = pic->w.y; y < pic->w.y + pic->w.h; y++)
        for (int x = pic->w.x; x < pic->w.x + pic->w.w; x++)
            if ((x < x0 - 1 || x > x0 + dw || y < y0 - 1 || y > y0 + dh) &&
                !near(pixel(s, x, y), C_CARD, 8))
                stray++;
    if (!CHECK_INT(stray, 0))
        fprintf(stderr, "  %s: picture pixels outside %d,%d %dx%d\n", what, x0, y0, dw, dh);
    /* The red of the demo's arrows, only in the picture's box. */
    CHECK(count(s, pic->w, 0xB91C1C, 40) > 300);

    const struct lay_item *t = find_kind(lay, LK_TEXT, text_get(&chk->instructions, lang));
    if (CHECK(t != NULL) && !CHECK(count(s, t->w, C_INFO_TEXT, 60) > 150))
        fprintf(stderr, "  %s: no instructions drawn at %d,%d\n", what, t->w.x, t->w.y);
}

int main(void)
{
    char rules_path[800], *log = NULL;
    struct rules *r = NULL;
    char err[600];
    if (!CHECK_INT(rules_load_file("demo/rules.json", &r, err, sizeof err), 0)) {
        fprintf(stderr, "%s\n", err);
        return harness_done();
    }
    const int screen = 0, body = 1, power = 3;

    /* English at 1280x800, Chinese letterboxed in a 1000x700 window. */
    run("en", "demo/rules.json", "--lang en", &log);
    CHECK(log && !strstr(log, "W815"));
    free(log);
    log = NULL;
    run("zh", "demo/rules.json", "--lang zh --windowed 1000x700", &log);
    CHECK(log && !strstr(log, "W815"));
    free(log);
    const char *langs[2] = {"en", "zh"};
    SDL_Surface *pw[2] = {NULL, NULL};
    for (int l = 0; l < 2; l++) {
        SDL_Surface *s = shot(langs[l], "screen"), *b = shot(langs[l], "body");
        pw[l] = shot(langs[l], "power");
        if (s && b && pw[l]) {
            check_shown(s, r, screen, (enum lang)l, "screen");
            check_shown(pw[l], r, power, (enum lang)l, "power");
            /* No picture, no instructions panel on a check without them. */
            CHECK(find_kind(layout(r, body, (enum lang)l), LK_PICTURE, NULL) == NULL);
            const struct lay_item *pic =
                find_kind(layout(r, screen, (enum lang)l), LK_PICTURE, NULL);
            if (pic)
                CHECK_INT(count(b, pic->w, 0xB91C1C, 40), 0);
        }
        SDL_FreeSurface(s);
        SDL_FreeSurface(b);
    }
    /* The instructions are in each language: the panels differ. */
    const struct lay_item *t =
        find_kind(layout(r, power, LANG_ZH), LK_TEXT,
                  "长按电源键5秒。再接上工位的充电器：一分钟内应显示充电标志。");
    if (CHECK(t != NULL) && pw[0] && pw[1]) {
        int differ = 0;
        for (int y = t->w.y; y < t->w.y + t->w.h; y++)
            for (int x = t->w.x; x < t->w.x + t->w.w; x++)
                differ += pixel(pw[0], x, y) != pixel(pw[1], x, y);
        CHECK(differ > 500);
    }
    SDL_FreeSurface(pw[0]);
    SDL_FreeSurface(pw[1]);

    /* A picture damaged in its middle after the rules were checked: its
     * signature, header and end are whole, so the rules load; SDL2_image
     * cannot decode it. The placeholder stands in, the station goes on, W815
     * is logged once though the check is shown twice. */
    const char *tmp = harness_tmpdir();
    snprintf(cmd, sizeof cmd, "cp -r demo '%s/demo'", tmp);
    CHECK_INT(harness_sh(cmd, NULL, NULL, NULL), 0);
    char pic_path[800];
    snprintf(pic_path, sizeof pic_path, "%s/demo/img/phone-power.png", tmp);
    size_t len = 0;
    char *png = harness_read_file(pic_path, &len);
    if (CHECK(png && len > 200)) {
        memset(png + 60, 0x5A, len - 60 - 12); /* IDAT's data, up to IEND */
        FILE *f = fopen(pic_path, "wb");
        if (CHECK(f != NULL)) {
            fwrite(png, 1, len, f);
            fclose(f);
        }
    }
    free(png);
    /* And a picture taller than wide for the screen: it must keep its
     * proportions in the wide box (the demo's are 4:3, like the box). */
    SDL_Surface *tall = SDL_CreateRGBSurfaceWithFormat(0, 180, 360, 24, SDL_PIXELFORMAT_RGB24);
    if (CHECK(tall != NULL)) {
        SDL_FillRect(tall, NULL, SDL_MapRGB(tall->format, 0x0F, 0x17, 0x2A));
        SDL_FillRect(tall, &(SDL_Rect){8, 8, 164, 172}, SDL_MapRGB(tall->format, 0xB9, 0x1C, 0x1C));
        SDL_FillRect(tall, &(SDL_Rect){8, 180, 164, 172},
                     SDL_MapRGB(tall->format, 0x1D, 0x4E, 0xD8));
        snprintf(pic_path, sizeof pic_path, "%s/demo/img/phone-screen.png", tmp);
        CHECK_INT(IMG_SavePNG(tall, pic_path), 0);
        SDL_FreeSurface(tall);
    }
    snprintf(rules_path, sizeof rules_path, "%s/demo/rules.json", tmp);
    log = NULL;
    run("damaged", rules_path, "--lang en", &log);
    int warned = 0;
    for (const char *p = log; p && (p = strstr(p, "W815")); p++)
        warned++;
    if (!CHECK_INT(warned, 1))
        fprintf(stderr, "%s", log ? log : "");
    CHECK(log && strstr(log, "phone-power.png"));
    free(log);
    struct rules *damaged = NULL;
    if (CHECK_INT(rules_load_file(rules_path, &damaged, err, sizeof err), 0)) {
        const struct lay *lay = layout(damaged, power, LANG_EN);
        char path[RULES_MAX_IMAGE_PATH];
        rules_image_path(damaged, &rules_category(damaged, "phone")->checks[power], path,
                         sizeof path);
        const struct lay_item *pic = find_kind(lay, LK_PICTURE, path);
        const char *which[2] = {"power", "power-again"};
        for (int k = 0; k < 2 && pic; k++) {
            SDL_Surface *s = shot("damaged", which[k]);
            if (s) {
                CHECK_INT(count(s, pic->w, 0xB91C1C, 40), 0);
                /* The placeholder's pale box with its words. */
                CHECK(count(s, pic->w, C_FIELD, 2) > pic->w.w * pic->w.h / 2);
                CHECK(count(s, pic->w, C_MUTED, 60) > 100);
            }
            SDL_FreeSurface(s);
        }
        /* The other pictures still show; the tall one keeps its proportions. */
        SDL_Surface *s = shot("damaged", "screen");
        if (s)
            check_shown(s, damaged, screen, LANG_EN, "a tall picture, beside a damaged one");
        SDL_FreeSurface(s);
        rules_free(damaged);
    }
    rules_free(r);
    return harness_done();
}
