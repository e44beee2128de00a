/*
 * test_rules_check.c — `triage rules check` over a corpus of broken rules
 * files, and the station refusing them at start.
 *
 * tests/rules/ holds one file per error id of the rules file, named
 * E3NN-LLINE-what.json: the checker must refuse it with that id, the file and
 * that line ("E3NN: tests/rules/E3NN-…json:LINE: …"), exit 1. Every id the
 * rules module has (E300–E399 in ERRORS.md) has its file, but E300 (the file
 * cannot be read), E301 (too large) and a NUL byte (E302), made here, and
 * E342 (out of memory), which no file can cause. The station refuses a file
 * from the corpus at start with the same message; `rules check` accepts the
 * demo rules and tests/rules/pictures/rules.json (instructions, a PNG and a
 * JPEG beside it), and it and the station refuse that file once a picture
 * is gone; and a file at every limit the rules allow (ids of the most
 * bytes, in Chinese, a branching checklist, an override) loads and saves.
 * The broken pictures the E376–E379 files name are in tests/rules/pictures/.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "harness.h"

static char cmd[4096];

static int triage(const char *args, char **out, char **err)
{
    snprintf(cmd, sizeof cmd, "SDL_VIDEODRIVER=dummy DISPLAY= '%s' %s", harness_triage(), args);
    return harness_sh(cmd, NULL, out, err);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The corpus: each file refused with its id and line. */
static void corpus(bool seen[100])
{
    DIR *d = opendir("tests/rules");
    if (!CHECK(d != NULL))
        return;
    char *names[200];
    int n = 0;
    for (struct dirent *e; (e = readdir(d)) && n < 200;)
        if (strstr(e->d_name, ".json"))
            names[n++] = strdup(e->d_name);
    closedir(d);
    qsort(names, (size_t)n, sizeof *names, cmp_str);
    CHECK(n >= 70);
    for (int i = 0; i < n; i++) {
        int id = 0, line = 0;
        if (!CHECK(sscanf(names[i], "E%d-L%d-", &id, &line) == 2 && id >= 300 && id < 400)) {
            fprintf(stderr, "  %s: not named E3NN-LLINE-what.json\n", names[i]);
            continue;
        }
        seen[id - 300] = true;
        char args[600], want[600], *out = NULL, *err = NULL;
        snprintf(args, sizeof args, "rules check 'tests/rules/%s'", names[i]);
        int rc = triage(args, &out, &err);
        snprintf(want, sizeof want, "E%d: tests/rules/%s:%d: ", id, names[i], line);
        if (!CHECK(rc == 1 && err && strncmp(err, want, strlen(want)) == 0))
            fprintf(stderr, "  %s: exit %d, said: %s", names[i], rc, err ? err : "(nothing)\n");
        CHECK(!out || !out[0]); /* nothing on stdout for a refused file */
        free(out);
        free(err);
    }
    /* The station refuses the same file at start, with the same words. */
    for (int i = 0; i < n; i++) {
        if (strncmp(names[i], "E343-", 5) != 0)
            continue;
        char args[900], *err = NULL;
        snprintf(args, sizeof args,
                 "--data '%s/refused' --rules 'tests/rules/%s' --script /dev/null",
                 harness_tmpdir(), names[i]);
        int rc = triage(args, NULL, &err);
        CHECK(rc != 0);
        if (!CHECK(err && strstr(err, "E343: tests/rules/") && strstr(err, "defekt")))
            fprintf(stderr, "  the station said: %s\n", err ? err : "(nothing)");
        free(err);
    }
    for (int i = 0; i < n; i++)
        free(names[i]);
}

