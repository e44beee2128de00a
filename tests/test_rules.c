/*
 * test_rules.c — grading rules: loading, validation errors with their lines,
 * SKU matching, and grading (worst-of, aspects, dispositions, defects,
 * responsibility); a check's instructions and image: where the station
 * looks for it, and the files refused (E376–E379).
 */
#include "harness.h"
#include "rules.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- grading -------------------------------------------------------------- */

/* Three checks: two cosmetic, one functional, none of completeness. */
static const char grading_json[] =
    "{\"version\": \"g1\", \"categories\": [\n"
    " {\"id\": \"t\", \"name\": {\"en\": \"Test\", \"zh\": \"测试\"}, \"match\": [\"T-*\"],\n"
    "  \"checks\": [\n"
    "   {\"id\": \"c1\", \"aspect\": \"cosmetic\", \"text\": {\"en\": \"C1\"}, \"answers\": [\n"
    "     {\"id\": \"a\", \"text\": {\"en\": \"a\"}, \"grade\": \"A\"},\n"
    "     {\"id\": \"b\", \"text\": {\"en\": \"b\"}, \"grade\": \"B\", \"defect\": \"D1\"},\n"
    "     {\"id\": \"c\", \"text\": {\"en\": \"c\"}, \"grade\": \"C\", \"defect\": \"D2\", "
    "\"responsibility\": \"customer\"},\n"
    "     {\"id\": \"x\", \"text\": {\"en\": \"x\"}, \"grade\": \"X\", \"defect\": \"D3\", "
    "\"responsibility\": \"logistics\"}]},\n"
    "   {\"id\": \"c2\", \"aspect\": \"cosmetic\", \"text\": {\"en\": \"C2\"}, \"answers\": [\n"
    "     {\"id\": \"a\", \"text\": {\"en\": \"a\"}, \"grade\": \"A\"},\n"
    "     {\"id\": \"b\", \"text\": {\"en\": \"b\"}, \"grade\": \"B\", \"defect\": \"D1\"},\n"
    "     {\"id\": \"c\", \"text\": {\"en\": \"c\"}, \"grade\": \"C\", \"responsibility\": "
    "\"merchant\"}]},\n"
    "   {\"id\": \"f1\", \"aspect\": \"functional\", \"text\": {\"en\": \"F1\"}, \"answers\": [\n"
    "     {\"id\": \"a\", \"text\": {\"en\": \"a\"}, \"grade\": \"A\"},\n"
    "     {\"id\": \"x\", \"text\": {\"en\": \"x\"}, \"grade\": \"X\", \"defect\": \"DOA\", "
    "\"responsibility\": \"merchant\"},\n"
    "     {\"id\": \"c\", \"text\": {\"en\": \"c\"}, \"grade\": \"C\", \"responsibility\": "
    "\"platform\"}]}],\n"
    "  \"disposition\": {\"A\": \"restock\", \"B\": \"open_box\", \"C\": \"refurbish\", "
    "\"X\": \"scrap\"}}]}\n";

#define N_ ASPECT_COUNT
static const struct grade_case {
    int answers[3];
    enum grade grade, cosmetic, functional, completeness;
    const char *disposition;
    enum responsibility resp;
    const char *defects; /* comma-joined, in check order */
} grade_cases[] = {
    /* 0 */ {{0, 0, 0}, GRADE_A, GRADE_A, GRADE_A, GRADE_NONE, "restock", RESP_NONE, ""},
    /* 1 */ {{1, 0, 0}, GRADE_B, GRADE_B, GRADE_A, GRADE_NONE, "open_box", RESP_NONE, "D1"},
    /* 2 duplicate defect kept once */
    {{1, 1, 0}, GRADE_B, GRADE_B, GRADE_A, GRADE_NONE, "open_box", RESP_NONE, "D1"},
    /* 3 */ {{2, 0, 0}, GRADE_C, GRADE_C, GRADE_A, GRADE_NONE, "refurbish", RESP_CUSTOMER, "D2"},
    /* 4 equal C: the first in file order names the responsibility */
    {{2, 2, 0}, GRADE_C, GRADE_C, GRADE_A, GRADE_NONE, "refurbish", RESP_CUSTOMER, "D2"},
    /* 5 */ {{0, 2, 0}, GRADE_C, GRADE_C, GRADE_A, GRADE_NONE, "refurbish", RESP_MERCHANT, ""},
    /* 6 equal C across aspects: c2 before f1 */
    {{0, 2, 2}, GRADE_C, GRADE_C, GRADE_C, GRADE_NONE, "refurbish", RESP_MERCHANT, ""},
    /* 7 equal X: c1 (logistics) before f1 (merchant) */
    {{3, 0, 1}, GRADE_X, GRADE_X, GRADE_X, GRADE_NONE, "scrap", RESP_LOGISTICS, "D3,DOA"},
    /* 8 the worst answer decides, even when later */
    {{2, 0, 1}, GRADE_X, GRADE_C, GRADE_X, GRADE_NONE, "scrap", RESP_MERCHANT, "D2,DOA"},
    /* 9 a worse answer without responsibility does not take it away */
    {{1, 0, 2}, GRADE_C, GRADE_B, GRADE_C, GRADE_NONE, "refurbish", RESP_PLATFORM, "D1"},
    /* 10 functional only bad */
    {{0, 0, 1}, GRADE_X, GRADE_A, GRADE_X, GRADE_NONE, "scrap", RESP_MERCHANT, "DOA"},
    /* 11 B + C(no defect) + X */
    {{1, 2, 1}, GRADE_X, GRADE_C, GRADE_X, GRADE_NONE, "scrap", RESP_MERCHANT, "D1,DOA"},
    /* 12 an index out of range is skipped, never read */
    {{9, -1, 0}, GRADE_A, GRADE_NONE, GRADE_A, GRADE_NONE, "restock", RESP_NONE, ""},
};

static void test_grading(void)
{
    struct rules *r;
    char err[300];
    if (!CHECK_INT(rules_load_string(grading_json, "g.json", &r, err, sizeof err), 0)) {
        fprintf(stderr, "%s\n", err);
        return;
    }
    const struct rules_category *cat = rules_category(r, "t");
    CHECK(cat != NULL);
    if (!cat)
        goto out;
    CHECK_STR(text_get(&cat->name, LANG_ZH), "测试");
    CHECK_STR(text_get(&cat->checks[0].text, LANG_ZH), "C1"); /* falls back to English */
    for (size_t i = 0; i < sizeof grade_cases / sizeof *grade_cases; i++) {
        const struct grade_case *t = &grade_cases[i];
        struct grade_result g;
        rules_grade(cat, t->answers, &g);
        char joined[128] = "";
        for (int d = 0; d < g.ndefects; d++)
            snprintf(joined + strlen(joined), sizeof joined - strlen(joined), "%s%s", d ? "," : "",
                     g.defects[d]);
        int ok = g.grade == t->grade && g.aspect[ASPECT_COSMETIC] == t->cosmetic &&
                 g.aspect[ASPECT_FUNCTIONAL] == t->functional &&
                 g.aspect[ASPECT_COMPLETENESS] == t->completeness && g.disposition &&
                 strcmp(g.disposition, t->disposition) == 0 && g.responsibility == t->resp &&
                 strcmp(joined, t->defects) == 0;
        if (!CHECK(ok))
            fprintf(stderr, "  case %zu: grade %s/%s/%s/%s disposition %s resp %s defects \"%s\"\n",
                    i, grade_name(g.grade), grade_name(g.aspect[0]), grade_name(g.aspect[1]),
                    grade_name(g.aspect[2]), g.disposition ? g.disposition : "(null)",
                    responsibility_name(g.responsibility), joined);
    }
    /* No category or no answers: nothing graded. */
    struct grade_result g;
    rules_grade(NULL, NULL, &g);
    CHECK_INT(g.grade, GRADE_NONE);
    CHECK(g.disposition == NULL);
out:
    rules_free(r);
}

/* Every check of a category answered with its worst answer: at most
 * INSP_MAX_DEFECTS defects are kept. */
