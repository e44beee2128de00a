/*
 * audit.c — the audit log as a hash chain (see audit.h): appending, the
 * save rows that cover inspections and outbox rows, verifying, the rows
 * sync sends to head office, and the audit tables.
 *
 * A row is appended under the database's write lock (BEGIN IMMEDIATE, or the
 * caller's transaction), so reading the last row's hash and inserting the
 * next is one step, whichever connection writes: the main thread, the PIN
 * worker, the sync worker.
 *
 * Error ids E260–E279 are this module's; E228 (a row not written) is the
 * store's, as before.
 */
#include "audit.h"

#include <cjson/cJSON.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "log.h"
#include "outbox.h"
#include "store.h"
#include "store_internal.h"
#include "text.h"

/* The columns of an inspection's row that its save hash covers: those it had
 * when the chain began (schema version 7: the item check and the unit of
 * version 6, the grading policy's columns of version 7 too). Frozen: a later
 * column is covered through `record`, which holds the whole export record. */
#define CHAINED_INSPECTION_COLUMNS                                                                 \
    "seq, station, epoch, plate, rma, order_id, sku, gtin, serial, description, reason,"           \
    " category, operator, started_at, finished_at, grade, cosmetic, functional,"                   \
    " completeness, disposition, responsibility, defects, answers, rules_version, late,"           \
    " mismatch, blind, supersedes, step_ms, calibration_due, calibrates, item_check,"              \
    " scanned_item, wrong_item, unit, units, extra_unit, skipped, reason_check,"                   \
    " responsibility_suggested, responsibility_reason, return_type, resolution, record"
#define CHAINED_OUTBOX_COLUMNS "seq, payload, created_at"

#define HEX_LEN 64

/* ---- the tables ------------------------------------------------------------ */

/* The schema version whose migration makes the chain; its C part is
 * audit_schema_step. */
#define AUDIT_CHAIN_VERSION 7

/* The audit log (written by store_audit and store_audit_authorised) and how
 * far each sync target has it (audit_sync). */
const char *audit_schema(int version)
{
    switch (version) {
    case 1:
        return "CREATE TABLE audit ("
               "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
               "  at INTEGER NOT NULL,"
               "  badge TEXT,"
               "  event TEXT NOT NULL,"
               "  detail TEXT);";
    case 5:
        /* subject: what an action was done to, apart from who did it. Rows
         * written before it held the plate of a reprint, a re-grade or a
         * blind re-grade where the actor belongs: moved to the subject,
         * their actor unknown. */
        return "ALTER TABLE audit ADD COLUMN subject TEXT;"
               "UPDATE audit SET subject = badge, badge = NULL"
               "  WHERE event IN ('reprint', 'regrade', 'calibration_start');";
    case AUDIT_CHAIN_VERSION:
        /* The chain: ids numbered 1, 2, 3 … again (the table is made anew),
         * authorised_by, and hash (filled in by audit_schema_step, which also
         * adds the triggers once every row has its hash). */
        return "CREATE TABLE audit_chain ("
               "  id INTEGER PRIMARY KEY,"
               "  at INTEGER NOT NULL,"
               "  badge TEXT,"
               "  event TEXT NOT NULL,"
               "  detail TEXT,"
               "  subject TEXT,"
               "  authorised_by TEXT,"
               "  hash TEXT);"
               "INSERT INTO audit_chain (id, at, badge, event, detail, subject)"
               "  SELECT row_number() OVER (ORDER BY id), at, badge, event, detail, subject"
               "  FROM audit ORDER BY id;"
               "DROP TABLE audit;"
               "ALTER TABLE audit_chain RENAME TO audit;"
               "CREATE TABLE audit_sync ("
               "  target TEXT PRIMARY KEY,"
               "  sent_id INTEGER NOT NULL DEFAULT 0,"
               "  intent_last INTEGER NOT NULL DEFAULT 0);";
    default: return NULL;
    }
}

/* Made once every row has its hash (audit_schema_step). */
static const char chain_triggers[] =
    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
    "  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
    "  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;";

/* ---- hashing ---------------------------------------------------------------- */

static void hash_add(crypto_hash_sha256_state *h, const char *s, size_t n)
{
    crypto_hash_sha256_update(h, (const unsigned char *)s, n);
}

static void hash_text(crypto_hash_sha256_state *h, const char *s)
{
    hash_add(h, s, strlen(s));
}

