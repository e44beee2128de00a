/*
 * test_print_tcp.c — labels over raw TCP to a fake 9100 printer, through
 * the print queue and its worker thread.
 *
 *  1. The transport alone against a printer that refuses, stalls, drops the
 *     connection mid-job, answers noise, and one that works: each failure
 *     comes back with its error id within the timeout; ~HS status.
 *  2. The queue: inspections committed while the printer is away wait in
 *     the database; the printer comes back dropping, then stalling, then
 *     working: every label arrives exactly once (a reprint once more).
 *  3. Every ZPL label the fake received is rendered by an independent ZPL
 *     renderer (zpl-renderer-js in Node) and read back with zbarimg: the
 *     Code 128 gives the plate, the QR the payload; Chinese text included.
 */
#include "db_file.h"
#include "label.h"
#include "print_fake.h"
#include "print_worker.h"
#include "printer.h"
#include "printq.h"
#include "store.h"

#define TMO 300 /* transport timeout in these tests, ms */

static int notified;
static void on_notify(void *ctx)
{
    (void)ctx;
    __atomic_add_fetch(&notified, 1, __ATOMIC_SEQ_CST);
}

static struct prn_job job_of(struct label_maker *m, struct inspection *in, char **zpl)
{
    size_t len = 0;
    *zpl = NULL;
    CHECK_INT(label_zpl(m, in, zpl, &len), 0);
    struct prn_job job = {.name = in->plate, .zpl = *zpl, .zpl_len = len};
    return job;
}