static void test_many_defects(void)
{
    char *json = malloc(20000);
    size_t n = (size_t)sprintf(json, "{\"version\":\"m\",\"categories\":[{\"id\":\"m\",\"name\":"
                                     "{\"en\":\"M\"},\"match\":[\"*\"],\"checks\":[");
    for (int i = 0; i < INSP_MAX_ANSWERS; i++)
        n += (size_t)sprintf(json + n,
                             "%s{\"id\":\"k%d\",\"aspect\":\"completeness\",\"text\":{\"en\":"
                             "\"k\"},\"answers\":[{\"id\":\"a\",\"text\":{\"zh\":\"甲\"},"
                             "\"grade\":\"%c\",\"defect\":\"DF%d\"}]}",
                             i ? "," : "", i, "ABCX"[i % 4], i);
    sprintf(json + n, "],\"disposition\":{\"A\":\"restock\",\"B\":\"open_box\",\"C\":"
                      "\"refurbish\",\"X\":\"liquidate\"}}]}");
    struct rules *r;
    char err[300];
    if (CHECK_INT(rules_load_string(json, "m.json", &r, err, sizeof err), 0)) {
        int answers[INSP_MAX_ANSWERS] = {0};
        struct grade_result g;
        rules_grade(&r->categories[0], answers, &g);
        CHECK_INT(g.ndefects, INSP_MAX_DEFECTS);
        CHECK_STR(g.defects[0], "DF0");
        CHECK_STR(g.defects[INSP_MAX_DEFECTS - 1], "DF15");
        CHECK_INT(g.grade, GRADE_X);
        CHECK_INT(g.aspect[ASPECT_COMPLETENESS], GRADE_X);
        CHECK_INT(g.aspect[ASPECT_COSMETIC], GRADE_NONE);
        CHECK_STR(g.disposition, "liquidate");
        CHECK_STR(text_get(&r->categories[0].checks[0].answers[0].text, LANG_EN), "甲");
        rules_free(r);
    } else
        fprintf(stderr, "%s\n", err);
    free(json);
}

/* ---- the grading policy: conditions, branching, decisions ------------------ */

/* Category t: c1 (cosmetic), carton (asked after damage), f1 (an answer
 * that ends the checklist), f2 (asked when f1 is ok or weak), k1 (asked
 * when the return is not late), k2. Category u: one check, a top-level rule
 * about a check it does not have. */
static const char policy_json[] =
    "{\"version\": \"p1\",\n"
    " \"reasons\": [\n"
    "  {\"id\": \"defective\", \"text\": {\"en\": \"Defective\", \"zh\": \"质量问题\"}, "
    "\"quality\": true,\n"
    "   \"confirmed_when\": [{\"functional\": [\"C\", \"X\"]}, {\"f1\": [\"dead\"]}]},\n"
    "  {\"id\": \"damaged\", \"text\": {\"en\": \"Damaged\"}, \"quality\": true,\n"
    "   \"confirmed_when\": [{\"cosmetic\": [\"X\"], \"carton\": [\"crushed\"]}]},\n"
    "  {\"id\": \"No longer needed\", \"text\": {\"en\": \"NLN\"}, \"quality\": false},\n"
    "  {\"id\": \"quality_no_conds\", \"text\": {\"en\": \"Q\"}, \"quality\": true}],\n"
    " \"defects\": {\"D-X\": {\"en\": \"Broken\", \"zh\": \"破损\"}},\n"
    " \"responsibility_rules\": [\n"
    "  {\"when\": {\"carton\": [\"crushed\"], \"cosmetic\": [\"C\", \"X\"]}, \"then\": "
    "\"logistics\"},\n"
    "  {\"when\": {\"late\": [true]}, \"then\": \"customer\"}],\n"
    " \"resolution_rules\": [\n"
    "  {\"when\": {\"item_check\": [\"mismatched\"]}, \"return_type\": \"non_quality\", "
    "\"resolution\": \"investigate\"},\n"
    "  {\"when\": {\"late\": [true], \"reason_check\": [\"none\", \"not_found\"]}, "
    "\"return_type\": \"non_quality\", \"resolution\": \"reject\"},\n"
    "  {\"when\": {\"reason_check\": [\"confirmed\"]}, \"return_type\": \"quality\", "
    "\"resolution\": \"refund\"},\n"
    "  {\"when\": {\"responsibility\": [\"none\"], \"category\": [\"t\"]}, \"return_type\": "
    "\"non_quality\", \"resolution\": \"refund\"}],\n"
    " \"categories\": [\n"
    "  {\"id\": \"t\", \"name\": {\"en\": \"T\"}, \"match\": [\"T-*\"],\n"
    "   \"checks\": [\n"
    "    {\"id\": \"c1\", \"aspect\": \"cosmetic\", \"text\": {\"en\": \"C1\"}, \"answers\": [\n"
    "      {\"id\": \"ok\", \"text\": {\"en\": \"ok\"}, \"grade\": \"A\"},\n"
    "      {\"id\": \"scuff\", \"text\": {\"en\": \"scuff\"}, \"grade\": \"B\"},\n"
    "      {\"id\": \"broken\", \"text\": {\"en\": \"broken\"}, \"grade\": \"X\", \"defect\": "
    "\"D-X\"}]},\n"
    "    {\"id\": \"carton\", \"aspect\": \"completeness\", \"when\": {\"cosmetic\": [\"C\", "
    "\"X\"]},\n"
    "     \"text\": {\"en\": \"Carton\"}, \"answers\": [\n"
    "      {\"id\": \"intact\", \"text\": {\"en\": \"intact\"}, \"grade\": \"A\"},\n"
    "      {\"id\": \"crushed\", \"text\": {\"en\": \"crushed\"}, \"grade\": \"A\"}]},\n"
    "    {\"id\": \"f1\", \"aspect\": \"functional\", \"text\": {\"en\": \"F1\"}, \"answers\": [\n"
    "      {\"id\": \"ok\", \"text\": {\"en\": \"ok\"}, \"grade\": \"A\"},\n"
    "      {\"id\": \"weak\", \"text\": {\"en\": \"weak\"}, \"grade\": \"C\"},\n"
    "      {\"id\": \"dead\", \"text\": {\"en\": \"dead\"}, \"grade\": \"X\", \"end\": true}]},\n"
    "    {\"id\": \"f2\", \"aspect\": \"functional\", \"when\": {\"f1\": [\"ok\", \"weak\"]},\n"
    "     \"text\": {\"en\": \"F2\"}, \"answers\": [\n"
    "      {\"id\": \"ok\", \"text\": {\"en\": \"ok\"}, \"grade\": \"A\"},\n"
    "      {\"id\": \"bad\", \"text\": {\"en\": \"bad\"}, \"grade\": \"C\"}]},\n"
    "    {\"id\": \"k1\", \"aspect\": \"completeness\", \"when\": {\"late\": [false]},\n"
    "     \"text\": {\"en\": \"K1\"}, \"answers\": [\n"
    "      {\"id\": \"all\", \"text\": {\"en\": \"all\"}, \"grade\": \"A\"},\n"
    "      {\"id\": \"missing\", \"text\": {\"en\": \"missing\"}, \"grade\": \"B\"}]},\n"
    "    {\"id\": \"k2\", \"aspect\": \"completeness\", \"text\": {\"en\": \"K2\"}, \"answers\": "
    "[\n"
    "      {\"id\": \"all\", \"text\": {\"en\": \"all\"}, \"grade\": \"A\"}]}],\n"
    "   \"disposition\": {\"A\": \"restock\", \"B\": \"open_box\", \"C\": \"refurbish\", "
    "\"X\": \"scrap\"},\n"
    "   \"responsibility_rules\": [{\"when\": {\"f2\": [\"bad\"]}, \"then\": \"merchant\"}],\n"
    "   \"resolution_rules\": [{\"when\": {\"f2\": [\"bad\"], \"reason_check\": [\"confirmed\"]},\n"
    "     \"return_type\": \"quality\", \"resolution\": \"repair\"}]},\n"
    "  {\"id\": \"u\", \"name\": {\"en\": \"U\"}, \"match\": [\"U-*\"],\n"
    "   \"checks\": [{\"id\": \"c1\", \"aspect\": \"cosmetic\", \"text\": {\"en\": \"C1\"}, "
    "\"answers\": [\n"
    "      {\"id\": \"ok\", \"text\": {\"en\": \"ok\"}, \"grade\": \"A\"},\n"
    "      {\"id\": \"broken\", \"text\": {\"en\": \"broken\"}, \"grade\": \"X\", "
    "\"responsibility\": \"platform\"}]}],\n"
    "   \"disposition\": {\"A\": \"restock\", \"B\": \"open_box\", \"C\": \"refurbish\", "
    "\"X\": \"scrap\"}}]}\n";

#define P RULES_PENDING
#define S RULES_SKIPPED