/* F(x): "-" for NULL, else "<bytes>:<x>". */
static void hash_field(crypto_hash_sha256_state *h, const char *s)
{
    if (!s) {
        hash_add(h, "-", 1);
        return;
    }
    char len[24];
    snprintf(len, sizeof len, "%zu:", strlen(s));
    hash_text(h, len);
    hash_text(h, s);
}

static void hash_hex(crypto_hash_sha256_state *h, char out[HEX_LEN + 1])
{
    unsigned char d[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(h, d);
    sodium_bin2hex(out, HEX_LEN + 1, d, sizeof d);
}

struct audit_row {
    int64_t id, at;
    const char *badge, *authorised_by, *event, *subject, *detail;
};

/* The hash of row r following a row whose hash is prev (audit.h). */
static void row_hash(const char *prev, const struct audit_row *r, char out[HEX_LEN + 1])
{
    crypto_hash_sha256_state h;
    char num[64];
    crypto_hash_sha256_init(&h);
    hash_text(&h, "triage-audit-1|");
    hash_text(&h, prev);
    snprintf(num, sizeof num, "|%lld|%lld|", (long long)r->id, (long long)r->at);
    hash_text(&h, num);
    hash_field(&h, r->badge);
    hash_add(&h, "|", 1);
    hash_field(&h, r->authorised_by);
    hash_add(&h, "|", 1);
    hash_field(&h, r->event);
    hash_add(&h, "|", 1);
    hash_field(&h, r->subject);
    hash_add(&h, "|", 1);
    hash_field(&h, r->detail);
    hash_hex(&h, out);
}

static void genesis(const char *epoch, char out[HEX_LEN + 1])
{
    crypto_hash_sha256_state h;
    crypto_hash_sha256_init(&h);
    hash_text(&h, "triage-audit-genesis|");
    hash_text(&h, epoch);
    hash_hex(&h, out);
}

static const char *col_text(sqlite3_stmt *s, int i)
{
    return (const char *)sqlite3_column_text(s, i);
}

/*
 * The hash of one row of `table` (the columns `columns`) whose first column
 * is `seq`: "triage-row-1|<table>" and, per column, "|" and "-" for NULL,
 * "i<digits>" for an integer, "f<%.17g>" for a real, "<bytes>:<text>" for
 * text, "b<bytes>:<bytes>" for a blob. 0 found, 1 no such row, -1 error.
 */
static int table_row_hash(sqlite3 *db, const char *table, const char *columns, int64_t seq,
                          char out[HEX_LEN + 1])
{
    char sql[800];
    snprintf(sql, sizeof sql, "SELECT %s FROM %s WHERE seq = ?1", columns, table);
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_int64(s, 1, seq);
    int rc = sqlite3_step(s), result = -1;
    if (rc == SQLITE_ROW) {
        crypto_hash_sha256_state h;
        crypto_hash_sha256_init(&h);
        hash_text(&h, "triage-row-1|");
        hash_text(&h, table);
        char num[48];
        for (int i = 0; i < sqlite3_column_count(s); i++) {
            hash_add(&h, "|", 1);
            switch (sqlite3_column_type(s, i)) {
            case SQLITE_NULL: hash_add(&h, "-", 1); break;
            case SQLITE_INTEGER:
                snprintf(num, sizeof num, "i%lld", (long long)sqlite3_column_int64(s, i));
                hash_text(&h, num);
                break;
            case SQLITE_FLOAT:
                snprintf(num, sizeof num, "f%.17g", sqlite3_column_double(s, i));
                hash_text(&h, num);
                break;
            case SQLITE_BLOB: {
                const void *b = sqlite3_column_blob(s, i);
                int n = sqlite3_column_bytes(s, i);
                snprintf(num, sizeof num, "b%d:", n);
                hash_text(&h, num);
                crypto_hash_sha256_update(&h, b, (unsigned long long)n);
                break;
            }
            default: {
                const char *t = col_text(s, i);
                int n = sqlite3_column_bytes(s, i);
                snprintf(num, sizeof num, "%d:", n);
                hash_text(&h, num);
                hash_add(&h, t ? t : "", (size_t)n);
                break;
            }
            }
        }
        hash_hex(&h, out);
        result = 0;
    } else if (rc == SQLITE_DONE) {
        result = 1;
    }
    sqlite3_finalize(s);
    return result;
}

/* SHA-256 of an outbox row's payload, as head office hashes the record it
 * received. 0, 1 no such row, -1 error. */
static int payload_hash(sqlite3 *db, int64_t seq, char out[HEX_LEN + 1])
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(db, "SELECT payload FROM outbox WHERE seq = ?1", -1, &s, NULL) !=
        SQLITE_OK)
        return -1;
    sqlite3_bind_int64(s, 1, seq);
    int rc = sqlite3_step(s), result = -1;
    if (rc == SQLITE_ROW) {
        unsigned char d[crypto_hash_sha256_BYTES];
        const void *p = sqlite3_column_blob(s, 0);
        crypto_hash_sha256(d, p ? p : (const void *)"",
                           (unsigned long long)sqlite3_column_bytes(s, 0));
        sodium_bin2hex(out, HEX_LEN + 1, d, sizeof d);
        result = 0;
    } else if (rc == SQLITE_DONE) {
        result = 1;
    }
    sqlite3_finalize(s);
    return result;
}

