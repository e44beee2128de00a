/*
 * lang.h — the languages the station speaks, and texts given in several.
 */
#ifndef TRIAGE_LANG_H
#define TRIAGE_LANG_H

enum lang { LANG_EN, LANG_ZH, LANG_COUNT };

/* A text in each language; NULL where the source gave none. */
struct text {
    const char *s[LANG_COUNT];
};

/* The text in `lang`, else English, else any, else "". Never NULL. */
static inline const char *text_get(const struct text *t, enum lang lang)
{
    if (t->s[lang])
        return t->s[lang];
    for (int i = 0; i < LANG_COUNT; i++)
        if (t->s[i])
            return t->s[i];
    return "";
}

/* "en" → LANG_EN, "zh" → LANG_ZH; -1 otherwise. */
static inline int lang_from_name(const char *name)
{
    if (name && name[0] == 'e' && name[1] == 'n' && !name[2])
        return LANG_EN;
    if (name && name[0] == 'z' && name[1] == 'h' && !name[2])
        return LANG_ZH;
    return -1;
}

static inline const char *lang_name(enum lang l) { return l == LANG_ZH ? "zh" : "en"; }

#endif
