/*
 * draw.c — rounded shapes, icons and fitted text over an SDL_Renderer.
 *
 * Shapes: a rounded rectangle is three opaque fills plus four quarter discs
 * copied from one anti-aliased white disc texture of that radius, tinted with
 * SDL_SetTextureColorMod. Icons are rasterised once per size the same way
 * (4x4 supersampling of a coverage function) and tinted too.
 *
 * Text: a box's text is wrapped, shrunk and cut to fit, rendered with
 * SDL_ttf (Blended: anti-aliased) line by line into one surface, and kept as
 * one texture in an LRU cache. A frame that shows the same texts again costs
 * one texture copy per box.
 *
 * Pictures: a check's reference picture is read with SDL2_image the first
 * time its path is drawn, shrunk (linear) to fit MAX_PICTURE_SIDE, and kept as
 * a texture keyed by its path until draw_close; a path that cannot be loaded
 * is kept too, as a failure, so it is warned about once and never read again
 * on every frame.
 */
#include "draw.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL_image.h>
#include <SDL_ttf.h>

#include "file_map.h"
#include "log.h"
#include "theme.h"
#include "utf8.h"

#define MAX_FONTS 24
#define MAX_DISC_RADIUS 128
#define MAX_ICONS 16
#define TEXT_CACHE_MAX 256
#define TEXT_CACHE_BYTES ((size_t)16 << 20)
#define MAX_LINES 24
#define WORK_MAX 1024
#define MAX_PICTURES 64
/* A picture is never drawn larger than about half the screen: kept at most
 * this many pixels on its longer side, it costs at most 1.6 MB of texture. */
#define MAX_PICTURE_SIDE 640

/* The CJK fonts this station may have, best first. */
static const char font_candidates[][64] = {
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
};

struct font_slot {
    int size;
    bool bold;
    TTF_Font *font;
};

struct text_entry {
    uint64_t hash;
    char *text;
    int size, min_size, max_lines, box_w, box_h;
    uint32_t rgb;
    bool bold;
    enum lay_align align;
    SDL_Texture *tex; /* NULL: the text draws nothing (empty or failed) */
    int w, h;
    size_t bytes;
    uint64_t used;
};

struct icon_slot {
    enum lay_icon icon;
    int w, h;
    SDL_Texture *tex;
};

/* A reference picture by its path; tex NULL: it could not be loaded. */
struct picture_slot {
    char *path;
    SDL_Texture *tex;
    int w, h;
    uint64_t used;
};

struct draw {
    SDL_Renderer *r;
    char font_path[512];
    struct file_map font_file; /* every size opens from this one mapping */
    bool ttf_inited;
    struct font_slot fonts[MAX_FONTS];
    int nfonts;
    SDL_Texture *discs[MAX_DISC_RADIUS + 1];
    struct icon_slot icons[MAX_ICONS];
    int nicons;
    struct text_entry texts[TEXT_CACHE_MAX];
    int ntexts;
    struct picture_slot pictures[MAX_PICTURES];
    int npictures;
    long picture_loads;
    size_t text_bytes;
    uint64_t frame;
    long hits, misses;
    bool warned;
    SDL_Texture *camera; /* the camera's newest frame (draw_set_camera), or NULL */
    int camera_w, camera_h;
};

/* ---- open / close ------------------------------------------------------- */

/* One size of the font, read from the mapped file (SDL_ttf frees the RWops). */
static TTF_Font *font_from_map(struct draw *d, int size)
{
    SDL_RWops *rw = SDL_RWFromConstMem(d->font_file.data, (int)d->font_file.len);
    return rw ? TTF_OpenFontRW(rw, 1, size) : NULL;
}