/* ---- appending -------------------------------------------------------------- */

/* The station's epoch: the connection's, or meta's while a migration runs
 * (before the connection has read it). */
static void chain_epoch(struct store *st, char *out, size_t outlen)
{
    snprintf(out, outlen, "%s", store_epoch(st));
    if (out[0])
        return;
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(store_db(st), "SELECT epoch FROM meta WHERE id = 1", -1, &s, NULL) ==
            SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW && col_text(s, 0))
        snprintf(out, outlen, "%s", col_text(s, 0));
    sqlite3_finalize(s);
}

/* The last row's id and hash (genesis and 0 for an empty log). -1 error. */
static int chain_tail(struct store *st, int64_t *id, char prev[HEX_LEN + 1])
{
    sqlite3 *db = store_db(st);
    sqlite3_stmt *s = NULL;
    char epoch[40];
    int rc =
        sqlite3_prepare_v2(db, "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1", -1, &s, NULL);
    if (rc != SQLITE_OK)
        return -1;
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *id = sqlite3_column_int64(s, 0);
        snprintf(prev, HEX_LEN + 1, "%s", col_text(s, 1) ? col_text(s, 1) : "");
    } else if (rc == SQLITE_DONE) {
        *id = 0;
        chain_epoch(st, epoch, sizeof epoch);
        genesis(epoch, prev);
    }
    sqlite3_finalize(s);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

static void bind_opt(sqlite3_stmt *s, int i, const char *t)
{
    if (t)
        sqlite3_bind_text(s, i, t, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(s, i);
}

/* Append r (its id is set here) inside the open transaction. -1 error. */
static int append_row(struct store *st, struct audit_row *r)
{
    char prev[HEX_LEN + 1], hash[HEX_LEN + 1];
    int64_t last;
    if (chain_tail(st, &last, prev) < 0)
        return -1;
    r->id = last + 1;
    row_hash(prev, r, hash);
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(store_db(st),
                                "INSERT INTO audit (id, at, badge, authorised_by, event, subject,"
                                " detail, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                                -1, &s, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_int64(s, 1, r->id);
        sqlite3_bind_int64(s, 2, r->at);
        bind_opt(s, 3, r->badge);
        bind_opt(s, 4, r->authorised_by);
        bind_opt(s, 5, r->event);
        bind_opt(s, 6, r->subject);
        bind_opt(s, 7, r->detail);
        sqlite3_bind_text(s, 8, hash, -1, SQLITE_STATIC);
        rc = sqlite3_step(s) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
    }
    sqlite3_finalize(s);
    return rc == SQLITE_OK ? 0 : -1;
}

static const char *nonempty(const char *s)
{
    return s && s[0] ? s : NULL;
}

int store_audit_authorised(struct store *st, int64_t at_ms, const char *actor,
                           const char *authorised_by, const char *action, const char *subject,
                           const char *detail)
{
    sqlite3 *db = store_db(st);
    bool own = sqlite3_get_autocommit(db) != 0;
    struct audit_row r = {.at = at_ms,
                          .badge = nonempty(actor),
                          .authorised_by = nonempty(authorised_by),
                          .event = action ? action : "",
                          .subject = nonempty(subject),
                          .detail = nonempty(detail)};
    int rc = own ? sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) : SQLITE_OK;
    if (rc == SQLITE_OK && append_row(st, &r) == 0 &&
        (!own || sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK))
        return 0;
    log_error("E228", "writing the audit log failed: %s", sqlite3_errmsg(db));
    if (own && !sqlite3_get_autocommit(db))
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    return -1;
}