/* Conditions: three values (holds, does not, not known yet). */
static const struct cond_case {
    int rule; /* the top-level resolution rule whose `when` is evaluated */
    const char *cat;
    int answers[6];
    enum item_check item_check;
    bool late;
    const char *reason;
    enum responsibility resp;
    int want;
} cond_cases[] = {
    /* 0 */ {0, "t", {0, S, 0, 0, 0, 0}, ITEM_CHECK_MISMATCHED, false, "", RESP_NONE, 1},
    /* 1 */ {0, "t", {0, S, 0, 0, 0, 0}, ITEM_CHECK_MATCHED, false, "", RESP_NONE, 0},
    /* 2: late, no reason: reason_check none */
    {1, "t", {0, S, 0, 0, S, 0}, ITEM_CHECK_MATCHED, true, "", RESP_NONE, 1},
    /* 3: in time */
    {1, "t", {0, S, 0, 0, 0, 0}, ITEM_CHECK_MATCHED, false, "", RESP_NONE, 0},
    /* 4: late, declared defective, f1 weak: confirmed */
    {1, "t", {0, S, 1, 0, S, 0}, ITEM_CHECK_MATCHED, true, "defective", RESP_NONE, 0},
    /* 5: late, defective, nothing found: not found */
    {1, "t", {0, S, 0, 0, S, 0}, ITEM_CHECK_MATCHED, true, "Defective", RESP_NONE, 1},
    /* 6: the reason check is not known while a function check is open */
    {2, "t", {0, S, P, P, P, P}, ITEM_CHECK_MATCHED, false, "defective", RESP_NONE, -1},
    /* 7: … but once it holds, it holds */
    {2, "t", {0, S, 2, S, S, S}, ITEM_CHECK_MATCHED, false, "defective", RESP_NONE, 1},
    /* 8: responsibility and category */
    {3, "t", {0, S, 0, 0, 0, 0}, ITEM_CHECK_MATCHED, false, "", RESP_NONE, 1},
    /* 9 */ {3, "t", {0, S, 0, 0, 0, 0}, ITEM_CHECK_MATCHED, false, "", RESP_MERCHANT, 0},
    /* 10 */ {3, "u", {0}, ITEM_CHECK_MATCHED, false, "", RESP_NONE, 0},
};

static void test_conditions(const struct rules *r)
{
    for (size_t i = 0; i < sizeof cond_cases / sizeof *cond_cases; i++) {
        const struct cond_case *t = &cond_cases[i];
        struct rules_facts f = {.cat = rules_category(r, t->cat),
                                .answers = t->answers,
                                .item_check = t->item_check,
                                .late = t->late,
                                .reason = t->reason,
                                .responsibility = t->resp};
        int got = rules_cond_eval(r, &r->res_rules[t->rule].when, &f);
        if (!CHECK_INT(got, t->want))
            fprintf(stderr, "  condition case %zu\n", i);
    }
    /* A check's when over the answers before it. */
    const struct rules_category *t = rules_category(r, "t");
    int open[6] = {P, P, P, P, P, P};
    struct rules_facts f = {.cat = t, .answers = open};
    CHECK_INT(rules_check_asked(r, &f, 0), 1);
    CHECK_INT(rules_check_asked(r, &f, 1), -1); /* c1 not answered yet */
    CHECK_INT(rules_check_asked(r, &f, 3), -1);
    CHECK_INT(rules_check_asked(r, &f, 4), -1); /* f1 may end the checklist */
    int dead[6] = {0, S, 2, P, P, P};
    f.answers = dead;
    CHECK_INT(rules_check_asked(r, &f, 3), 0); /* ended */
    CHECK_INT(rules_check_asked(r, &f, 5), 0);
    int weak[6] = {1, S, 1, P, P, P};
    f.answers = weak;
    CHECK_INT(rules_check_asked(r, &f, 3), 1);
    CHECK_INT(rules_check_asked(r, &f, 4), 1); /* not late */
    f.late = true;
    CHECK_INT(rules_check_asked(r, &f, 4), 0);
}

/* Branching: answers given one by one (0-based), the checks asked and
 * skipped, and the count shown before each question. */
static const struct branch_case {
    bool late;
    int picks[6];
    int npicks;
    const char *asked, *skipped;
    int counts[6];
} branch_cases[] = {
    /* 0: all well: the carton is not asked */
    {false, {0, 0, 0, 0, 0}, 5, "c1 f1 f2 k1 k2", "carton", {5, 5, 5, 5, 5}},
    /* 1: damage: the carton is asked; f1 dead ends the checklist */
    {false, {2, 1, 2}, 3, "c1 carton f1", "f2 k1 k2", {5, 6, 6}},
    /* 2: late: k1 is not asked */
    {true, {0, 1, 1, 0}, 4, "c1 f1 f2 k2", "carton k1", {4, 4, 4, 4}},
    /* 3: a scuff (B) is no damage for the carton's when */
    {false, {1, 1, 0, 1, 0}, 5, "c1 f1 f2 k1 k2", "carton", {5, 5, 5, 5, 5}},
};

static void test_branching(const struct rules *r)
{
    const struct rules_category *cat = rules_category(r, "t");
    for (size_t i = 0; i < sizeof branch_cases / sizeof *branch_cases; i++) {
        const struct branch_case *t = &branch_cases[i];
        int answers[6];
        struct rules_facts f = {.cat = cat, .answers = answers, .late = t->late};
        int at = rules_next_check(r, &f, answers, -1), n = 0;
        bool counts_ok = true;
        while (at < cat->nchecks && n < t->npicks) {
            counts_ok &= rules_expected_checks(r, &f) == t->counts[n];
            answers[at] = t->picks[n++];
            at = rules_next_check(r, &f, answers, at);
        }
        char asked[80] = "", skipped[80] = "";
        for (int k = 0; k < cat->nchecks; k++) {
            char *to = answers[k] >= 0 ? asked : answers[k] == S ? skipped : NULL;
            if (to)
                snprintf(to + strlen(to), 80 - strlen(to), "%s%s", to[0] ? " " : "",
                         cat->checks[k].id);
        }
        bool ok = at == cat->nchecks && n == t->npicks && counts_ok && !strcmp(asked, t->asked) &&
                  !strcmp(skipped, t->skipped);
        if (!CHECK(ok))
            fprintf(stderr,
                    "  branch case %zu: asked \"%s\", skipped \"%s\", %d answers, counts %s\n", i,
                    asked, skipped, n, counts_ok ? "ok" : "differ");
        /* A check not asked counts toward no grade. */
        struct grade_result g;
        rules_grade(cat, answers, &g);
        if (i == 1)
            CHECK(g.grade == GRADE_X && g.aspect[ASPECT_COMPLETENESS] == GRADE_A);
    }
}

/* The decision tables: the category's rules before the top-level ones,
 * first match wins; the suggestion falls back on the answers. */