struct draw *draw_open(SDL_Renderer *r, const char *font_path, char *err, size_t errlen)
{
    struct draw *d = calloc(1, sizeof *d);
    if (!d) {
        snprintf(err, errlen, "E810: out of memory");
        return NULL;
    }
    d->r = r;
    /* TTF_Init counts: others in this process (the label maker) may use it too. */
    if (TTF_Init() != 0) {
        snprintf(err, errlen, "E811: cannot start SDL_ttf: %s", TTF_GetError());
        free(d);
        return NULL;
    }
    d->ttf_inited = true;
    const char *path = font_path;
    if (!path) {
        for (size_t i = 0; i < sizeof font_candidates / sizeof *font_candidates; i++) {
            SDL_RWops *f = SDL_RWFromFile(font_candidates[i], "rb");
            if (f) {
                SDL_RWclose(f);
                path = font_candidates[i];
                break;
            }
        }
        if (!path) {
            snprintf(err, errlen,
                     "E812: no CJK font found (looked for %s); install fonts-wqy-microhei",
                     font_candidates[0]);
            draw_close(d);
            return NULL;
        }
    }
    snprintf(d->font_path, sizeof d->font_path, "%s", path);
    /* Open one size now so that a bad file is an error here, not a blank screen later. */
    TTF_Font *probe = NULL;
    if (file_map_open(d->font_path, &d->font_file) != 0)
        TTF_SetError("%s", strerror(errno));
    else
        probe = font_from_map(d, FS_BODY);
    if (!probe) {
        snprintf(err, errlen, "E813: cannot open font %s: %s", d->font_path, TTF_GetError());
        draw_close(d);
        return NULL;
    }
    d->fonts[d->nfonts++] = (struct font_slot){FS_BODY, false, probe};
    return d;
}

static void text_entry_free(struct draw *d, struct text_entry *e)
{
    if (e->tex)
        SDL_DestroyTexture(e->tex);
    free(e->text);
    d->text_bytes -= e->bytes;
    memset(e, 0, sizeof *e);
}

void draw_close(struct draw *d)
{
    if (!d)
        return;
    for (int i = 0; i < d->ntexts; i++)
        text_entry_free(d, &d->texts[i]);
    for (int i = 0; i < d->nfonts; i++)
        TTF_CloseFont(d->fonts[i].font);
    for (int i = 0; i <= MAX_DISC_RADIUS; i++)
        if (d->discs[i])
            SDL_DestroyTexture(d->discs[i]);
    for (int i = 0; i < d->nicons; i++)
        SDL_DestroyTexture(d->icons[i].tex);
    if (d->camera)
        SDL_DestroyTexture(d->camera);
    for (int i = 0; i < d->npictures; i++) {
        if (d->pictures[i].tex)
            SDL_DestroyTexture(d->pictures[i].tex);
        free(d->pictures[i].path);
    }
    if (d->ttf_inited)
        TTF_Quit();
    file_map_close(&d->font_file);
    free(d);
}

void draw_set_camera(struct draw *d, const uint32_t *pixels, int w, int h)
{
    if (!pixels || w <= 0 || h <= 0) {
        if (d->camera)
            SDL_DestroyTexture(d->camera);
        d->camera = NULL;
        return;
    }
    if (d->camera && (d->camera_w != w || d->camera_h != h)) {
        SDL_DestroyTexture(d->camera);
        d->camera = NULL;
    }
    if (!d->camera) {
        d->camera = SDL_CreateTexture(d->r, SDL_PIXELFORMAT_RGB888, SDL_TEXTUREACCESS_STREAMING,
                                      w, h);
        if (!d->camera) {
            log_warn("W806", "no texture for the camera's view: %s", SDL_GetError());
            return;
        }
        d->camera_w = w;
        d->camera_h = h;
    }
    SDL_UpdateTexture(d->camera, NULL, pixels, w * 4);
}

void draw_camera(struct draw *d, int x, int y, int w, int h)
{
    draw_fill(d, x, y, w, h, 0x0F172Au);
    if (!d->camera || w <= 0 || h <= 0)
        return;
    /* Fitted: the whole frame, its aspect kept. */
    int fw = w, fh = (int)((int64_t)w * d->camera_h / d->camera_w);
    if (fh > h) {
        fh = h;
        fw = (int)((int64_t)h * d->camera_w / d->camera_h);
    }
    SDL_Rect dst = {x + (w - fw) / 2, y + (h - fh) / 2, fw, fh};
    SDL_RenderCopy(d->r, d->camera, NULL, &dst);
}

const char *draw_font_path(const struct draw *d)
{
    return d->font_path;
}

void draw_begin_frame(struct draw *d)
{
    d->frame++;
}

void draw_get_stats(const struct draw *d, struct draw_stats *out)
{
    out->text_entries = d->ntexts;
    out->text_bytes = d->text_bytes;
    out->text_hits = d->hits;
    out->text_misses = d->misses;
    out->pictures = d->npictures;
    out->picture_loads = d->picture_loads;
}

static void warn_once(struct draw *d, const char *what)
{
    if (!d->warned)
        log_warn("W810", "drawing: %s: %s", what, SDL_GetError());
    d->warned = true;
}