int store_audit(struct store *st, int64_t at_ms, const char *actor, const char *action,
                const char *subject, const char *detail)
{
    return store_audit_authorised(st, at_ms, actor, NULL, action, subject, detail);
}

/* The detail of a save row: {"seq":N,"row":…,"payload":…,"outbox":…}. */
static int save_detail(sqlite3 *db, int64_t seq, char *out, size_t outlen)
{
    char row[HEX_LEN + 1], payload[HEX_LEN + 1], outbox[HEX_LEN + 1];
    if (table_row_hash(db, "inspections", CHAINED_INSPECTION_COLUMNS, seq, row) != 0 ||
        payload_hash(db, seq, payload) != 0 ||
        table_row_hash(db, "outbox", CHAINED_OUTBOX_COLUMNS, seq, outbox) != 0)
        return -1;
    snprintf(out, outlen, "{\"seq\":%lld,\"row\":\"%s\",\"payload\":\"%s\",\"outbox\":\"%s\"}",
             (long long)seq, row, payload, outbox);
    return 0;
}

int audit_chain_save(struct store *st, int64_t seq, const char *plate, const char *actor,
                     int64_t at_ms, char *err, size_t errlen)
{
    sqlite3 *db = store_db(st);
    char detail[320];
    if (save_detail(db, seq, detail, sizeof detail) < 0) {
        set_err(err, errlen,
                "E270: the saved inspection cannot be read back for the audit"
                " chain: %s",
                sqlite3_errmsg(db));
        return -1;
    }
    struct audit_row r = {
        .at = at_ms, .badge = nonempty(actor), .event = "save", .subject = plate, .detail = detail};
    if (append_row(st, &r) < 0) {
        set_err(err, errlen, "E228: the save cannot be written to the audit log: %s",
                sqlite3_errmsg(db));
        return -1;
    }
    return 0;
}

/* ---- the migration's C part ---------------------------------------------- */