static const struct decide_case {
    const char *cat;
    int answers[6];
    enum item_check item_check;
    bool late;
    const char *reason;
    enum reason_check reason_check;
    int reason_cond;
    enum responsibility suggested;
    int resp_rule; /* RULE_FROM_ANSWERS, or the rule's index */
    bool resp_in_cat;
    enum return_type rt;
    enum resolution res;
    int res_rule;
    bool res_in_cat;
} decide_cases[] = {
    /* 0: carrier damage: evidence (crushed carton) names logistics; the
     *    declared damage is confirmed: refund */
    {"t",
     {2, 1, 0, 0, 0, 0},
     ITEM_CHECK_MATCHED,
     false,
     "damaged",
     REASON_CHECK_CONFIRMED,
     0,
     RESP_LOGISTICS,
     0,
     false,
     RETURN_TYPE_QUALITY,
     RESOLUTION_REFUND,
     2,
     false},
    /* 1: the category's rules first: f2 bad names the merchant although the
     *    top level's late rule holds too; repair before the top's refund */
    {"t",
     {0, S, 1, 1, S, 0},
     ITEM_CHECK_MATCHED,
     true,
     "defective",
     REASON_CHECK_CONFIRMED,
     0,
     RESP_MERCHANT,
     0,
     true,
     RETURN_TYPE_QUALITY,
     RESOLUTION_REPAIR,
     0,
     true},
    /* 2: a late return for a reason that is not a quality one: rejected */
    {"t",
     {0, S, 0, 0, S, 0},
     ITEM_CHECK_MATCHED,
     true,
     "No longer needed",
     REASON_CHECK_NONE,
     -1,
     RESP_CUSTOMER,
     1,
     false,
     RETURN_TYPE_NON_QUALITY,
     RESOLUTION_REJECT,
     1,
     false},
    /* 3: confirmed by its first condition (functional X); nothing names a
     *    responsibility */
    {"t",
     {0, S, 2, S, S, S},
     ITEM_CHECK_MATCHED,
     false,
     "defective",
     REASON_CHECK_CONFIRMED,
     0,
     RESP_NONE,
     RULE_FROM_ANSWERS,
     false,
     RETURN_TYPE_QUALITY,
     RESOLUTION_REFUND,
     2,
     false},
    /* 4: a top-level rule about a check the category lacks does not hold;
     *    the answer names the platform; no resolution rule matches */
    {"u",
     {1},
     ITEM_CHECK_MATCHED,
     false,
     "",
     REASON_CHECK_NONE,
     -1,
     RESP_PLATFORM,
     RULE_FROM_ANSWERS,
     false,
     RETURN_TYPE_NONE,
     RESOLUTION_NONE,
     -1,
     false},
    /* 5: another product: investigated, first match */
    {"u",
     {0},
     ITEM_CHECK_MISMATCHED,
     true,
     "",
     REASON_CHECK_NONE,
     -1,
     RESP_CUSTOMER,
     1,
     false,
     RETURN_TYPE_NON_QUALITY,
     RESOLUTION_INVESTIGATE,
     0,
     false},
    /* 6: a quality reason without conditions is never confirmed */
    {"t",
     {0, S, 0, 0, 0, 0},
     ITEM_CHECK_MATCHED,
     false,
     "quality_no_conds",
     REASON_CHECK_NOT_FOUND,
     -1,
     RESP_NONE,
     RULE_FROM_ANSWERS,
     false,
     RETURN_TYPE_NON_QUALITY,
     RESOLUTION_REFUND,
     3,
     false},
    /* 7: a reason the rules do not list */
    {"t",
     {0, S, 0, 0, 0, 0},
     ITEM_CHECK_MATCHED,
     false,
     "gift",
     REASON_CHECK_NONE,
     -1,
     RESP_NONE,
     RULE_FROM_ANSWERS,
     false,
     RETURN_TYPE_NON_QUALITY,
     RESOLUTION_REFUND,
     3,
     false},
    /* 8: two top-level responsibility rules hold: the first wins */
    {"t",
     {2, 1, 0, 0, S, 0},
     ITEM_CHECK_MATCHED,
     true,
     "",
     REASON_CHECK_NONE,
     -1,
     RESP_LOGISTICS,
     0,
     false,
     RETURN_TYPE_NON_QUALITY,
     RESOLUTION_REJECT,
     1,
     false},
    /* 9: damage declared, found, but the carton intact: not confirmed */
    {"t",
     {2, 0, 0, 0, 0, 0},
     ITEM_CHECK_MATCHED,
     false,
     "damaged",
     REASON_CHECK_NOT_FOUND,
     0,
     RESP_NONE,
     RULE_FROM_ANSWERS,
     false,
     RETURN_TYPE_NON_QUALITY,
     RESOLUTION_REFUND,
     3,
     false},
};

static void test_decisions(const struct rules *r)
{
    for (size_t i = 0; i < sizeof decide_cases / sizeof *decide_cases; i++) {
        const struct decide_case *t = &decide_cases[i];
        struct rules_facts f = {.cat = rules_category(r, t->cat),
                                .answers = t->answers,
                                .item_check = t->item_check,
                                .late = t->late,
                                .reason = t->reason};
        struct grade_result g;
        rules_decide(r, &f, &g);
        f.responsibility = g.responsibility;
        struct resolution_result res;
        rules_resolve(r, &f, &res);
        bool ok = g.reason_check == t->reason_check && g.reason_cond == t->reason_cond &&
                  g.responsibility == t->suggested && g.resp_rule == t->resp_rule &&
                  (t->resp_rule < 0 || g.resp_rule_in_category == t->resp_in_cat) &&
                  res.return_type == t->rt && res.resolution == t->res && res.rule == t->res_rule &&
                  (t->res_rule < 0 || res.rule_in_category == t->res_in_cat);
        if (!CHECK(ok))
            fprintf(stderr,
                    "  decision case %zu: reason %s (%d), suggested %s (rule %d%s), %s/%s (rule "
                    "%d%s)\n",
                    i, reason_check_name(g.reason_check), g.reason_cond,
                    responsibility_name(g.responsibility), g.resp_rule,
                    g.resp_rule_in_category ? " of the category" : "",
                    return_type_name(res.return_type), resolution_name(res.resolution), res.rule,
                    res.rule_in_category ? " of the category" : "");
    }
    /* The resolution follows the responsibility confirmed. */
    int answers[6] = {0, S, 0, 0, 0, 0};
    struct rules_facts f = {
        .cat = rules_category(r, "t"), .answers = answers, .responsibility = RESP_MERCHANT};
    struct resolution_result res;
    rules_resolve(r, &f, &res);
    CHECK_INT(res.resolution, RESOLUTION_NONE);
    f.responsibility = RESP_NONE;
    rules_resolve(r, &f, &res);
    CHECK_INT(res.resolution, RESOLUTION_REFUND);

    /* Why: the facts of the condition that decided. */
    int broken[6] = {2, 1, 0, 0, 0, 0};
    f = (struct rules_facts){.cat = rules_category(r, "t"), .answers = broken, .reason = "damaged"};
    struct grade_result g;
    rules_decide(r, &f, &g);
    struct rules_finding fs[4];
    int n = rules_findings(r, &f, rules_reason_cond(&g), fs, 4);
    CHECK_INT(n, 2);
    CHECK(n == 2 && fs[0].key == CK_ASPECT && fs[0].aspect == ASPECT_COSMETIC &&
          fs[0].grade == GRADE_X && fs[1].key == CK_CHECK && !strcmp(fs[1].check->id, "carton") &&
          fs[1].answer && !strcmp(fs[1].answer->id, "crushed"));
    n = rules_findings(r, &f, rules_resp_cond(r, f.cat, &g), fs, 4);
    CHECK_INT(n, 2);

    /* Words: defect names, the reasons' texts, the built-in override reasons. */
    CHECK_STR(text_get(rules_defect_text(r, "D-X"), LANG_ZH), "破损");
    CHECK(rules_defect_text(r, "D-Y") == NULL);
    CHECK_STR(text_get(&rules_reason(r, "DEFECTIVE")->text, LANG_ZH), "质量问题");
    CHECK_STR(rules_reason(r, "no-longer needed")->id, "no_longer_needed");
    CHECK_INT(r->noverrides, 5);
    CHECK(rules_override(r, "carrier_report") != NULL);
    CHECK(rules_override(r, "nothing") == NULL);
}

static const struct norm_case {
    const char *in, *want;
} norm_cases[] = {
    /* 0 */ {"No longer needed", "no_longer_needed"},
    /* 1 */ {"  Defective ", "defective"},
    /* 2 */ {"not-as-described", "not_as_described"},
    /* 3 */ {"WRONG_SIZE", "wrong_size"},
    /* 4 */ {"", ""},
    /* 5 */ {"质量 问题", "质量_问题"},
    /* 6 */ {"Changed-Mind ", "changed_mind"},
    /* 7: too long: cut at a character boundary */
    {"一二三四五六七八九十一二三四五六七八九十一二三四五",
     "一二三四五六七八九十一二三四五六七八九十一"},
};

static void test_normalise(void)
{
    for (size_t i = 0; i < sizeof norm_cases / sizeof *norm_cases; i++) {
        char out[64];
        rules_reason_normalise(norm_cases[i].in, out, sizeof out);
        if (!CHECK_STR(out, norm_cases[i].want))
            fprintf(stderr, "  normalise case %zu\n", i);
    }
    char small[8];
    CHECK_STR(rules_reason_normalise("Defective", small, sizeof small), "defecti");
    CHECK_STR(rules_reason_normalise(NULL, small, sizeof small), "");
}

static void test_policy(void)
{
    struct rules *r;
    char err[400];
    if (!CHECK_INT(rules_load_string(policy_json, "p.json", &r, err, sizeof err), 0)) {
        fprintf(stderr, "%s\n", err);
        return;
    }
    test_conditions(r);
    test_branching(r);
    test_decisions(r);
    rules_free(r);
    test_normalise();
}

#undef P
#undef S

/* ---- matching ------------------------------------------------------------- */

