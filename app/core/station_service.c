/*
 * station_service.c — the service screen: admins only (F6 on the scan
 * screen; a supervisor or grader is refused with E565, audited as
 * "service_denied").
 *
 * It shows the station's own checks, the lines of `triage selfcheck`
 * (video, /dev/dri, input, scanners, printer, head office, data folder,
 * disk, database), each with its id. Opening it is audited
 * ("service_opened") and asks for the checks, FX_SELFCHECK, which run off
 * the UI thread; their answer, EV_SELFCHECK_DONE, carries the lines. Until
 * the first comes the screen says "checking"; while a check asked again
 * runs, it keeps the last lines and says so.
 * Return, R or the button check again (not while a check runs); Up and Down
 * or a drag scroll the lines; Escape (or F6) goes back to the scan screen.
 */
#include <string.h>

#include "station_int.h"

/* Ask for the checks, unless they are already running. */
static void ask(struct station *st, struct effects *fx)
{
    if (st->service_busy)
        return;
    if (st_emit(fx, FX_SELFCHECK))
        st->service_busy = true;
}

void service_entry(struct station *st, struct effects *fx)
{
    /* Every visit checks afresh; an answer to an earlier visit's check may
     * still come, and is as good as the new one. */
    st->service_have = false;
    st->service_busy = false;
    st->service_scroll = 0;
    st_audit(st, fx, "service_opened", NULL, NULL);
    ask(st, fx);
}

static void scroll(struct station *st, int by)
{
    int last = st->service_have && st->service.n > 0 ? st->service.n - 1 : 0;
    st->service_scroll += by;
    if (st->service_scroll > last)
        st->service_scroll = last;
    if (st->service_scroll < 0)
        st->service_scroll = 0;
}

bool service_run(struct station *st, const struct event *ev, struct effects *fx)
{
    if (ev->type == EV_SELFCHECK_DONE) {
        st->service_busy = false;
        if (!ev->selfcheck)
            return true;
        st->service = *ev->selfcheck;
        if (st->service.n > SERVICE_MAX_LINES)
            st->service.n = SERVICE_MAX_LINES;
        if (st->service.n < 0)
            st->service.n = 0;
        st->service_have = true;
        scroll(st, 0);
        return true;
    }
    bool refresh = (ev->type == EV_PICK && ev->pick == SERVICE_PICK_REFRESH) ||
                   (ev->type == EV_TEXT && ev->len == 1 && (ev->text[0] | 0x20) == 'r') ||
                   (ev->type == EV_KEY && ev->key == KEY_ENTER);
    if (refresh) {
        ask(st, fx);
        return true;
    }
    if (ev->type == EV_SCROLL) {
        scroll(st, ev->pick);
        return true;
    }
    if (ev->type != EV_KEY)
        return false;
    switch (ev->key) {
    case KEY_UP: scroll(st, -1); return true;
    case KEY_DOWN: scroll(st, 1); return true;
    case KEY_PAGEUP: scroll(st, -8); return true;
    case KEY_PAGEDOWN: scroll(st, 8); return true;
    case KEY_ESCAPE:
    case KEY_SERVICE: station_goto(st, SCREEN_SCAN, fx); return true;
    default: return false;
    }
}