int audit_schema_step(struct store *st, int version, char *err, size_t errlen)
{
    if (version != AUDIT_CHAIN_VERSION)
        return 0;
    sqlite3 *db = store_db(st);
    sqlite3_stmt *s = NULL, *u = NULL;
    char prev[HEX_LEN + 1], hash[HEX_LEN + 1], epoch[40];
    int rc = SQLITE_OK;
    int64_t earlier = 0, adopted = 0;

    /* The epoch: meta is there (version 1 made it; a new database has its
     * row by now). */
    if (sqlite3_prepare_v2(db, "SELECT epoch FROM meta WHERE id = 1", -1, &s, NULL) != SQLITE_OK ||
        sqlite3_step(s) != SQLITE_ROW) {
        sqlite3_finalize(s);
        set_err(err, errlen, "E271: the audit chain cannot start: no station identity");
        return -1;
    }
    snprintf(epoch, sizeof epoch, "%s", col_text(s, 0) ? col_text(s, 0) : "");
    sqlite3_finalize(s);
    genesis(epoch, prev);

    /* The rows written before the chain, chained as they are. */
    rc = sqlite3_prepare_v2(db,
                            "SELECT id, at, badge, authorised_by, event, subject, detail"
                            " FROM audit ORDER BY id",
                            -1, &s, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(db, "UPDATE audit SET hash = ?2 WHERE id = ?1", -1, &u, NULL);
    while (rc == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW) {
        struct audit_row r = {.id = sqlite3_column_int64(s, 0),
                              .at = sqlite3_column_int64(s, 1),
                              .badge = col_text(s, 2),
                              .authorised_by = col_text(s, 3),
                              .event = col_text(s, 4),
                              .subject = col_text(s, 5),
                              .detail = col_text(s, 6)};
        row_hash(prev, &r, hash);
        sqlite3_bind_int64(u, 1, r.id);
        sqlite3_bind_text(u, 2, hash, -1, SQLITE_STATIC);
        if (sqlite3_step(u) != SQLITE_DONE)
            rc = SQLITE_ERROR;
        sqlite3_reset(u);
        memcpy(prev, hash, sizeof prev);
        earlier++;
    }
    sqlite3_finalize(s);
    sqlite3_finalize(u);
    s = u = NULL;
    if (rc != SQLITE_OK)
        goto failed;

    /* The inspections saved before the chain: a save row each, after a row
     * that says where the chain began. */
    int64_t n = 0;
    rc = sqlite3_prepare_v2(db, "SELECT count(*) FROM inspections", -1, &s, NULL);
    if (rc == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        n = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    s = NULL;
    char detail[160];
    snprintf(detail, sizeof detail, "%lld earlier audit rows, %lld inspections", (long long)earlier,
             (long long)n);
    int64_t now = clock_wall_ms();
    struct audit_row start = {.at = now, .event = "chain_start", .detail = detail};
    if (earlier > 0 || n > 0) {
        if (append_row(st, &start) < 0)
            goto failed;
    }
    rc = sqlite3_prepare_v2(db, "SELECT seq, plate, operator FROM inspections ORDER BY seq", -1, &s,
                            NULL);
    while (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        char e[300];
        if (audit_chain_save(st, sqlite3_column_int64(s, 0), col_text(s, 1), col_text(s, 2), now, e,
                             sizeof e) < 0) {
            sqlite3_finalize(s);
            set_err(err, errlen, "E271: the audit chain cannot start: %s", e);
            return -1;
        }
        adopted++;
        rc = SQLITE_OK;
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE && rc != SQLITE_OK)
        goto failed;
    if (sqlite3_exec(db, chain_triggers, NULL, NULL, NULL) != SQLITE_OK)
        goto failed;
    if (earlier > 0 || adopted > 0)
        log_info("I270", "audit chain started over %lld earlier audit rows and %lld inspections",
                 (long long)earlier, (long long)adopted);
    return 0;
failed:
    set_err(err, errlen, "E271: the audit chain cannot start: %s", sqlite3_errmsg(db));
    return -1;
}

/* ---- verifying ------------------------------------------------------------- */

/* Mark seq in a growable bitmap; -1 out of memory. */
struct seqset {
    unsigned char *bits;
    int64_t cap; /* bits */
};

static int seqset_add(struct seqset *set, int64_t seq)
{
    if (seq < 0)
        return 0;
    if (seq >= set->cap) {
        int64_t cap = set->cap ? set->cap : 4096;
        while (cap <= seq)
            cap *= 2;
        unsigned char *b = realloc(set->bits, (size_t)(cap / 8));
        if (!b)
            return -1;
        memset(b + set->cap / 8, 0, (size_t)((cap - set->cap) / 8));
        set->bits = b;
        set->cap = cap;
    }
    set->bits[seq / 8] |= (unsigned char)(1u << (seq % 8));
    return 0;
}

static bool seqset_has(const struct seqset *set, int64_t seq)
{
    return seq >= 0 && seq < set->cap && (set->bits[seq / 8] & (1u << (seq % 8)));
}

__attribute__((format(printf, 3, 4))) static void broken(struct audit_verdict *v, int64_t id,
                                                         const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(v->problem, sizeof v->problem, fmt, ap);
    va_end(ap);
    v->intact = false;
    v->broken_id = id;
}

/* One save row: the inspection and outbox row it names still hash the same.
 * pruned: outbox rows up to it were removed on purpose (retention). Returns
 * 0 checked (v says how), -1 a read failed. */
static int check_save(sqlite3 *db, struct audit_verdict *v, int64_t id, const char *subject,
                      const char *detail, int64_t pruned, struct seqset *saved)
{
    cJSON *d = detail ? cJSON_Parse(detail) : NULL;
    cJSON *jseq = cJSON_GetObjectItemCaseSensitive(d, "seq");
    const char *want_row = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(d, "row"));
    const char *want_payload = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(d, "payload"));
    const char *want_outbox = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(d, "outbox"));
    if (!cJSON_IsNumber(jseq) || !want_row || !want_payload || !want_outbox) {
        broken(v, id, "E273: audit row %lld (save of %s) does not say what was saved",
               (long long)id, subject ? subject : "?");
        cJSON_Delete(d);
        return 0;
    }
    int64_t seq = (int64_t)jseq->valuedouble;
    char got[HEX_LEN + 1];
    int rc = 0;
    if (seqset_has(saved, seq)) {
        broken(v, id, "E274: audit row %lld saves inspection seq %lld a second time", (long long)id,
               (long long)seq);
        goto out;
    }
    if (seqset_add(saved, seq) < 0) {
        rc = -1;
        goto out;
    }
    int r = table_row_hash(db, "inspections", CHAINED_INSPECTION_COLUMNS, seq, got);
    if (r < 0) {
        rc = -1;
        goto out;
    }
    if (r == 1) {
        broken(v, id, "E275: audit row %lld: inspection seq %lld (%s) is missing", (long long)id,
               (long long)seq, subject ? subject : "?");
        goto out;
    }
    if (strcmp(got, want_row) != 0) {
        broken(v, id,
               "E276: audit row %lld: inspection seq %lld (%s) was changed after it was"
               " saved",
               (long long)id, (long long)seq, subject ? subject : "?");
        goto out;
    }
    r = payload_hash(db, seq, got);
    if (r < 0) {
        rc = -1;
        goto out;
    }
    if (r == 1) {
        if (seq > pruned)
            broken(v, id, "E277: audit row %lld: the outbox row of seq %lld (%s) is missing",
                   (long long)id, (long long)seq, subject ? subject : "?");
        goto out;
    }
    if (strcmp(got, want_payload) != 0 ||
        table_row_hash(db, "outbox", CHAINED_OUTBOX_COLUMNS, seq, got) != 0 ||
        strcmp(got, want_outbox) != 0) {
        broken(v, id,
               "E278: audit row %lld: the outbox row of seq %lld (%s) was changed after"
               " it was saved",
               (long long)id, (long long)seq, subject ? subject : "?");
        goto out;
    }