static void test_transport(struct fake_printer *f, struct label_maker *m)
{
    char err[512], addr[64];
    /* 0: addresses */
    static const char *const bad[] = {"", "host:0", "host:99999", "host:x", "[::1", ":9100"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        struct prn *t = prn_tcp_open(bad[i], TMO, err, sizeof err);
        CHECK(t == NULL && strncmp(err, "E650:", 5) == 0);
    }
    struct prn *t6 = prn_tcp_open("[::1]:9100", TMO, err, sizeof err);
    CHECK(t6 != NULL);
    prn_close(t6);

    snprintf(addr, sizeof addr, "127.0.0.1:%d", f->port);
    struct prn *t = prn_tcp_open(addr, TMO, err, sizeof err);
    CHECK(t != NULL && strcmp(prn_type(t), "zpl-tcp") == 0 && prn_wants(t) == PRN_ZPL);
    struct inspection in;
    print_insp(&in, 1, false);
    snprintf(in.plate, sizeof in.plate, "TT-000001");
    char *zpl;
    struct prn_job job = job_of(m, &in, &zpl);
    struct printer_status st;

    /* 1: refused (nobody listens) */
    int64_t t0 = test_ms();
    CHECK(prn_send(t, &job, err, sizeof err) < 0);
    CHECK(strncmp(err, "E652:", 5) == 0);
    CHECK_INT(prn_status(t, &st), 0);
    CHECK(st.state == PRINTER_OFFLINE && strncmp(st.detail, "E652:", 5) == 0);
    CHECK(test_ms() - t0 < TMO);

    CHECK(fake_start(f));
    /* 2: accepts and never reads */
    fake_set_mode(f, FAKE_STALL);
    t0 = test_ms();
    CHECK_INT(prn_send(t, &job, err, sizeof err), -ETIMEDOUT);
    CHECK(strncmp(err, "E656:", 5) == 0 || strncmp(err, "E655:", 5) == 0);
    int64_t took = test_ms() - t0;
    CHECK(took >= TMO - 20 && took < 2000); /* the timeout, not a hang */
    /* a big job fills the buffers: the write itself times out */
    size_t big_len = 32u << 20;
    char *big = malloc(big_len);
    memset(big, ' ', big_len);
    struct prn_job bigjob = {.name = "BIG", .zpl = big, .zpl_len = big_len};
    t0 = test_ms();
    CHECK_INT(prn_send(t, &bigjob, err, sizeof err), -ETIMEDOUT);
    CHECK(strncmp(err, "E655:", 5) == 0);
    CHECK(test_ms() - t0 < 2000);
    free(big);

    /* 3: closes mid-job */
    fake_set_mode(f, FAKE_DROP);
    CHECK(prn_send(t, &job, err, sizeof err) < 0);
    CHECK(strncmp(err, "E654:", 5) == 0);

    /* 4: answers noise */
    fake_set_mode(f, FAKE_GARBAGE);
    CHECK(prn_send(t, &job, err, sizeof err) < 0);
    CHECK(strncmp(err, "E660:", 5) == 0);
    CHECK_INT(prn_status(t, &st), 0);
    CHECK(st.state == PRINTER_ERROR && strncmp(st.detail, "E659:", 5) == 0);

    /* 5: works */
    fake_set_mode(f, FAKE_RECORD);
    CHECK_INT(prn_send(t, &job, err, sizeof err), 0);
    CHECK_INT(fake_njobs(f), 1);
    CHECK(f->njobs == 1 && f->lens[0] == job.zpl_len && memcmp(f->jobs[0], zpl, job.zpl_len) == 0);
    CHECK_INT(prn_status(t, &st), 0);
    CHECK(st.state == PRINTER_READY);
    CHECK_INT(f->status_queries, 1);
    /* ~HS: paper out (string 1, field 2), head open (string 2, field 3), paused (1, 3) */
    static const struct {
        const char *reply;
        enum printer_state want;
    } hs[] = {
        /* 0 */ {"\x02" "030,1,0,1245,000,0,0,0,000,0,0,0\x03\r\n\x02" "000,0,0,0,0,2,4,0,00000000,1,000\x03\r\n",
                 PRINTER_PAPER_OUT},
        /* 1 */ {"\x02" "030,0,0,1245,000,0,0,0,000,0,0,0\x03\r\n\x02" "000,0,1,0,0,2,4,0,00000000,1,000\x03\r\n",
                 PRINTER_PAUSED},
        /* 2 */ {"\x02" "030,0,1,1245,000,0,0,0,000,0,0,0\x03\r\n\x02" "000,0,0,0,0,2,4,0,00000000,1,000\x03\r\n",
                 PRINTER_PAUSED},
        /* 3 */ {"\x02" "030,0,0,1245,000,0,0,0,000,0,0,0\x03\r\n\x02" "000,0,0,1,0,2,4,0,00000000,1,000\x03\r\n",
                 PRINTER_PAPER_OUT},
        /* 4 */ {"HELLO\r\n", PRINTER_ERROR},
    };
    for (size_t i = 0; i < sizeof hs / sizeof *hs; i++) {
        f->hs_reply = hs[i].reply;
        CHECK_INT(prn_status(t, &st), 0);
        if (!CHECK_INT(st.state, hs[i].want))
            fprintf(stderr, "~HS row %zu: %s\n", i, st.detail);
    }
    f->hs_reply = NULL;
    free(zpl);
    prn_close(t);
    prn_close(NULL);
    fake_stop(f);
    fake_free(f);
}


/* Wait up to ms for the worker's waiting count to reach `want`. */
static bool wait_waiting(struct pworker *w, int want, int ms)
{
    int64_t end = test_ms() + ms;
    struct pworker_status ps;
    do {
        pworker_status(w, &ps);
        if (ps.waiting == want)
            return true;
        sleep_ms(10);
    } while (test_ms() < end);
    fprintf(stderr, "waiting is %d, want %d (%s)\n", ps.waiting, want, ps.detail);
    return false;
}

#define NQ 6