/* The files the corpus cannot hold: missing, too large, a NUL byte. */
static void made_here(bool seen[100])
{
    char path[700], args[800], *err = NULL;
    snprintf(args, sizeof args, "rules check '%s/none.json'", harness_tmpdir());
    CHECK_INT(triage(args, NULL, &err), 1);
    CHECK(err && strncmp(err, "E300: ", 6) == 0);
    seen[0] = err && strncmp(err, "E300: ", 6) == 0;
    free(err);

    snprintf(path, sizeof path, "%s/big.json", harness_tmpdir());
    FILE *f = fopen(path, "w");
    if (CHECK(f != NULL)) {
        fputs("{\"version\": \"", f);
        for (int i = 0; i < 5 * 1024 * 1024 / 64; i++)
            fputs("0123456789012345678901234567890123456789012345678901234567890123", f);
        fputs("\"}\n", f);
        fclose(f);
    }
    snprintf(args, sizeof args, "rules check '%s'", path);
    err = NULL;
    CHECK_INT(triage(args, NULL, &err), 1);
    seen[1] = err && strncmp(err, "E301: ", 6) == 0;
    CHECK(seen[1]);
    free(err);

    snprintf(path, sizeof path, "%s/nul.json", harness_tmpdir());
    f = fopen(path, "wb");
    if (CHECK(f != NULL)) {
        fwrite("{\"version\":\n \"v\0\"}\n", 1, 19, f);
        fclose(f);
    }
    snprintf(args, sizeof args, "rules check '%s'", path);
    err = NULL;
    CHECK_INT(triage(args, NULL, &err), 1);
    char want[800];
    snprintf(want, sizeof want, "E302: %s:2: ", path);
    CHECK(err && strncmp(err, want, strlen(want)) == 0);
    free(err);
}

/* Every id of the rules module has a file (or is made above), but E342. */
static void every_id(const bool seen[100])
{
    char *errors = harness_read_file("ERRORS.md", NULL);
    if (!CHECK(errors != NULL))
        return;
    int ids = 0;
    for (int id = 300; id < 400; id++) {
        char row[32];
        snprintf(row, sizeof row, "| E%d |", id);
        if (!strstr(errors, row) || id == 342)
            continue;
        ids++;
        if (!CHECK(seen[id - 300]))
            fprintf(stderr, "  E%d has no file in tests/rules\n", id);
    }
    CHECK(ids >= 75);
    free(errors);
}

/* The demo rules pass the checker as the station loads them. */
static void demo(void)
{
    char *out = NULL;
    CHECK_INT(triage("rules check demo/rules.json", &out, NULL), 0);
    CHECK(out && strstr(out, "rules version 2026-12, 3 categories, 18 checks"));
    free(out);
}

/* Rules with pictures: valid beside their file, refused once one is gone,
 * by the checker and by the station. */
static void pictures(void)
{
    char *out = NULL, *err = NULL;
    if (!CHECK_INT(triage("rules check tests/rules/pictures/rules.json", &out, &err), 0))
        fprintf(stderr, "  %s", err ? err : "");
    CHECK(out && strstr(out, "rules version pictures-1, 1 categories, 3 checks"));
    free(out);
    free(err);

    char dir[700], cmdline[2400];
    snprintf(dir, sizeof dir, "%s/pictures", harness_tmpdir());
    snprintf(cmdline, sizeof cmdline, "cp -r tests/rules/pictures '%s' && rm '%s/ok.jpg'", dir,
             dir);
    if (!CHECK_INT(harness_sh(cmdline, NULL, NULL, NULL), 0))
        return;
    char args[1600], want[900];
    snprintf(want, sizeof want, "E376: %s/rules.json:13: categories[0].checks[1].image: ", dir);
    snprintf(args, sizeof args, "rules check '%s/rules.json'", dir);
    err = NULL;
    CHECK_INT(triage(args, NULL, &err), 1);
    if (!CHECK(err && strncmp(err, want, strlen(want)) == 0 && strstr(err, "/ok.jpg")))
        fprintf(stderr, "  said: %s", err ? err : "(nothing)\n");
    free(err);
    snprintf(args, sizeof args,
             "--data '%s/refused-picture' --rules '%s/rules.json' --script /dev/null",
             harness_tmpdir(), dir);
    err = NULL;
    CHECK(triage(args, NULL, &err) != 0);
    if (!CHECK(err && strstr(err, want)))
        fprintf(stderr, "  the station said: %s\n", err ? err : "(nothing)");
    free(err);
}

/*
 * A file at the limits: ids of the most bytes the record holds, in Chinese
 * (31 bytes: ten characters and one letter; 63 for the category), a
 * defect code of 15 bytes, an override reason of 31; a branching checklist. It loads, and an
 * inspection with every one of them, an override included, is saved.
 */