out:
    cJSON_Delete(d);
    return rc;
}

/* Every inspection and outbox row has its save row. */
static int check_unsaved(sqlite3 *db, struct audit_verdict *v, const struct seqset *saved)
{
    static const char *const sql[2] = {"SELECT seq, plate FROM inspections ORDER BY seq",
                                       "SELECT seq, NULL FROM outbox ORDER BY seq"};
    for (int k = 0; k < 2 && v->intact; k++) {
        sqlite3_stmt *s = NULL;
        int rc = sqlite3_prepare_v2(db, sql[k], -1, &s, NULL);
        while (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
            int64_t seq = sqlite3_column_int64(s, 0);
            if (!seqset_has(saved, seq)) {
                if (k == 0)
                    broken(v, 0,
                           "E279: inspection seq %lld (%s) is in no save row of the audit"
                           " chain: it was not saved by the station",
                           (long long)seq, col_text(s, 1) ? col_text(s, 1) : "?");
                else
                    broken(v, 0, "E279: outbox row seq %lld is in no save row of the audit chain",
                           (long long)seq);
                rc = SQLITE_DONE;
                break;
            }
            if (k == 0)
                v->inspections++;
            rc = SQLITE_OK;
        }
        sqlite3_finalize(s);
        if (rc != SQLITE_DONE)
            return -1;
    }
    return 0;
}

/* The triggers that keep the tables append-only are what a new database of
 * this program gets: none missing, none changed, none added. 0 checked (v
 * says how), -1 error. */
