/*
 * ports.c — the station core's look-ups, answered by the store, and the
 * PIN check that answers the core's FX_CHECK_PIN.
 */
#include "ports.h"

#include <stdio.h>
#include <stdlib.h>

#include "operators.h"
#include "store.h"

static int port_find_operator(void *ctx, const char *badge, struct operator_info *op)
{
    return operators_find(ctx, badge, op);
}

static int port_find_manifest(void *ctx, const char *rma, struct manifest_row *out)
{
    return store_find_manifest(ctx, rma, out);
}

static int port_find_inspection(void *ctx, const char *plate, struct inspection *out)
{
    return store_find_inspection(ctx, plate, out);
}

static int port_find_calibration(void *ctx, const char *plate)
{
    return store_find_calibration(ctx, plate);
}

static int port_rma_units(void *ctx, const char *rma, int units, const char *badge,
                          struct rma_units *out)
{
    return store_rma_units(ctx, rma, units, badge, out);
}

static int port_find_draft(void *ctx, const char *badge, struct draft *out)
{
    return store_find_draft(ctx, badge, out);
}

static int port_list_operators(void *ctx, struct operator_state *out, int max)
{
    struct operator_row *rows = NULL;
    int n = 0;
    char err[300];
    if (operators_list(ctx, &rows, &n, err, sizeof err) != 0)
        return -1;
    int k = n < max ? n : max;
    for (int i = 0; i < k; i++)
        out[i] = (struct operator_state){.op = rows[i].op,
                                         .disabled = rows[i].disabled,
                                         .failures = rows[i].failures,
                                         .locked_until = rows[i].locked_until};
    free(rows);
    return k;
}

struct station_ports ports_over_store(struct store *st)
{
    return (struct station_ports){
        .ctx = st,
        .find_operator = port_find_operator,
        .find_manifest = port_find_manifest,
        .find_inspection = port_find_inspection,
        .find_calibration = port_find_calibration,
        .rma_units = port_rma_units,
        .find_draft = port_find_draft,
        .list_operators = port_list_operators,
    };
}

struct event ports_check_pin(struct store *st, const struct effect *fx, int64_t now)
{
    struct event ev = {.type = EV_LOGIN_RESULT, .now = now, .purpose = fx->purpose};
    ev.login = operators_check(st, fx->actor, fx->pin, now, fx->purpose, fx->subject, fx->detail,
                               &ev.op, &ev.tries_left, &ev.locked_until);
    /* The core matches the answer to the badge it asked about. */
    snprintf(ev.op.badge, sizeof ev.op.badge, "%s", fx->actor);
    return ev;
}