/* ---- fonts -------------------------------------------------------------- */


static TTF_Font *font_get(struct draw *d, int size, bool bold)
{
    for (int i = 0; i < d->nfonts; i++)
        if (d->fonts[i].size == size && d->fonts[i].bold == bold)
            return d->fonts[i].font;
    TTF_Font *f = font_from_map(d, size);
    if (!f)
        return d->nfonts ? d->fonts[0].font : NULL;
    if (bold)
        TTF_SetFontStyle(f, TTF_STYLE_BOLD);
    if (d->nfonts == MAX_FONTS) { /* never in practice: a handful of sizes */
        TTF_CloseFont(d->fonts[MAX_FONTS - 1].font);
        d->nfonts--;
    }
    d->fonts[d->nfonts++] = (struct font_slot){size, bold, f};
    return f;
}

/* ---- shapes ------------------------------------------------------------- */

static void set_color(SDL_Renderer *r, uint32_t rgb)
{
    SDL_SetRenderDrawColor(r, (Uint8)(rgb >> 16), (Uint8)(rgb >> 8), (Uint8)rgb, 255);
}

void draw_fill(struct draw *d, int x, int y, int w, int h, uint32_t rgb)
{
    if (w <= 0 || h <= 0)
        return;
    SDL_SetRenderDrawBlendMode(d->r, SDL_BLENDMODE_NONE);
    set_color(d->r, rgb);
    SDL_RenderFillRect(d->r, &(SDL_Rect){x, y, w, h});
}

/* A white texture whose alpha is the coverage of `inside` (4x4 samples a pixel). */
typedef bool (*coverage_fn)(float x, float y, float w, float h);

static SDL_Texture *raster(struct draw *d, int w, int h, coverage_fn inside)
{
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!s)
        return NULL;
    for (int py = 0; py < h; py++) {
        Uint32 *row = (Uint32 *)((Uint8 *)s->pixels + py * s->pitch);
        for (int px = 0; px < w; px++) {
            int hits = 0;
            for (int sy = 0; sy < 4; sy++)
                for (int sx = 0; sx < 4; sx++)
                    hits += inside(px + (sx + 0.5f) / 4, py + (sy + 0.5f) / 4, (float)w, (float)h);
            Uint32 a = (Uint32)(hits * 255 / 16);
            row[px] = (a << 24) | 0xFFFFFFu;
        }
    }
    SDL_Texture *t = SDL_CreateTextureFromSurface(d->r, s);
    SDL_FreeSurface(s);
    if (t)
        SDL_SetTextureBlendMode(t, SDL_BLENDMODE_BLEND);
    return t;
}

static bool in_disc(float x, float y, float w, float h)
{
    float rx = w / 2, ry = h / 2, dx = x - rx, dy = y - ry;
    return dx * dx + dy * dy <= rx * ry;
}

static SDL_Texture *disc(struct draw *d, int radius)
{
    if (radius < 1 || radius > MAX_DISC_RADIUS)
        return NULL;
    if (!d->discs[radius]) {
        d->discs[radius] = raster(d, 2 * radius, 2 * radius, in_disc);
        if (!d->discs[radius])
            warn_once(d, "disc texture");
    }
    return d->discs[radius];
}

static void tint(SDL_Texture *t, uint32_t rgb)
{
    SDL_SetTextureColorMod(t, (Uint8)(rgb >> 16), (Uint8)(rgb >> 8), (Uint8)rgb);
}

static void round_fill(struct draw *d, int x, int y, int w, int h, int r, uint32_t rgb)
{
    if (w <= 0 || h <= 0)
        return;
    if (r > w / 2)
        r = w / 2;
    if (r > h / 2)
        r = h / 2;
    SDL_Texture *t = r > 0 ? disc(d, r) : NULL;
    if (!t) {
        draw_fill(d, x, y, w, h, rgb);
        return;
    }
    draw_fill(d, x + r, y, w - 2 * r, h, rgb);
    draw_fill(d, x, y + r, r, h - 2 * r, rgb);
    draw_fill(d, x + w - r, y + r, r, h - 2 * r, rgb);
    tint(t, rgb);
    SDL_RenderCopy(d->r, t, &(SDL_Rect){0, 0, r, r}, &(SDL_Rect){x, y, r, r});
    SDL_RenderCopy(d->r, t, &(SDL_Rect){r, 0, r, r}, &(SDL_Rect){x + w - r, y, r, r});
    SDL_RenderCopy(d->r, t, &(SDL_Rect){0, r, r, r}, &(SDL_Rect){x, y + h - r, r, r});
    SDL_RenderCopy(d->r, t, &(SDL_Rect){r, r, r, r}, &(SDL_Rect){x + w - r, y + h - r, r, r});
}