static const char match_json[] =
    "{\"version\": \"m\", \"categories\": [\n"
    " {\"id\": \"first\", \"name\": {\"en\": \"F\"}, \"match\": [\"A?-*\", \"PH-[0-9]*\"],\n"
    "  \"checks\": [{\"id\": \"k\", \"aspect\": \"cosmetic\", \"text\": {\"en\": \"K\"},\n"
    "   \"answers\": [{\"id\": \"a\", \"text\": {\"en\": \"a\"}, \"grade\": \"A\"}]}],\n"
    "  \"disposition\": {\"A\": \"restock\", \"B\": \"open_box\", \"C\": \"refurbish\", "
    "\"X\": \"scrap\"}},\n"
    " {\"id\": \"second\", \"name\": {\"en\": \"S\"}, \"match\": [\"AB-*\", \"PH-*\"],\n"
    "  \"checks\": [{\"id\": \"k\", \"aspect\": \"cosmetic\", \"text\": {\"en\": \"K\"},\n"
    "   \"answers\": [{\"id\": \"a\", \"text\": {\"en\": \"a\"}, \"grade\": \"A\"}]}],\n"
    "  \"disposition\": {\"A\": \"restock\", \"B\": \"open_box\", \"C\": \"refurbish\", "
    "\"X\": \"scrap\"}},\n"
    " {\"id\": \"none\", \"name\": {\"en\": \"N\"}, \"match\": [],\n"
    "  \"checks\": [{\"id\": \"k\", \"aspect\": \"cosmetic\", \"text\": {\"en\": \"K\"},\n"
    "   \"answers\": [{\"id\": \"a\", \"text\": {\"en\": \"a\"}, \"grade\": \"A\"}]}],\n"
    "  \"disposition\": {\"A\": \"restock\", \"B\": \"open_box\", \"C\": \"refurbish\", "
    "\"X\": \"scrap\"}}]}\n";

static const struct match_case {
    const char *file; /* NULL: match_json */
    const char *sku;
    const char *want; /* category id, or NULL */
} match_cases[] = {
    /* 0 */ {NULL, "AB-1", "first"}, /* both match: the first in file order */
    /* 1 */ {NULL, "AC-77", "first"},
    /* 2 */ {NULL, "PH-9X", "first"}, /* character class */
    /* 3 */ {NULL, "PH-X9", "second"},
    /* 4 */ {NULL, "ab-1", NULL}, /* case-sensitive */
    /* 5 */ {NULL, "", NULL},
    /* 6 */ {NULL, "ZZ", NULL},
    /* 7 */ {"demo", "PH-IPH13-128", "phone"},
    /* 8 */ {"demo", "SH-RUN-42", "apparel"},
    /* 9 */ {"demo", "AP-TSHIRT-M", "apparel"},
    /* 10 */ {"demo", "KT-KETTLE", "appliance"},
    /* 11 */ {"demo", "SA-FAN", "appliance"},
    /* 12 */ {"demo", "XX-1", NULL},
    /* 13 */ {"demo", "ph-1", NULL},
};

static void test_matching(void)
{
    struct rules *mine, *demo;
    char err[300];
    int rc1 = rules_load_string(match_json, "m.json", &mine, err, sizeof err);
    if (!CHECK_INT(rc1, 0))
        fprintf(stderr, "%s\n", err);
    int rc2 = rules_load_string(rules_builtin_json, "builtin", &demo, err, sizeof err);
    if (!CHECK_INT(rc2, 0))
        fprintf(stderr, "%s\n", err);
    if (rc1 || rc2)
        goto out;
    for (size_t i = 0; i < sizeof match_cases / sizeof *match_cases; i++) {
        const struct match_case *t = &match_cases[i];
        const struct rules_category *c = rules_match(t->file ? demo : mine, t->sku);
        const char *got = c ? c->id : NULL;
        bool ok = t->want ? got && strcmp(got, t->want) == 0 : got == NULL;
        if (!CHECK(ok))
            fprintf(stderr, "  case %zu: %s → %s\n", i, t->sku, got ? got : "(none)");
    }
    CHECK(rules_match(mine, NULL) == NULL);
    CHECK(rules_match(NULL, "AB-1") == NULL);
    CHECK(rules_category(mine, "none") != NULL);
    CHECK(rules_category(mine, "nope") == NULL);
out:
    rules_free(mine);
    rules_free(demo);
}

/* ---- validation errors ------------------------------------------------------ */

/* A valid file; each error case changes one piece of it. */
static const char base_json[] =
    "{\"version\": \"v1\",\n"                                                    /* 1 */
    " \"categories\": [\n"                                                       /* 2 */
    "  {\"id\": \"c\", \"name\": {\"en\": \"C\"}, \"match\": [\"C-*\"],\n"       /* 3 */
    "   \"checks\": [\n"                                                         /* 4 */
    "    {\"id\": \"k\", \"aspect\": \"cosmetic\", \"text\": {\"en\": \"K\"},\n" /* 5 */
    "     \"answers\": [\n"                                                      /* 6 */
    "      {\"id\": \"a\", \"text\": {\"en\": \"A\"}, \"grade\": \"A\"},\n"      /* 7 */
    "      {\"id\": \"b\", \"text\": {\"en\": \"B\"}, \"grade\": \"B\"}]}],\n"   /* 8 */
    "   \"disposition\": {\"A\": \"restock\", \"B\": \"open_box\", \"C\": \"refurbish\", "
    "\"X\": \"scrap\"}}]}\n"; /* 9 */

#define SECOND_CATEGORY                                                                            \
    "\n  {\"id\": \"d\", \"name\": {\"en\": \"D\"}, \"match\": [\"D-*\"],\n"                       \
    "   \"checks\": [{\"id\": \"k\", \"aspect\": \"functional\", \"text\": {\"en\": \"K\"},\n"     \
    "    \"answers\": [{\"id\": \"a\", \"text\": {\"en\": \"A\"}, \"grade\": \"A\"}]}],\n"         \
    "   \"disposition\": {\"A\": \"restock\", \"B\": \"open_box\", \"C\": \"refurbish\", "         \
    "\"X\": \"scrap\"}}"

