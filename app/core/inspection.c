/*
 * inspection.c — names of grades, aspects, responsibilities, roles, item
 * checks, reason checks, return types and resolutions.
 */
#include "inspection.h"

#include <stdio.h>
#include <string.h>

const char *grade_name(enum grade g)
{
    static const char *names[] = {"", "A", "B", "C", "X"};
    return (unsigned)g < sizeof names / sizeof *names ? names[g] : "";
}

enum grade grade_from_char(char c)
{
    switch (c) {
    case 'A': return GRADE_A;
    case 'B': return GRADE_B;
    case 'C': return GRADE_C;
    case 'X': return GRADE_X;
    default: return GRADE_NONE;
    }
}

static const char *aspect_names[ASPECT_COUNT] = {"cosmetic", "functional", "completeness"};

const char *aspect_name(enum aspect a)
{
    return (unsigned)a < ASPECT_COUNT ? aspect_names[a] : "";
}

int aspect_from_name(const char *s)
{
    for (int i = 0; i < ASPECT_COUNT; i++)
        if (s && strcmp(s, aspect_names[i]) == 0)
            return i;
    return -1;
}

static const char *resp_names[RESP_COUNT] = {"", "merchant", "logistics", "customer", "platform"};

const char *responsibility_name(enum responsibility r)
{
    return (unsigned)r < RESP_COUNT ? resp_names[r] : "";
}

int responsibility_from_name(const char *s)
{
    for (int i = 0; i < RESP_COUNT; i++)
        if (s && strcmp(s, resp_names[i]) == 0)
            return i;
    return -1;
}

static const char *role_names[] = {"grader", "supervisor", "admin"};

const char *role_name(enum role r)
{
    return (unsigned)r < 3 ? role_names[r] : "";
}

int role_from_name(const char *s)
{
    for (int i = 0; i < 3; i++)
        if (s && strcmp(s, role_names[i]) == 0)
            return i;
    return -1;
}

static const char *item_check_names[ITEM_CHECK_COUNT] = {"",           "matched", "mismatched",
                                                         "unverified", "skipped", "blind"};

const char *item_check_name(enum item_check c)
{
    return (unsigned)c < ITEM_CHECK_COUNT ? item_check_names[c] : "";
}

int item_check_from_name(const char *s)
{
    for (int i = 1; i < ITEM_CHECK_COUNT; i++)
        if (s && strcmp(s, item_check_names[i]) == 0)
            return i;
    return -1;
}

enum item_check inspection_item_check(const struct inspection *in)
{
    if (in->item_check > ITEM_CHECK_NONE && in->item_check < ITEM_CHECK_COUNT)
        return in->item_check;
    if (in->blind)
        return ITEM_CHECK_BLIND;
    return in->mismatch ? ITEM_CHECK_MISMATCHED : ITEM_CHECK_SKIPPED;
}

int inspection_units(const struct inspection *in)
{
    return in->units > 0 ? in->units : 1;
}

int inspection_unit(const struct inspection *in)
{
    return in->unit > 0 ? in->unit : 1;
}

static const char *reason_check_names[REASON_CHECK_COUNT] = {"none", "confirmed", "not_found"};

const char *reason_check_name(enum reason_check c)
{
    return (unsigned)c < REASON_CHECK_COUNT ? reason_check_names[c] : "none";
}

int reason_check_from_name(const char *s)
{
    for (int i = 0; i < REASON_CHECK_COUNT; i++)
        if (s && strcmp(s, reason_check_names[i]) == 0)
            return i;
    return -1;
}

static const char *return_type_names[RETURN_TYPE_COUNT] = {"", "quality", "non_quality"};

const char *return_type_name(enum return_type t)
{
    return (unsigned)t < RETURN_TYPE_COUNT ? return_type_names[t] : "";
}

int return_type_from_name(const char *s)
{
    for (int i = 0; i < RETURN_TYPE_COUNT; i++)
        if (s && strcmp(s, return_type_names[i]) == 0)
            return i;
    return -1;
}

static const char *resolution_names[RESOLUTION_COUNT] = {
    "", "refund", "partial_refund", "exchange", "repair", "reject", "investigate"};

const char *resolution_name(enum resolution r)
{
    return (unsigned)r < RESOLUTION_COUNT ? resolution_names[r] : "";
}

int resolution_from_name(const char *s)
{
    for (int i = 0; i < RESOLUTION_COUNT; i++)
        if (s && strcmp(s, resolution_names[i]) == 0)
            return i;
    return -1;
}

void plate_format(char *out, int outlen, const char *station, int64_t seq)
{
    snprintf(out, (size_t)outlen, "%s-%06lld", station, (long long)seq);
}