void draw_round_rect(struct draw *d, int x, int y, int w, int h, int radius, uint32_t fill,
                     uint32_t border, int bw)
{
    if (border && bw > 0) {
        round_fill(d, x, y, w, h, radius, border);
        round_fill(d, x + bw, y + bw, w - 2 * bw, h - 2 * bw, radius > bw ? radius - bw : 0, fill);
    } else {
        round_fill(d, x, y, w, h, radius, fill);
    }
}

void draw_circle(struct draw *d, int cx, int cy, int radius, uint32_t rgb)
{
    round_fill(d, cx - radius, cy - radius, 2 * radius, 2 * radius, radius, rgb);
}

/* ---- icons -------------------------------------------------------------- */

static float seg_dist2(float px, float py, float ax, float ay, float bx, float by)
{
    float vx = bx - ax, vy = by - ay, wx = px - ax, wy = py - ay;
    float t = (vx * wx + vy * wy) / (vx * vx + vy * vy);
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    float dx = ax + t * vx - px, dy = ay + t * vy - py;
    return dx * dx + dy * dy;
}

/* The erase key: a left-pointing tag with an X cut out of it. */
static bool in_backspace(float x, float y, float w, float h)
{
    float tip = 0.32f * w, mid = h / 2;
    bool body;
    if (x >= tip)
        body = x <= w && y >= 0 && y <= h;
    else
        body = (mid - y < 0 ? y - mid : mid - y) <= x / tip * mid;
    if (!body)
        return false;
    float cx = 0.64f * w, s = 0.2f * h, t = 0.075f * h;
    float dx = x - cx, dy = y - mid;
    if (dx < -s - t || dx > s + t || dy < -s - t || dy > s + t)
        return true;
    bool on_x = seg_dist2(x, y, cx - s, mid - s, cx + s, mid + s) <= t * t ||
                seg_dist2(x, y, cx - s, mid + s, cx + s, mid - s) <= t * t;
    return !on_x;
}

static bool in_check(float x, float y, float w, float h)
{
    float t = 0.09f * (w < h ? w : h);
    return seg_dist2(x, y, 0.14f * w, 0.54f * h, 0.40f * w, 0.80f * h) <= t * t ||
           seg_dist2(x, y, 0.40f * w, 0.80f * h, 0.88f * w, 0.22f * h) <= t * t;
}

void draw_icon(struct draw *d, enum lay_icon icon, int x, int y, int w, int h, uint32_t rgb)
{
    if (icon == ICON_NONE || w <= 0 || h <= 0)
        return;
    SDL_Texture *t = NULL;
    for (int i = 0; i < d->nicons; i++)
        if (d->icons[i].icon == icon && d->icons[i].w == w && d->icons[i].h == h)
            t = d->icons[i].tex;
    if (!t) {
        t = raster(d, w, h, icon == ICON_BACKSPACE ? in_backspace : in_check);
        if (!t) {
            warn_once(d, "icon texture");
            return;
        }
        if (d->nicons == MAX_ICONS) {
            SDL_DestroyTexture(d->icons[0].tex);
            memmove(&d->icons[0], &d->icons[1], sizeof d->icons[0] * (MAX_ICONS - 1));
            d->nicons--;
        }
        d->icons[d->nicons++] = (struct icon_slot){icon, w, h, t};
    }
    tint(t, rgb);
    SDL_RenderCopy(d->r, t, NULL, &(SDL_Rect){x, y, w, h});
}

/* ---- text layout -------------------------------------------------------- */

static bool is_cjk(uint32_t cp)
{
    return (cp >= 0x2E80 && cp <= 0x9FFF) || (cp >= 0xAC00 && cp <= 0xD7AF) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFF00 && cp <= 0xFFEF);
}