static const struct error_case {
    const char *find, *replace; /* in base_json; find NULL: replace is the whole file */
    const char *want;           /* the start of the message: "E3NN: t.json:LINE:" */
    const char *path;           /* a part of the message, or NULL */
} error_cases[] = {
    /* 0: valid as it is */
    {"", "", NULL, NULL},
    /* 1: the keys a later part of the station uses are known; other
     *    languages of a text are allowed */
    {"\"grade\": \"B\"}", "\"grade\": \"B\", \"photo\": \"optional\", \"end\": false}", NULL, NULL},
    /* 2 */
    {"\"name\": {\"en\": \"C\"}", "\"name\": {\"en\": \"C\", \"fr\": \"C\", \"zh-TW\": \"C\"}",
     NULL, NULL},
    /* 3: JSON syntax, a missing comma: the error is where the next key starts */
    {"\"v1\",", "\"v1\"", "E302: t.json:2:", "near \"\"categories"},
    /* 4 */ {"\"grade\": \"B\"}]}],", "\"grade\": \"B\"}]}]", "E302: t.json:9:", NULL},
    /* 5: cut short */
    {"\"scrap\"}}]}\n", "\"scrap\"}", "E302: t.json:9:", "ends too soon"},
    /* 6: trailing garbage */
    {"\"scrap\"}}]}\n", "\"scrap\"}}]}\n\n,", "E302: t.json:11:", NULL},
    /* 7 */ {NULL, "", "E302: t.json:1:", NULL},
    /* 8 */ {NULL, "[1,\n2]", "E303: t.json:1:", NULL},
    /* 9 */ {"\"version\": \"v1\",", "", "E304: t.json:1:", "version: is missing"},
    /* 10 */ {"\"version\": \"v1\"", "\"version\": 1", "E304: t.json:1:", NULL},
    /* 11 */ {"\"version\": \"v1\"", "\"version\": \"\"", "E305: t.json:1:", NULL},
    /* 12 */
    {"\"version\": \"v1\"", "\"version\": \"0123456789012345678901234567890123\"",
     "E305: t.json:1:", NULL},
    /* 13 */
    {"\"v1\",\n", "\"v1\",\n\n \"return_window_days\": 0,\n",
     "E306: t.json:3:", "return_window_days"},
    /* 14 */ {"\"v1\",\n", "\"v1\", \"return_window_days\": 1.5,\n", "E306: t.json:1:", NULL},
    /* 15 */ {"\"v1\",\n", "\"v1\", \"return_window_days\": \"7\",\n", "E306: t.json:1:", NULL},
    /* 16 */
    {"\"v1\",\n \"categories\": [", "\"v1\", \"reasons\": [",
     "E307: t.json:1:", "categories: is missing"},
    /* 17 */ {NULL, "{\"version\": \"v\",\n \"categories\": []}", "E308: t.json:2:", NULL},
    /* 18 */
    {NULL, "{\"version\": \"v\",\n \"categories\": [\n\n 5]}", "E309: t.json:4:", "categories[0]"},
    /* 19 */ {"{\"id\": \"c\", ", "{", "E310: t.json:3:", "categories[0].id: is missing"},
    /* 20 */ {"\"id\": \"c\"", "\"id\": \"\"", "E311: t.json:3:", NULL},
    /* 21: a second category with the same id */
    {"\"scrap\"}}]}", "\"scrap\"}}," SECOND_CATEGORY "," SECOND_CATEGORY "]}",
     "E312: t.json:14:", "categories[2].id"},
    /* 22 */
    {"\"name\": {\"en\": \"C\"}", "\"name\": \"C\"", "E313: t.json:3:", "categories[0].name"},
    /* 23 */
    {"\"name\": {\"en\": \"C\"}", "\"name\": {\"en\": 5}",
     "E314: t.json:3:", "categories[0].name.en"},
    /* 24 */ {"\"name\": {\"en\": \"C\"}", "\"name\": {\"en\": \"\"}", "E314: t.json:3:", NULL},
    /* 25 */ {"\"name\": {\"en\": \"C\"}", "\"name\": {\"fr\": \"C\"}", "E315: t.json:3:", NULL},
    /* 26 */ {", \"name\": {\"en\": \"C\"}", "", "E313: t.json:3:", NULL},
    /* 27 */ {"[\"C-*\"]", "\"C-*\"", "E316: t.json:3:", NULL},
    /* 28 */ {"[\"C-*\"]", "[\"C-*\",\n \"\"]", "E317: t.json:4:", "match[1]"},
    /* 29 */ {"[\"C-*\"]", "[3]", "E317: t.json:3:", NULL},
    /* 30 */ {"\"checks\": [", "\"x\": [", "E343: t.json:4:", "unknown key \"x\""},
    /* 31: a check that is not an object, on its own line */
    {"\"checks\": [\n", "\"checks\": [\n  \"k\",\n", "E321: t.json:5:", "categories[0].checks[0]"},
    /* 32 */ {"{\"id\": \"k\", ", "{", "E322: t.json:5:", NULL},
    /* 33 */
    {"\"id\": \"k\"", "\"id\": \"0123456789012345678901234567890123\"", "E323: t.json:5:", NULL},
    /* 34: a second check with the same id */
    {"\"B\"}]}],",
     "\"B\"}]},\n\n    {\"id\": \"k\", \"aspect\": \"cosmetic\", \"text\": "
     "{\"en\": \"K\"}, \"answers\": [{\"id\": \"a\", \"text\": {\"en\": \"A\"}, "
     "\"grade\": \"A\"}]}],",
     "E324: t.json:10:", "checks[1].id"},
    /* 35 */ {"\"aspect\": \"cosmetic\", ", "", "E325: t.json:5:", "aspect: is missing"},
    /* 36 */ {"\"cosmetic\"", "[\"cosmetic\"]", "E325: t.json:5:", NULL},
    /* 37 */ {"\"cosmetic\"", "\"looks\"", "E326: t.json:5:", "\"looks\""},
    /* 38 */ {"\"answers\"", "\"answerz\"", "E343: t.json:6:", "checks[0].answerz"},
    /* 39 */
    {"\"text\": {\"en\": \"K\"}", "\"text\": [\"K\"]", "E313: t.json:5:", "checks[0].text"},
    /* 40: an answer that is not an object */
    {"{\"id\": \"b\", \"text\": {\"en\": \"B\"}, \"grade\": \"B\"}", "\"b\"",
     "E330: t.json:8:", "answers[1]"},
    /* 41 */ {"{\"id\": \"b\", ", "{", "E331: t.json:8:", "answers[1].id: is missing"},
    /* 42 */ {"\"id\": \"b\"", "\"id\": 2", "E331: t.json:8:", NULL},
    /* 43 */ {"\"id\": \"b\"", "\"id\": \"\"", "E332: t.json:8:", NULL},
    /* 44 */ {"\"id\": \"b\"", "\"id\": \"a\"", "E333: t.json:8:", "answers[1].id"},
    /* 45 */ {"\"text\": {\"en\": \"B\"}", "\"text\": {}", "E315: t.json:8:", "answers[1].text"},
    /* 46 */ {", \"grade\": \"B\"", "", "E334: t.json:8:", "answers[1].grade: is missing"},
    /* 47 */ {"\"grade\": \"B\"", "\"grade\": 2", "E334: t.json:8:", NULL},
    /* 48 */
    {"\"grade\": \"B\"", "\"grade\": \"D\"",
     "E335: t.json:8:", "categories[0].checks[0].answers[1].grade"},
    /* 49 */ {"\"grade\": \"B\"", "\"grade\": \"AB\"", "E335: t.json:8:", NULL},
    /* 50 */ {"\"grade\": \"B\"", "\"grade\": \"b\"", "E335: t.json:8:", NULL},
    /* 51 */ {"\"grade\": \"B\"", "\"grade\": \"\"", "E335: t.json:8:", NULL},
    /* 52 */ {"\"grade\": \"B\"", "\"grade\": \"B\", \"defect\": 3", "E336: t.json:8:", NULL},
    /* 53 */
    {"\"grade\": \"B\"", "\"grade\": \"B\", \"defect\": \"0123456789ABCDEF\"",
     "E337: t.json:8:", "answers[1].defect"},
    /* 54 */ {"\"grade\": \"B\"", "\"grade\": \"B\", \"defect\": \"\"", "E337: t.json:8:", NULL},
    /* 55: 15 characters fit */
    {"\"grade\": \"B\"", "\"grade\": \"B\", \"defect\": \"0123456789ABCDE\"", NULL, NULL},
    /* 56 */
    {"\"grade\": \"B\"", "\"grade\": \"B\", \"responsibility\": \"courier\"",
     "E338: t.json:8:", "responsibility"},
    /* 57 */
    {"\"grade\": \"B\"", "\"grade\": \"B\", \"responsibility\": \"\"", "E338: t.json:8:", NULL},
    /* 58 */
    {"\"grade\": \"B\"", "\"grade\": \"B\", \"responsibility\": 1", "E338: t.json:8:", NULL},
    /* 59 */ {"\"disposition\"", "\"dispo\"", "E343: t.json:9:", "categories[0].dispo"},
    /* 60 */ {"\"disposition\": {", "\"disposition\": [{", "E302: t.json:9:", NULL},
    /* 61 */ {", \"X\": \"scrap\"", "", "E340: t.json:9:", "disposition.X"},
    /* 62 */ {"\"scrap\"", "\"trash\"", "E341: t.json:9:", "disposition.X"},
    /* 63 */ {"\"scrap\"", "5", "E341: t.json:9:", NULL},
    /* 64: an error deep in a long answer list, on a line of its own */
    {"\"B\"}]}],",
     "\"B\"},\n\n\n {\"id\": \"c\", \"text\": {\"en\": \"C\"},\n"
     "  \"grade\": \"Q\"}]}],",
     "E335: t.json:12:", "answers[2].grade"},
    /* 65: keys inside nested values must not fool the locator */
    {"\"text\": {\"en\": \"B\"}, \"grade\": \"B\"",
     "\"text\": {\"en\": \"B\", \"gr\": \"\\\"grade\\\": \\\"B\\\"\"},\n \"grade\": \"Q\"",
     "E335: t.json:9:", NULL},
    /* 66: escapes in keys and values */
    {"{\"id\": \"a\"", "{\"i\\u0064\": \"a\\\"q\"", NULL, NULL},
    /* 67: return_window_days given */
    {"\"v1\",\n", "\"v1\", \"return_window_days\": 14,\n", NULL, NULL},
};

/* base_json with the first `find` replaced; caller frees. */
static char *variant(const struct error_case *t)
{
    if (!t->find)
        return strdup(t->replace);
    const char *at = strstr(base_json, t->find);
    if (!at)
        return NULL;
    size_t pre = (size_t)(at - base_json), fl = strlen(t->find), rl = strlen(t->replace);
    char *out = malloc(sizeof base_json + rl);
    memcpy(out, base_json, pre);
    memcpy(out + pre, t->replace, rl);
    strcpy(out + pre + rl, at + fl);
    return out;
}

static void test_errors(void)
{
    for (size_t i = 0; i < sizeof error_cases / sizeof *error_cases; i++) {
        const struct error_case *t = &error_cases[i];
        char *json = variant(t);
        if (!CHECK(json != NULL)) {
            fprintf(stderr, "  case %zu: \"%s\" not in the base file\n", i, t->find);
            continue;
        }
        struct rules *r = (struct rules *)1;
        char err[400] = "";
        int rc = rules_load_string(json, "t.json", &r, err, sizeof err);
        bool ok;
        if (!t->want)
            ok = rc == 0 && r != NULL && err[0] == 0;
        else
            ok = rc == -1 && r == NULL && strncmp(err, t->want, strlen(t->want)) == 0 &&
                 (!t->path || strstr(err, t->path));
        if (!CHECK(ok))
            fprintf(stderr, "  case %zu: rc %d, \"%s\"; want \"%s\"%s%s\n", i, rc, err,
                    t->want ? t->want : "success", t->path ? " with " : "", t->path ? t->path : "");
        if (rc == 0 && i == 67)
            CHECK_INT(r->return_window_days, 14);
        if (rc == 0 && i == 66)
            CHECK_STR(r->categories[0].checks[0].answers[0].id, "a\"q");
        if (rc == 0 && i == 0)
            CHECK_INT(r->return_window_days, 7);
        if (rc == 0)
            rules_free(r);
        free(json);
    }
}

