/*
 * ports.c — the station core's look-ups, answered by the store.
 */
#include "ports.h"

#include "operators.h"
#include "store.h"

static enum login_result port_login(void *ctx, const char *badge, const char *pin, int64_t now,
                                    struct operator_info *op, int *tries_left,
                                    int64_t *locked_until)
{
    return operators_login(ctx, badge, pin, now, op, tries_left, locked_until);
}

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

struct station_ports ports_over_store(struct store *st)
{
    return (struct station_ports){
        .ctx = st,
        .login = port_login,
        .find_operator = port_find_operator,
        .find_manifest = port_find_manifest,
        .find_inspection = port_find_inspection,
        .find_calibration = port_find_calibration,
    };
}