/* Punctuation that must not begin a line (Chinese and Latin closers). */
static bool no_line_start(uint32_t cp)
{
    static const uint32_t closers[] = {',',    '.',    ';',    ':',    '!',    '?',
                                       ')',    ']',    '}',    0x3001, 0x3002, 0xFF0C,
                                       0xFF1A, 0xFF1B, 0xFF01, 0xFF1F, 0xFF09, 0x300D,
                                       0x300F, 0x300B, 0x3011, 0x201D, 0x2019, 0x2026};
    for (size_t i = 0; i < sizeof closers / sizeof *closers; i++)
        if (cp == closers[i])
            return true;
    return false;
}

/*
 * Copy text for drawing: whole characters only; broken UTF-8 becomes "?",
 * control characters (a GS in a GS1 code, a tab) become "·", and "\n"
 * becomes NUL, ending a paragraph. Returns the length used.
 */
static int sanitize(const char *in, char *out, int cap)
{
    int n = 0;
    while (*in) {
        size_t len;
        uint32_t cp = utf8_at(in, &len);
        const char *put = in;
        int putlen = (int)len;
        if (cp == '\n') {
            put = "";
            putlen = 1; /* the NUL */
        } else if (cp == 0xFFFD && len == 1) {
            put = "?";
        } else if (cp < 0x20 || cp == 0x7F) {
            put = "·";
            putlen = (int)strlen(put);
        }
        if (n + putlen >= cap)
            break;
        memcpy(out + n, put, (size_t)putlen);
        n += putlen;
        in += len;
    }
    out[n] = 0;
    return n;
}

struct line {
    int start, len;
};

/* Width of s[0..len) in the font. */
static int span_width(TTF_Font *f, const char *s, int len)
{
    char tmp[WORK_MAX];
    if (len >= WORK_MAX)
        len = WORK_MAX - 1;
    memcpy(tmp, s, (size_t)len);
    tmp[len] = 0;
    int w = 0, h = 0;
    TTF_SizeUTF8(f, tmp, &w, &h);
    return w;
}

/* How many bytes of the NUL-terminated s fit in `width` px (whole characters). */
static int fit_bytes(TTF_Font *f, const char *s, int width)
{
    int extent = 0, count = 0;
    if (TTF_MeasureUTF8(f, s, width, &extent, &count) != 0)
        return 0;
    int b = (int)utf8_offset(s, (size_t)count);
    /* Kerning can make the measured prefix a pixel too wide: trust but verify. */
    while (b > 0 && span_width(f, s, b) > width)
        b = (int)utf8_prev(s, (size_t)b);
    return b;
}

/*
 * Break `work` (paragraphs separated by NUL, total `total` bytes) into lines
 * of at most `width` px. Returns the number of lines needed (may exceed
 * `max`; only the first `max` are stored). *cut_word is set when a word had
 * to be cut in the middle: the caller would rather shrink the text.
 */
static int wrap(TTF_Font *f, const char *work, int total, int width, struct line *lines, int max,
                bool *cut_word)
{
    *cut_word = false;
    int n = 0, pos = 0;
    while (pos <= total) {
        int pend = pos + (int)strlen(work + pos); /* end of this paragraph */
        if (pos == pend) {
            if (n < max)
                lines[n] = (struct line){pos, 0};
            n++;
        }
        while (pos < pend) {
            int fit = fit_bytes(f, work + pos, width);
            int brk;
            if (pos + fit >= pend) {
                brk = pend;
            } else {
                if (fit == 0) { /* not even one character fits: take one anyway */
                    size_t cl;
                    utf8_at(work + pos, &cl);
                    fit = (int)cl;
                }
                brk = pos + fit;
                /* Back up to a space, or to a boundary next to a CJK character. */
                int b = brk;
                while (b > pos) {
                    uint32_t after = utf8_at(work + b, NULL);
                    int pb = (int)utf8_prev(work, (size_t)b);
                    uint32_t before = utf8_at(work + pb, NULL);
                    if (after == ' ' || ((is_cjk(after) || is_cjk(before)) &&
                                         !no_line_start(after) && before != ' '))
                        break;
                    b = pb;
                }
                if (b > pos)
                    brk = b;
                else { /* one long word: cut it, but not before a closer */
                    *cut_word = true;
                    while (brk > pos + 1 && no_line_start(utf8_at(work + brk, NULL)))
                        brk = (int)utf8_prev(work, (size_t)brk);
                }
            }
            int end = brk;
            while (end > pos && work[end - 1] == ' ')
                end--;
            if (n < max)
                lines[n] = (struct line){pos, end - pos};
            n++;
            pos = brk;
            while (pos < pend && work[pos] == ' ')
                pos++;
        }
        pos = pend + 1;
    }
    return n;
}