static int check_triggers(sqlite3 *db, struct audit_verdict *v)
{
    struct store *fresh = NULL;
    char e[300];
    if (store_open(":memory:", "VERIFY", &fresh, e, sizeof e) != 0)
        return -1;
    static const char sql[] = "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
                              " ORDER BY name";
    sqlite3_stmt *want = NULL, *have = NULL;
    int rc = sqlite3_prepare_v2(store_db(fresh), sql, -1, &want, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(db, sql, -1, &have, NULL);
    while (rc == SQLITE_OK && v->intact) {
        int a = sqlite3_step(want), b = sqlite3_step(have);
        if (a == SQLITE_DONE && b == SQLITE_DONE)
            break;
        if ((a != SQLITE_ROW && a != SQLITE_DONE) || (b != SQLITE_ROW && b != SQLITE_DONE)) {
            rc = SQLITE_ERROR;
            break;
        }
        const char *wn = a == SQLITE_ROW ? col_text(want, 0) : NULL;
        const char *hn = b == SQLITE_ROW ? col_text(have, 0) : NULL;
        if (!hn || (wn && strcmp(wn, hn) < 0))
            broken(v, 0, "E263: trigger %s is missing: the table it guards could be changed", wn);
        else if (!wn || strcmp(wn, hn) > 0)
            broken(v, 0, "E263: trigger %s is not one of the station's", hn);
        else if (strcmp(col_text(want, 1) ? col_text(want, 1) : "",
                        col_text(have, 1) ? col_text(have, 1) : "") != 0)
            broken(v, 0, "E263: trigger %s was changed", hn);
    }
    sqlite3_finalize(want);
    sqlite3_finalize(have);
    store_close(fresh);
    return rc == SQLITE_OK ? 0 : -1;
}

int audit_verify(struct store *st, struct audit_verdict *v, char *err, size_t errlen)
{
    sqlite3 *db = store_db(st);
    memset(v, 0, sizeof *v);
    v->intact = true;
    if (sodium_init() < 0) {
        set_err(err, errlen, "E229: libsodium cannot start");
        return -1;
    }
    char prev[HEX_LEN + 1], hash[HEX_LEN + 1];
    genesis(store_epoch(st), prev);
    struct seqset saved = {0};
    int64_t pruned = 0;
    int result = -1;
    if (store_read_begin(st) != SQLITE_OK)
        goto out;
    sqlite3_stmt *s = NULL;
    /* How far retention removed outbox rows, as the chain says (its rows are
     * checked below like any other). */
    if (sqlite3_prepare_v2(db,
                           "SELECT detail FROM audit WHERE event = 'outbox_pruned'"
                           " ORDER BY id DESC LIMIT 1",
                           -1, &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW && col_text(s, 0))
        pruned = strtoll(col_text(s, 0) + strcspn(col_text(s, 0), "0123456789"), NULL, 10);
    sqlite3_finalize(s);
    s = NULL;
    int rc = sqlite3_prepare_v2(db,
                                "SELECT id, at, badge, authorised_by, event, subject, detail, hash"
                                " FROM audit ORDER BY id",
                                -1, &s, NULL);
    int64_t next = 1;
    while (rc == SQLITE_OK && v->intact && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct audit_row r = {.id = sqlite3_column_int64(s, 0),
                              .at = sqlite3_column_int64(s, 1),
                              .badge = col_text(s, 2),
                              .authorised_by = col_text(s, 3),
                              .event = col_text(s, 4),
                              .subject = col_text(s, 5),
                              .detail = col_text(s, 6)};
        const char *stored = col_text(s, 7);
        rc = SQLITE_OK;
        v->rows++;
        if (r.id != next) {
            broken(v, r.id, "E272: audit row %lld follows row %lld: row %lld is missing",
                   (long long)r.id, (long long)next - 1, (long long)next);
            break;
        }
        row_hash(prev, &r, hash);
        if (!stored || strcmp(stored, hash) != 0) {
            broken(v, r.id, "E272: audit row %lld (%s) was changed, or a row before it was",
                   (long long)r.id, r.event ? r.event : "?");
            break;
        }
        if (r.event && strcmp(r.event, "save") == 0 &&
            check_save(db, v, r.id, r.subject, r.detail, pruned, &saved) < 0) {
            rc = SQLITE_ERROR;
            break;
        }
        memcpy(prev, hash, sizeof prev);
        next++;
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE && rc != SQLITE_OK)
        goto out;
    if (v->intact && check_unsaved(db, v, &saved) < 0)
        goto out;
    if (v->intact && check_triggers(db, v) < 0)
        goto out;
    result = 0;
out:
    if (result < 0)
        set_err(err, errlen, "E260: the audit chain cannot be read: %s", sqlite3_errmsg(db));
    store_read_end(st);
    free(saved.bits);
    return result;
}

/* ---- to head office --------------------------------------------------------- */

int64_t audit_last_id(struct store *st, char *err, size_t errlen)
{
    sqlite3 *db = store_db(st);
    sqlite3_stmt *s = NULL;
    int64_t n = -1;
    if (sqlite3_prepare_v2(db, "SELECT coalesce(max(id), 0) FROM audit", -1, &s, NULL) ==
            SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW)
        n = sqlite3_column_int64(s, 0);
    if (n < 0)
        set_err(err, errlen, "E702: cannot read the audit log: %s", sqlite3_errmsg(db));
    sqlite3_finalize(s);
    return n;
}

int audit_fetch(struct store *st, int64_t after, int64_t upto, struct outbox_batch *b, char *err,
                size_t errlen)
{
    sqlite3 *db = store_db(st);
    memset(b, 0, sizeof *b);
    int64_t first = after + 1;
    int n = (int)(upto - first + 1);
    b->records = calloc((size_t)(n > 0 ? n : 1), sizeof *b->records);
    b->lens = calloc((size_t)(n > 0 ? n : 1), sizeof *b->lens);
    if (!b->records || !b->lens) {
        set_err(err, errlen, "E710: out of memory");
        goto fail;
    }
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(db,
                                "SELECT id, at, badge, authorised_by, event, subject, detail, hash"
                                " FROM audit WHERE id BETWEEN ?1 AND ?2 ORDER BY id",
                                -1, &s, NULL);
    int k = 0;
    if (rc == SQLITE_OK) {
        sqlite3_bind_int64(s, 1, first);
        sqlite3_bind_int64(s, 2, upto);
        while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
            if (k >= n || sqlite3_column_int64(s, 0) != first + k) {
                set_err(err, errlen, "E703: the audit log has a gap before row %lld",
                        (long long)sqlite3_column_int64(s, 0));
                sqlite3_finalize(s);
                b->count = k;
                goto fail;
            }
            cJSON *o = cJSON_CreateObject();
            static const char *const names[] = {"actor",   "authorised_by", "event",
                                                "subject", "detail",        "hash"};
            bool ok = o && cJSON_AddNumberToObject(o, "id", (double)sqlite3_column_int64(s, 0)) &&
                      cJSON_AddNumberToObject(o, "at", (double)sqlite3_column_int64(s, 1));
            for (int c = 0; ok && c < 6; c++)
                if (col_text(s, 2 + c))
                    ok = cJSON_AddStringToObject(o, names[c], col_text(s, 2 + c)) != NULL;
            char *text = ok ? cJSON_PrintUnformatted(o) : NULL;
            cJSON_Delete(o);
            if (!text) {
                set_err(err, errlen, "E710: out of memory");
                sqlite3_finalize(s);
                b->count = k;
                goto fail;
            }
            b->records[k] = text;
            b->lens[k] = strlen(text);
            k++;
        }
    }
    sqlite3_finalize(s);
    b->count = k;
    if (rc != SQLITE_DONE) {
        set_err(err, errlen, "E702: cannot read the audit log: %s", sqlite3_errmsg(db));
        goto fail;
    }
    if (k != n) {
        set_err(err, errlen, "E703: the audit log has a gap: %d of rows %lld..%lld", k,
                (long long)first, (long long)upto);
        goto fail;
    }
    b->first = first;
    b->last = upto;
    return 0;
fail:
    outbox_batch_free(b);
    return -1;
}

int audit_progress(struct store *st, const char *target, int64_t *sent, int64_t *intent_last,
                   char *err, size_t errlen)
{
    sqlite3 *db = store_db(st);
    sqlite3_stmt *s = NULL;
    *sent = *intent_last = 0;
    int rc = sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
    sqlite3_stmt *ins = NULL;
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO audit_sync (target) VALUES (?1)", -1,
                                &ins, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(ins, 1, target, -1, SQLITE_STATIC);
        rc = sqlite3_step(ins) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
    }
    sqlite3_finalize(ins);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(db, "SELECT sent_id, intent_last FROM audit_sync WHERE target = ?1",
                                -1, &s, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(s, 1, target, -1, SQLITE_STATIC);
        rc = sqlite3_step(s) == SQLITE_ROW ? SQLITE_OK : SQLITE_ERROR;
        if (rc == SQLITE_OK) {
            *sent = sqlite3_column_int64(s, 0);
            *intent_last = sqlite3_column_int64(s, 1);
        }
    }
    sqlite3_finalize(s);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        set_err(err, errlen, "E704: cannot read how far the audit log was sent: %s",
                sqlite3_errmsg(db));
        if (!sqlite3_get_autocommit(db))
            sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        return -1;
    }
    return 0;
}

int audit_mark_sent(struct store *st, const char *target, int64_t sent, int64_t intent_last,
                    char *err, size_t errlen)
{
    sqlite3 *db = store_db(st);
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(db,
                                "UPDATE audit_sync SET sent_id = ?2, intent_last = ?3"
                                " WHERE target = ?1",
                                -1, &s, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(s, 1, target, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 2, sent);
        sqlite3_bind_int64(s, 3, intent_last);
        rc = sqlite3_step(s) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_OK) {
        set_err(err, errlen, "E704: cannot record how far the audit log was sent: %s",
                sqlite3_errmsg(db));
        return -1;
    }
    return 0;
}