static void test_queue(struct fake_printer *f, struct label_maker *m, const char *dir)
{
    char path[512], err[512];
    snprintf(path, sizeof path, "%s/q.db", dir);
    struct store *st = NULL;
    CHECK_INT(store_open(path, "SH01-S07", &st, err, sizeof err), 0);
    if (!st)
        return;
    /* The printer is away (nothing listens on its port) while items are graded. */
    struct inspection ins[NQ];
    for (int i = 0; i < NQ; i++) {
        print_insp(&ins[i], i, i % 2 == 1);
        CHECK_INT(store_commit_inspection(st, &ins[i], err, sizeof err), 0);
    }
    /* each commit queued its label in the same transaction */
    CHECK_INT(printq_waiting(st), NQ);
    CHECK_INT(db_file_int(path, "SELECT count(*) FROM print_jobs p JOIN inspections i"
                                " USING (plate) WHERE p.kind = 'label' AND p.done_at IS NULL"),
              NQ);
    CHECK_INT(printq_has_label(st, ins[0].plate), 1);
    CHECK_INT(printq_has_label(st, "SH01-S07-999999"), 0);
    CHECK(printq_add(st, "SH01-S07-999999", "reprint", 0, NULL, err, sizeof err) < 0);
    CHECK(strncmp(err, "E690:", 5) == 0);

    struct printer_opts cfg = {.label.dpi = 203};
    snprintf(cfg.type, sizeof cfg.type, "zpl-tcp");
    snprintf(cfg.label.size, sizeof cfg.label.size, "4x6");
    snprintf(cfg.address, sizeof cfg.address, "127.0.0.1:%d", f->port);
    struct printer *p = NULL;
    CHECK_INT(printer_open_timeout(&cfg, dir, TMO, &p, err, sizeof err), 0);
    if (!p)
        return;
    CHECK_STR(printer_type(p), "zpl-tcp");
    struct pworker_options po = {.backoff_min_ms = 40, .backoff_max_ms = 160,
                                 .status_every_ms = 100, .notify = on_notify};
    struct pworker *w = NULL;
    CHECK_INT(pworker_start(path, p, &po, &w, err, sizeof err), 0);
    if (!w)
        return;
    /* offline, everything waits, the screen was told */
    int64_t end = test_ms() + 3000;
    struct pworker_status ps;
    do {
        sleep_ms(10);
        pworker_status(w, &ps);
    } while (ps.state != PRINTER_OFFLINE && test_ms() < end);
    CHECK(ps.state == PRINTER_OFFLINE && strncmp(ps.detail, "E652:", 5) == 0);
    CHECK_INT(ps.waiting, NQ);
    CHECK(__atomic_load_n(&notified, __ATOMIC_SEQ_CST) > 0);
    CHECK(db_file_int(path, "SELECT min(attempts) FROM print_jobs WHERE id = 1") >= 1);
    CHECK_INT(db_file_int(path, "SELECT count(*) FROM print_jobs WHERE id = 1 AND"
                                " last_error LIKE 'E652:%'"),
              1);

    /* back, but dropping connections mid-job */
    fake_set_mode(f, FAKE_DROP);
    CHECK(fake_start(f));
    end = test_ms() + 3000;
    while (f->dropped < 2 && test_ms() < end)
        sleep_ms(10);
    CHECK(f->dropped >= 2);
    /* then taking jobs and never reading them */
    fake_set_mode(f, FAKE_STALL);
    int c0 = f->connections;
    end = test_ms() + 3000;
    while (f->connections < c0 + 2 && test_ms() < end)
        sleep_ms(10);
    CHECK(f->connections >= c0 + 2);
    pworker_status(w, &ps);
    CHECK(ps.waiting == NQ);
    CHECK_INT(fake_njobs(f), 0);
    /* then printing */
    fake_set_mode(f, FAKE_RECORD);
    CHECK(wait_waiting(w, 0, 10000));
    for (int i = 0; i < NQ; i++)
        CHECK_INT(fake_count_plate(f, ins[i].plate), 1);
    CHECK_INT(fake_njobs(f), NQ);

    /* a reprint is a new job, recorded, sent once more */
    int64_t rid = 0;
    CHECK_INT(printq_add(st, ins[2].plate, "reprint", 1, &rid, err, sizeof err), 0);
    pworker_kick(w);
    end = test_ms() + 3000;
    do {
        sleep_ms(10);
        pworker_status(w, &ps);
    } while (ps.sent < NQ + 1 && test_ms() < end);
    CHECK_INT(ps.waiting, 0);
    CHECK_INT(fake_count_plate(f, ins[2].plate), 2);
    CHECK_INT(fake_njobs(f), NQ + 1);
    CHECK_INT(db_file_int(path, "SELECT count(*) FROM print_jobs WHERE kind = 'reprint'"
                                " AND done_at IS NOT NULL"),
              1);
    /* jobs go out in order: the oldest label first */
    CHECK(f->njobs > 0 && fake_count_plate(f, ins[0].plate) == 1 &&
          strstr(f->jobs[0], ins[0].plate) != NULL);

    /* idle: the worker asks the printer's state */
    end = test_ms() + 2000;
    while (f->status_queries < 1 && test_ms() < end)
        sleep_ms(10);
    CHECK(f->status_queries >= 1);
    pworker_status(w, &ps);
    CHECK(ps.state == PRINTER_READY);
    CHECK_INT(ps.sent, NQ + 1);

    /* A job whose label cannot be made (here: its inspection is missing,
     * E695) waits with its error on screen, and does not hold up the others. */
    CHECK_INT(db_file_exec(path, "INSERT INTO print_jobs (plate, kind, created_at)"
                                 " VALUES ('SH01-S07-999999', 'reprint', 2);"),
              SQLITE_OK);
    CHECK_INT(printq_add(st, ins[4].plate, "reprint", 3, NULL, err, sizeof err), 0);
    pworker_kick(w);
    end = test_ms() + 3000;
    do {
        sleep_ms(10);
        pworker_status(w, &ps);
    } while (ps.sent < NQ + 2 && test_ms() < end);
    CHECK_INT(ps.sent, NQ + 2);
    CHECK_INT(fake_count_plate(f, ins[4].plate), 2);
    CHECK_INT(printq_waiting(st), 1);
    CHECK_INT(db_file_int(path, "SELECT count(*) FROM print_jobs"
                                " WHERE plate = 'SH01-S07-999999'"
                                " AND last_error LIKE 'E695:%' AND done_at IS NULL"),
              1);
    sleep_ms(400); /* its backoff (160 ms) passes: tried again, still there */
    pworker_status(w, &ps);
    CHECK(ps.state == PRINTER_ERROR && strncmp(ps.detail, "E695:", 5) == 0);
    CHECK_INT(ps.waiting, 1);
    pworker_stop(w, 0);
    pworker_stop(NULL, 0);

    /* backoff: 40, 80, 160, 160 … */
    CHECK_INT(printq_backoff_ms(1, 40, 160), 40);
    CHECK_INT(printq_backoff_ms(2, 40, 160), 80);
    CHECK_INT(printq_backoff_ms(9, 40, 160), 160);
    CHECK_INT(printq_backoff_ms(1000, 1000, 30000), 30000);

    /* 3: every label the printer got, through an independent renderer */
    const char *files[FAKE_MAX_JOBS];
    char names[NQ][600];
    for (int i = 0; i < NQ; i++) {
        snprintf(names[i], sizeof names[i], "%s/%s.zpl", dir, ins[i].plate);
        files[i] = names[i];
        char key[64];
        snprintf(key, sizeof key, "P=%s|", ins[i].plate);
        for (int j = 0; j < f->njobs; j++)
            if (strstr(f->jobs[j], key)) {
                FILE *fp = fopen(names[i], "wb");
                fwrite(f->jobs[j], 1, f->lens[j], fp);
                fclose(fp);
                break;
            }
    }
    if (CHECK(zpl_render(files, NQ))) {
        for (int i = 0; i < NQ; i++) {
            char png[700], payload[LABEL_PAYLOAD_MAX];
            snprintf(png, sizeof png, "%s/%s.render.png", dir, ins[i].plate);
            label_payload(&ins[i], payload, sizeof payload);
            if (!CHECK(zbar_reads(png, ins[i].plate, payload)))
                fprintf(stderr, "label %d (%s) does not read back\n", i, ins[i].plate);
        }
    }
    /* the description stays whole in the database however the label cuts it */
    struct inspection back;
    CHECK_INT(store_find_inspection(st, ins[1].plate, &back), 0);
    CHECK_STR(back.description, ins[1].description);
    (void)m;
    store_close(st);
}

int main(void)
{
    if (!harness_have("zbarimg"))
        harness_skip("zbarimg missing (packaging/deps.sh test installs zbar-tools)");
    const char *dir = harness_tmpdir();
    struct label_spec spec;
    char err[256];
    label_spec_parse(&spec, "4x6", 203, NULL, err, sizeof err);
    struct label_maker *m = label_maker_open(&spec, err, sizeof err);
    if (!m) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    struct fake_printer f;
    fake_init(&f);
    CHECK(fake_start(&f)); /* to learn a free port, then away */
    fake_stop(&f);
    test_transport(&f, m);
    test_queue(&f, m, dir);
    fake_free(&f);
    label_maker_close(m);
    return harness_done();
}