/* Render the fitted text of a box into one surface. NULL when empty. */
static SDL_Surface *render_box(struct draw *d, const char *text, int box_w, int box_h,
                               const struct text_style *st)
{
    char work[WORK_MAX];
    int total = sanitize(text, work, sizeof work);

    /* SDL_ttf's bold thickens strokes by a tenth of the size: right for Latin,
     * but dense Chinese characters clog at title sizes. There, strike the
     * regular face a few times side by side instead (a medium weight). */
    bool cjk = false;
    for (int i = 0; i < total && !cjk; i++)
        cjk = (unsigned char)work[i] >= 0xE3;
    int strike = 0;

    struct line lines[MAX_LINES];
    TTF_Font *f = NULL;
    int nlines = 0, allowed = 1, skip = 0;
    int size = st->size, min_size = st->min_size > 0 && st->min_size < size ? st->min_size : size;
    for (;;) {
        bool fake_bold = st->bold && cjk && size >= 36;
        strike = fake_bold ? size / 24 : 0;
        f = font_get(d, size, st->bold && !fake_bold);
        if (!f)
            return NULL;
        skip = TTF_FontLineSkip(f);
        int fh = TTF_FontHeight(f);
        allowed = skip > 0 ? (box_h - fh) / skip + 1 : 1;
        if (allowed < 1)
            allowed = 1;
        if (st->max_lines > 0 && allowed > st->max_lines)
            allowed = st->max_lines;
        if (allowed > MAX_LINES)
            allowed = MAX_LINES;
        bool cut_word;
        nlines = wrap(f, work, total, box_w - strike, lines, MAX_LINES, &cut_word);
        if ((nlines <= allowed && !cut_word) || size <= min_size)
            break;
        int next = size * 9 / 10;
        size = next < min_size ? min_size : next;
    }

    /* Still too long at the smallest size: cut the last line with "…". */
    char last[WORK_MAX];
    bool cut = nlines > allowed;
    if (cut) {
        nlines = allowed;
        struct line *l = &lines[nlines - 1];
        /* WenQuanYi's "…" sits mid-height, right for Chinese only. */
        bool cjk_line = false;
        for (int i = 0; i < l->len && !cjk_line; i++)
            cjk_line = (unsigned char)work[l->start + i] >= 0xE3;
        const char *dots = cjk_line ? "…" : "...";
        int ell = span_width(f, dots, (int)strlen(dots));
        int room = box_w - strike - ell;
        int fit = room > 0 ? fit_bytes(f, work + l->start, room) : 0;
        while (fit > 0 && work[l->start + fit - 1] == ' ')
            fit--;
        snprintf(last, sizeof last, "%.*s%s", fit, work + l->start, dots);
    }

    SDL_Surface *lsurf[MAX_LINES] = {0};
    int maxw = 0;
    SDL_Color c = {(Uint8)(st->rgb >> 16), (Uint8)(st->rgb >> 8), (Uint8)st->rgb, 255};
    for (int i = 0; i < nlines; i++) {
        char tmp[WORK_MAX];
        if (cut && i == nlines - 1)
            snprintf(tmp, sizeof tmp, "%s", last);
        else
            snprintf(tmp, sizeof tmp, "%.*s", lines[i].len, work + lines[i].start);
        if (!tmp[0])
            continue;
        lsurf[i] = TTF_RenderUTF8_Blended(f, tmp, c);
        if (lsurf[i] && strike > 0) {
            SDL_Surface *fat = SDL_CreateRGBSurfaceWithFormat(0, lsurf[i]->w + strike, lsurf[i]->h,
                                                              32, SDL_PIXELFORMAT_ARGB8888);
            if (fat) {
                SDL_SetSurfaceBlendMode(lsurf[i], SDL_BLENDMODE_BLEND);
                for (int dx = 0; dx <= strike; dx++)
                    SDL_BlitSurface(lsurf[i], NULL, fat,
                                    &(SDL_Rect){dx, 0, lsurf[i]->w, lsurf[i]->h});
                SDL_FreeSurface(lsurf[i]);
                lsurf[i] = fat;
            }
        }
        if (lsurf[i] && lsurf[i]->w > maxw)
            maxw = lsurf[i]->w;
    }
    SDL_Surface *out = NULL;
    int fh = TTF_FontHeight(f);
    int h = (nlines - 1) * skip + fh;
    if (maxw > 0 && h > 0)
        out = SDL_CreateRGBSurfaceWithFormat(0, maxw, h, 32, SDL_PIXELFORMAT_ARGB8888);
    for (int i = 0; i < nlines; i++) {
        if (!lsurf[i])
            continue;
        if (out) {
            int x = st->align == AL_LEFT    ? 0
                    : st->align == AL_RIGHT ? maxw - lsurf[i]->w
                                            : (maxw - lsurf[i]->w) / 2;
            SDL_SetSurfaceBlendMode(lsurf[i], SDL_BLENDMODE_NONE);
            SDL_BlitSurface(lsurf[i], NULL, out, &(SDL_Rect){x, i * skip, lsurf[i]->w, fh});
        }
        SDL_FreeSurface(lsurf[i]);
    }
    return out;
}