/* Counts beyond what an inspection or the keypad can hold. */
static void test_limits(void)
{
    char *json = malloc(40000);
    for (int pass = 0; pass < 4; pass++) {
        /* pass 0: 32 checks (ok), 1: 33 checks, 2: 9 answers (ok), 3: 10 answers */
        int nchecks = pass == 0 ? INSP_MAX_ANSWERS : pass == 1 ? INSP_MAX_ANSWERS + 1 : 1;
        int nanswers = pass == 2 ? 9 : pass == 3 ? 10 : 1;
        size_t n = (size_t)sprintf(json, "{\"version\":\"l\",\"categories\":[{\"id\":\"l\","
                                         "\"name\":{\"en\":\"L\"},\"match\":[\"*\"],\n"
                                         "\"checks\":[\n");
        for (int i = 0; i < nchecks; i++) {
            n += (size_t)sprintf(json + n,
                                 "%s{\"id\":\"k%d\",\"aspect\":\"functional\",\"text\":{\"en\":"
                                 "\"k\"},\"answers\":[",
                                 i ? ",\n" : "", i);
            for (int a = 0; a < nanswers; a++)
                n += (size_t)sprintf(json + n,
                                     "%s{\"id\":\"a%d\",\"text\":{\"en\":\"a\"},\"grade\":\"A\"}",
                                     a ? "," : "", a);
            n += (size_t)sprintf(json + n, "]}");
        }
        sprintf(json + n, "],\n\"disposition\":{\"A\":\"restock\",\"B\":\"open_box\",\"C\":"
                          "\"refurbish\",\"X\":\"scrap\"}}]}");
        struct rules *r;
        char err[300] = "";
        int rc = rules_load_string(json, "l.json", &r, err, sizeof err);
        if (pass == 0 || pass == 2) {
            if (!CHECK_INT(rc, 0))
                fprintf(stderr, "  pass %d: %s\n", pass, err);
            else
                rules_free(r);
        } else {
            CHECK_INT(rc, -1);
            if (!CHECK(strncmp(err, pass == 1 ? "E320: l.json:2:" : "E329: l.json:3:", 15) == 0))
                fprintf(stderr, "  pass %d: %s\n", pass, err);
        }
    }
    free(json);
}

/* ---- files ---------------------------------------------------------------- */

static void test_files(void)
{
    struct rules *r;
    char err[400];

    /* The demo rules, from the file and compiled in: the same. */
    if (CHECK_INT(rules_load_file("demo/rules.json", &r, err, sizeof err), 0)) {
        CHECK_STR(r->version, "2026-12");
        CHECK_INT(r->return_window_days, 7);
        CHECK_INT(r->ncategories, 3);
        const struct rules_category *phone = rules_category(r, "phone");
        CHECK(phone && phone->nchecks == 7);
        if (phone) {
            CHECK_STR(text_get(&phone->name, LANG_ZH), "手机");
            CHECK_STR(phone->disposition[GRADE_X], "return_to_vendor");
            CHECK_INT(phone->checks[0].answers[3].responsibility, RESP_LOGISTICS);
            /* light scratches, charger missing; the carton and the seal not asked */
            int answers[7] = {1, 0, RULES_SKIPPED, 0, 0, RULES_SKIPPED, 2};
            struct grade_result g;
            rules_grade(phone, answers, &g);
            CHECK_INT(g.grade, GRADE_C);
            CHECK_INT(g.aspect[ASPECT_COSMETIC], GRADE_B);
            CHECK_INT(g.aspect[ASPECT_FUNCTIONAL], GRADE_A);
            CHECK_INT(g.aspect[ASPECT_COMPLETENESS], GRADE_C);
            CHECK_STR(g.disposition, "refurbish");
            CHECK_INT(g.responsibility, RESP_CUSTOMER);
            CHECK_INT(g.ndefects, 2);
        }
        rules_free(r);
    } else
        fprintf(stderr, "%s\n", err);

    if (CHECK_INT(rules_load_string(rules_builtin_json, "builtin", &r, err, sizeof err), 0)) {
        CHECK_INT(r->ncategories, 3);
        CHECK(rules_category(r, "appliance") != NULL);
        rules_free(r);
    } else
        fprintf(stderr, "%s\n", err);

    /* Missing file. */
    r = (struct rules *)1;
    CHECK_INT(rules_load_file("/nonexistent/rules.json", &r, err, sizeof err), -1);
    CHECK(r == NULL);
    CHECK(strncmp(err, "E300: /nonexistent/rules.json: ", 31) == 0);

    /* A file with a byte-order mark and CRLF lines loads; its errors name
     * the file and the right line. */
    const char *dir = harness_tmpdir();
    char path[600];
    snprintf(path, sizeof path, "%s/bom.json", dir);
    char *bom = malloc(sizeof base_json + 64);
    strcpy(bom, "\xEF\xBB\xBF");
    for (const char *s = base_json; *s; s++) {
        size_t l = strlen(bom);
        if (*s == '\n')
            bom[l++] = '\r';
        bom[l++] = *s;
        bom[l] = 0;
    }
    harness_write_file(path, bom);
    if (CHECK_INT(rules_load_file(path, &r, err, sizeof err), 0))
        rules_free(r);
    else
        fprintf(stderr, "%s\n", err);
    char *bad = strstr(bom, "\"B\"}]");
    bad[1] = 'Q';
    harness_write_file(path, bom);
    CHECK_INT(rules_load_file(path, &r, err, sizeof err), -1);
    char want[700];
    snprintf(want, sizeof want, "E335: %s:8: ", path);
    if (!CHECK(strncmp(err, want, strlen(want)) == 0))
        fprintf(stderr, "  got \"%s\"\n", err);
    free(bom);

    /* A small error buffer is never overrun and still starts with the id. */
    char small[8];
    CHECK_INT(rules_load_string("{", "x.json", &r, small, sizeof small), -1);
    CHECK_STR(small, "E302: x");
    rules_free(NULL);
}

/* ---- instructions and images ------------------------------------------------ */

/* A one-check rules file whose check has "image": IMAGE (on line 3). */
static const char image_json[] =
    "{\"version\": \"i1\", \"categories\": [{\"id\": \"c\", \"name\": {\"en\": \"C\"}, \"match\": "
    "[],\n"
    " \"checks\": [{\"id\": \"k\", \"aspect\": \"cosmetic\", \"text\": {\"en\": \"K\"},\n"
    "   \"image\": \"%s\",\n"
    "   \"answers\": [{\"id\": \"a\", \"text\": {\"en\": \"A\"}, \"grade\": \"A\"}]}],\n"
    " \"disposition\": {\"A\": \"restock\", \"B\": \"open_box\", \"C\": \"refurbish\", "
    "\"X\": \"scrap\"}}]}\n";

static void write_bytes(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (CHECK(f != NULL)) {
        CHECK_INT(fwrite(data, 1, n, f), n);
        fclose(f);
    }
}

/* Load dir/rules.json naming `image`; the error id (0 when it loads), with
 * the file and line 3 checked. */
static int load_image(const char *dir, const char *image, char *err, size_t errlen)
{
    char path[700], json[sizeof image_json + 600];
    snprintf(path, sizeof path, "%s/rules.json", dir);
    snprintf(json, sizeof json, image_json, image);
    harness_write_file(path, json);
    struct rules *r = NULL;
    if (rules_load_file(path, &r, err, errlen) == 0) {
        rules_free(r);
        return 0;
    }
    char want[800];
    snprintf(want, sizeof want, ": %s:3: categories[0].checks[0].image: ", path);
    if (!CHECK(strstr(err, want) == err + 4))
        fprintf(stderr, "  %s\n", err);
    return atoi(err + 1);
}