static const char limits_json[] =
    "{\"version\": \"版本二〇二六十二月ab\",\n"
    " \"override_reasons\": [{\"id\": \"证据证据证据证据证据a\", \"text\": {\"zh\": \"证据\"}}],\n"
    " \"reasons\": [{\"id\": \"不想要了\", \"text\": {\"zh\": \"不想要了\"}, \"quality\": "
    "false}],\n"
    " \"defects\": {\"缺陷缺陷缺\": {\"zh\": \"缺陷\"}},\n"
    " \"categories\": [\n"
    "  {\"id\": \"品类品类品类品类品类品类品类品类品类品类品\",\n"
    "   \"name\": {\"zh\": \"品类\"}, \"match\": [\"LIM-*\"],\n"
    "   \"checks\": [\n"
    "    {\"id\": \"检查检查检查检查检查a\", \"aspect\": \"cosmetic\", \"text\": {\"zh\": "
    "\"外观\"},\n"
    "     \"answers\": [{\"id\": \"答案答案答案答案答案a\", \"text\": {\"zh\": \"好\"}, \"grade\": "
    "\"A\"},\n"
    "                 {\"id\": \"坏坏坏坏坏坏坏坏坏坏b\", \"text\": {\"zh\": \"坏\"}, \"grade\": "
    "\"X\",\n"
    "                  \"defect\": \"缺陷缺陷缺\", \"end\": true}]},\n"
    "    {\"id\": \"功能功能功能功能功能a\", \"aspect\": \"functional\", \"text\": {\"zh\": "
    "\"功能\"},\n"
    "     \"when\": {\"检查检查检查检查检查a\": [\"答案答案答案答案答案a\"]},\n"
    "     \"answers\": [{\"id\": \"好\", \"text\": {\"zh\": \"好\"}, \"grade\": \"A\"}]}],\n"
    "   \"disposition\": {\"A\": \"restock\", \"B\": \"open_box\", \"C\": \"refurbish\", "
    "\"X\": \"scrap\"}}]}\n";

static void limits(void)
{
    char rules[700], script[700], data[700], args[2400], *out = NULL, *err = NULL;
    snprintf(rules, sizeof rules, "%s/limits.json", harness_tmpdir());
    snprintf(script, sizeof script, "%s/limits.script", harness_tmpdir());
    snprintf(data, sizeof data, "%s/limits", harness_tmpdir());
    harness_write_file(rules, limits_json);
    snprintf(args, sizeof args, "rules check '%s'", rules);
    if (!CHECK_INT(triage(args, &out, &err), 0))
        fprintf(stderr, "  %s", err ? err : "");
    free(out);
    free(err);
    snprintf(args, sizeof args, "--data '%s' operator add --badge 1001 --name A --role grader",
             data);
    snprintf(cmd, sizeof cmd, "'%s' %s", harness_triage(), args);
    CHECK_INT(harness_sh(cmd, "123456\n", NULL, NULL), 0);
    /* A blind receipt: the only category, the bad answer ends the
     * checklist, the grader confirms another responsibility, with the
     * override reason of 31 bytes. */
    harness_write_file(script, "scan 1001\ntext 123456\nkey Return\nexpect scan\n"
                               "scan RMA-LIMIT-1\nexpect item\nkey 1\nkey Return\nexpect check\n"
                               "key 2\nexpect summary\nkey Right\nkey Return\nexpect summary\n"
                               "key 1\nexpect scan\nquit\n");
    snprintf(args, sizeof args, "--data '%s' --rules '%s' --script '%s'", data, rules, script);
    err = NULL;
    int rc = triage(args, NULL, &err);
    if (!CHECK_INT(rc, 0) || !CHECK(err && strstr(err, " saved ")))
        fprintf(stderr, "  %s", err ? err : "");
    free(err);
    snprintf(args, sizeof args, "--data '%s' export", data);
    out = NULL;
    CHECK_INT(triage(args, &out, NULL), 0);
    cJSON *r = out ? cJSON_Parse(out) : NULL;
    const cJSON *sk = cJSON_GetObjectItem(r, "skipped");
    CHECK(cJSON_IsArray(sk) && cJSON_GetArraySize(sk) == 1 &&
          !strcmp(cJSON_GetArrayItem(sk, 0)->valuestring, "功能功能功能功能功能a"));
    const cJSON *why = cJSON_GetObjectItem(r, "responsibility_reason");
    CHECK(cJSON_IsString(why) && !strcmp(why->valuestring, "证据证据证据证据证据a"));
    const cJSON *ver = cJSON_GetObjectItem(r, "rules_version");
    CHECK(cJSON_IsString(ver) && !strcmp(ver->valuestring, "版本二〇二六十二月ab"));
    cJSON_Delete(r);
    free(out);
}

int main(void)
{
    bool seen[100] = {false};
    corpus(seen);
    made_here(seen);
    every_id(seen);
    demo();
    pictures();
    limits();
    return harness_done();
}