static uint64_t text_hash(const char *text, const struct text_style *st, int w, int h)
{
    uint64_t x = 1469598103934665603ull;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        x = (x ^ *p) * 1099511628211ull;
    int nums[] = {st->size, st->min_size, st->max_lines, st->bold, (int)st->rgb, (int)st->align, w,
                  h};
    for (size_t i = 0; i < sizeof nums / sizeof *nums; i++)
        x = (x ^ (uint64_t)(uint32_t)nums[i]) * 1099511628211ull;
    return x;
}

static struct text_entry *text_lookup(struct draw *d, const char *text, int w, int h,
                                      const struct text_style *st, uint64_t hash)
{
    for (int i = 0; i < d->ntexts; i++) {
        struct text_entry *e = &d->texts[i];
        if (e->hash == hash && e->size == st->size && e->min_size == st->min_size &&
            e->max_lines == st->max_lines && e->bold == st->bold && e->rgb == st->rgb &&
            e->align == st->align && e->box_w == w && e->box_h == h && strcmp(e->text, text) == 0)
            return e;
    }
    return NULL;
}

/* Make room for one more entry: drop least recently used ones (never this frame's). */
static struct text_entry *text_slot(struct draw *d, size_t need)
{
    while (d->ntexts > 0 &&
           (d->ntexts == TEXT_CACHE_MAX || d->text_bytes + need > TEXT_CACHE_BYTES)) {
        int oldest = -1;
        for (int i = 0; i < d->ntexts; i++)
            if (d->texts[i].used < d->frame &&
                (oldest < 0 || d->texts[i].used < d->texts[oldest].used))
                oldest = i;
        if (oldest < 0)
            return NULL; /* all in use this frame: draw uncached */
        text_entry_free(d, &d->texts[oldest]);
        d->texts[oldest] = d->texts[d->ntexts - 1];
        memset(&d->texts[d->ntexts - 1], 0, sizeof d->texts[0]);
        d->ntexts--;
    }
    return &d->texts[d->ntexts++];
}

int draw_text(struct draw *d, int x, int y, int w, int h, const char *text,
              const struct text_style *st)
{
    if (!text || !text[0] || w <= 0 || h <= 0)
        return 0;
    uint64_t hash = text_hash(text, st, w, h);
    struct text_entry *e = text_lookup(d, text, w, h, st, hash);
    struct text_entry tmp = {0};
    if (e) {
        d->hits++;
    } else {
        d->misses++;
        SDL_Surface *s = render_box(d, text, w, h, st);
        SDL_Texture *t = s ? SDL_CreateTextureFromSurface(d->r, s) : NULL;
        if (s && !t)
            warn_once(d, "text texture");
        size_t bytes = s ? (size_t)s->w * (size_t)s->h * 4 : 0;
        char *key = strdup(text);
        e = key ? text_slot(d, bytes) : NULL;
        if (!e) { /* no room (or no memory): draw it once, uncached */
            free(key);
            key = NULL;
            e = &tmp;
        }
        *e = (struct text_entry){.hash = hash,
                                 .text = key,
                                 .size = st->size,
                                 .min_size = st->min_size,
                                 .max_lines = st->max_lines,
                                 .box_w = w,
                                 .box_h = h,
                                 .rgb = st->rgb,
                                 .bold = st->bold,
                                 .align = st->align,
                                 .tex = t,
                                 .w = s ? s->w : 0,
                                 .h = s ? s->h : 0,
                                 .bytes = e == &tmp ? 0 : bytes};
        d->text_bytes += e->bytes;
        if (t)
            SDL_SetTextureBlendMode(t, SDL_BLENDMODE_BLEND);
        SDL_FreeSurface(s);
    }
    e->used = d->frame;
    int drawn = e->w;
    if (e->tex) {
        int tx = st->align == AL_LEFT    ? x
                 : st->align == AL_RIGHT ? x + w - e->w
                                         : x + (w - e->w) / 2;
        int ty = st->valign == VA_TOP ? y : y + (h - e->h) / 2;
        SDL_RenderCopy(d->r, e->tex, NULL, &(SDL_Rect){tx, ty, e->w, e->h});
    }
    if (e == &tmp && tmp.tex)
        SDL_DestroyTexture(tmp.tex);
    return drawn;
}