static void test_images(void)
{
    struct rules *r;
    char err[700], path[RULES_MAX_IMAGE_PATH];

    /* A file's images are under its folder; instructions in both languages,
     * English where Chinese is missing. */
    if (CHECK_INT(rules_load_file("tests/rules/pictures/rules.json", &r, err, sizeof err), 0)) {
        CHECK_STR(r->dir, "tests/rules/pictures");
        const struct rules_category *c = &r->categories[0];
        CHECK_INT(rules_image_path(r, &c->checks[0], path, sizeof path), 0);
        CHECK_STR(path, "tests/rules/pictures/ok.png");
        CHECK_INT(rules_image_path(r, &c->checks[1], path, sizeof path), 0);
        CHECK_STR(path, "tests/rules/pictures/ok.jpg");
        CHECK_STR(text_get(&c->checks[0].instructions, LANG_ZH), "长按电源键5秒");
        CHECK_STR(text_get(&c->checks[1].instructions, LANG_ZH),
                  "Open the box and lay out what is in it");
        CHECK_STR(text_get(&c->checks[2].instructions, LANG_EN), "");
        /* Too small a buffer: no path, never a cut one. */
        CHECK_INT(rules_image_path(r, &c->checks[0], path, 10), -1);
        CHECK_STR(path, "");
        rules_free(r);
    } else
        fprintf(stderr, "%s\n", err);

    /* The demo's pictures are in demo/img; the built-in copy has no folder:
     * no picture, though its checks name one (and its instructions stay). */
    if (CHECK_INT(rules_load_file("demo/rules.json", &r, err, sizeof err), 0)) {
        const struct rules_check *screen = &rules_category(r, "phone")->checks[0];
        CHECK_INT(rules_image_path(r, screen, path, sizeof path), 0);
        CHECK_STR(path, "demo/img/phone-screen.png");
        CHECK_INT(rules_image_path(r, &rules_category(r, "phone")->checks[1], path, sizeof path),
                  -1);
        rules_free(r);
    } else
        fprintf(stderr, "%s\n", err);
    if (CHECK_INT(rules_load_string(rules_builtin_json, "builtin", &r, err, sizeof err), 0)) {
        const struct rules_check *screen = &rules_category(r, "phone")->checks[0];
        CHECK(r->dir == NULL);
        CHECK_STR(screen->image, "img/phone-screen.png");
        CHECK(text_get(&screen->instructions, LANG_ZH)[0] != 0);
        CHECK_INT(rules_image_path(r, screen, path, sizeof path), -1);
        rules_free(r);
    }
    /* A string names images it cannot check: nothing is looked for. */
    char json[sizeof image_json + 64];
    snprintf(json, sizeof json, image_json, "nowhere/none.png");
    if (CHECK_INT(rules_load_string(json, "s.json", &r, err, sizeof err), 0))
        rules_free(r);

    const char *tmp = harness_tmpdir();
    char dir[600], file[800];
    snprintf(dir, sizeof dir, "%s/img", tmp);
    mkdir(dir, 0755);
    size_t png_len = 0, jpg_len = 0;
    char *png = harness_read_file("tests/rules/pictures/ok.png", &png_len);
    char *jpg = harness_read_file("tests/rules/pictures/ok.jpg", &jpg_len);
    if (!CHECK(png && jpg && png_len > 57 && jpg_len > 200))
        return;
#define IMG(name, data, n)                                                                         \
    (snprintf(file, sizeof file, "%s/%s", dir, name), write_bytes(file, data, n))
    IMG("ok.png", png, png_len);
    IMG("ok.jpg", jpg, jpg_len);
    CHECK_INT(load_image(tmp, "img/ok.png", err, sizeof err), 0);
    CHECK_INT(load_image(tmp, "img/ok.jpg", err, sizeof err), 0);
    /* An absolute path is used as it is. */
    snprintf(file, sizeof file, "%s/ok.png", dir);
    CHECK_INT(load_image(dir, file, err, sizeof err), 0);
    /* A JPEG padded with zero bytes after its end is whole. */
    char *padded = malloc(jpg_len + 8);
    memcpy(padded, jpg, jpg_len);
    memset(padded + jpg_len, 0, 8);
    IMG("padded.jpg", padded, jpg_len + 8);
    CHECK_INT(load_image(tmp, "img/padded.jpg", err, sizeof err), 0);
    free(padded);

    /* Refused: missing, a folder, not an image, cut short or damaged. */
    CHECK_INT(load_image(tmp, "img/none.png", err, sizeof err), 376);
    CHECK(strstr(err, "No such file"));
    CHECK_INT(load_image(tmp, "img", err, sizeof err), 377);
    CHECK(strstr(err, "a folder"));
    IMG("empty.png", "", 0);
    CHECK_INT(load_image(tmp, "img/empty.png", err, sizeof err), 378);
    IMG("gif.png", "GIF89a\1\0\1\0\0\0\0;", 14);
    CHECK_INT(load_image(tmp, "img/gif.png", err, sizeof err), 378);
    IMG("head.png", png, 20); /* the signature and half the header */
    CHECK_INT(load_image(tmp, "img/head.png", err, sizeof err), 379);
    CHECK(strstr(err, "a PNG file cut short or damaged: no whole header (IHDR)"));
    IMG("cut.png", png, png_len - 1);
    CHECK_INT(load_image(tmp, "img/cut.png", err, sizeof err), 379);
    CHECK(strstr(err, "(IEND)"));
    png[20]++; /* the width, under the header's CRC */
    IMG("crc.png", png, png_len);
    CHECK_INT(load_image(tmp, "img/crc.png", err, sizeof err), 379);
    CHECK(strstr(err, "damaged"));
    png[20]--;
    IMG("soi.jpg", "\xFF\xD8\xFF", 3);
    CHECK_INT(load_image(tmp, "img/soi.jpg", err, sizeof err), 379);
    CHECK(strstr(err, "a JPEG file cut short or damaged: no whole first marker segment"));
    IMG("cut.jpg", jpg, jpg_len / 2);
    CHECK_INT(load_image(tmp, "img/cut.jpg", err, sizeof err), 379);
    CHECK(strstr(err, "(EOI)"));

    /* Not a regular file: a FIFO (the load does not wait for a writer), a
     * device; larger than 16 MiB (a sparse file). */
    snprintf(file, sizeof file, "%s/fifo.png", dir);
    CHECK_INT(mkfifo(file, 0644), 0);
    CHECK_INT(load_image(tmp, "img/fifo.png", err, sizeof err), 377);
    CHECK(strstr(err, "not a regular file"));
    CHECK_INT(load_image(tmp, "/dev/null", err, sizeof err), 377);
    snprintf(file, sizeof file, "%s/big.png", dir);
    IMG("big.png", png, png_len);
    CHECK_INT(truncate(file, 17 << 20), 0);
    CHECK_INT(load_image(tmp, "img/big.png", err, sizeof err), 377);
    CHECK(strstr(err, "larger than 16 MiB"));

    /* Unreadable (root reads everything). */
    IMG("secret.png", png, png_len);
    if (geteuid() != 0 && CHECK_INT(chmod(file, 0), 0)) {
        CHECK_INT(load_image(tmp, "img/secret.png", err, sizeof err), 376);
        CHECK(strstr(err, "Permission denied"));
    }

    /* The folder and the image together longer than the station opens. */
    char longdir[700], longname[256];
    memset(longname, 'p', 250);
    memcpy(longname + 250, ".png", 5);
    snprintf(longdir, sizeof longdir, "%s/%.*s", tmp, 90, longname);
    mkdir(longdir, 0755);
    CHECK_INT(load_image(longdir, longname, err, sizeof err), 376);
    CHECK(strstr(err, "longer than 319 bytes"));
#undef IMG

    /* A file in the current folder: its images are found from there too. */
    char cwd[600];
    if (CHECK(getcwd(cwd, sizeof cwd) != NULL) && CHECK_INT(chdir(tmp), 0)) {
        snprintf(json, sizeof json, image_json, "none.png");
        harness_write_file("rules.json", json);
        if (CHECK_INT(rules_load_file("rules.json", &r, err, sizeof err), -1))
            CHECK(strstr(err, "E376: rules.json:3: ") == err);
        snprintf(json, sizeof json, image_json, "img/ok.jpg");
        harness_write_file("rules.json", json);
        if (CHECK_INT(rules_load_file("rules.json", &r, err, sizeof err), 0)) {
            CHECK_STR(r->dir, "");
            CHECK_INT(rules_image_path(r, &r->categories[0].checks[0], path, sizeof path), 0);
            CHECK_STR(path, "img/ok.jpg");
            rules_free(r);
        }
        CHECK_INT(chdir(cwd), 0);
    }
    free(png);
    free(jpg);
}

int main(void)
{
    test_grading();
    test_many_defects();
    test_policy();
    test_matching();
    test_errors();
    test_limits();
    test_files();
    test_images();
    return harness_done();
}