int draw_text_width(struct draw *d, const char *text, int size, bool bold)
{
    TTF_Font *f = font_get(d, size, bold);
    int w = 0, h = 0;
    if (f && text && text[0])
        TTF_SizeUTF8(f, text, &w, &h);
    return w;
}

/* ---- pictures ------------------------------------------------------------ */

/* The surface shrunk to fit MAX_PICTURE_SIDE, or itself when it fits
 * (NULL when shrinking fails). */
static SDL_Surface *picture_fit(SDL_Surface *s)
{
    int side = s->w > s->h ? s->w : s->h;
    if (side <= MAX_PICTURE_SIDE)
        return s;
    SDL_Surface *src = SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_ARGB8888, 0);
    int w = (int)((int64_t)s->w * MAX_PICTURE_SIDE / side),
        h = (int)((int64_t)s->h * MAX_PICTURE_SIDE / side);
    SDL_Surface *dst = src ? SDL_CreateRGBSurfaceWithFormat(0, w > 0 ? w : 1, h > 0 ? h : 1, 32,
                                                            SDL_PIXELFORMAT_ARGB8888)
                           : NULL;
    if (dst && SDL_SoftStretchLinear(src, NULL, dst, NULL) != 0) {
        SDL_FreeSurface(dst);
        dst = NULL;
    }
    SDL_FreeSurface(src);
    SDL_FreeSurface(s);
    return dst;
}

/* The picture at path, read the first time it is asked for. A full cache
 * gives up the picture drawn longest ago. */
static struct picture_slot *picture_get(struct draw *d, const char *path)
{
    struct picture_slot *p = NULL;
    for (int i = 0; i < d->npictures; i++)
        if (d->pictures[i].path && strcmp(d->pictures[i].path, path) == 0) {
            d->pictures[i].used = d->frame;
            return &d->pictures[i];
        }
    if (d->npictures < MAX_PICTURES) {
        p = &d->pictures[d->npictures++];
    } else {
        p = &d->pictures[0];
        for (int i = 1; i < d->npictures; i++)
            if (d->pictures[i].used < p->used)
                p = &d->pictures[i];
        if (p->tex)
            SDL_DestroyTexture(p->tex);
        free(p->path);
    }
    memset(p, 0, sizeof *p);
    if (!(p->path = strdup(path)))
        return NULL;
    d->picture_loads++;
    p->used = d->frame;
    SDL_Surface *s = IMG_Load(path);
    const char *why = s ? NULL : IMG_GetError();
    if (s && !(s = picture_fit(s)))
        why = SDL_GetError();
    if (s) {
        p->tex = SDL_CreateTextureFromSurface(d->r, s);
        if (p->tex) {
            p->w = s->w;
            p->h = s->h;
            SDL_SetTextureScaleMode(p->tex, SDL_ScaleModeLinear);
        } else
            why = SDL_GetError();
        SDL_FreeSurface(s);
    }
    if (!p->tex)
        log_warn("W815", "picture %s cannot be shown (%s): a placeholder stands for it",
                 path, why && why[0] ? why : "unknown error");
    return p;
}

bool draw_picture(struct draw *d, int x, int y, int w, int h, const char *path)
{
    struct picture_slot *p = path && path[0] ? picture_get(d, path) : NULL;
    if (!p || !p->tex || w <= 0 || h <= 0)
        return false;
    /* Fit the box, proportions kept, centred. */
    int dw = w, dh = (int)((int64_t)p->h * w / p->w);
    if (dh > h) {
        dh = h;
        dw = (int)((int64_t)p->w * h / p->h);
    }
    SDL_RenderCopy(d->r, p->tex, NULL, &(SDL_Rect){x + (w - dw) / 2, y + (h - dh) / 2, dw, dh});
    return true;
}
