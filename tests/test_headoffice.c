/*
 * test_headoffice.c — head office's schema against a station login that
 * attacks it, on a real PostgreSQL (tests/sync_fixture.h).
 *
 * The attack: a SECURITY DEFINER function whose search_path lets pg_temp
 * come first resolves `stations` to the caller's temporary table, so a login
 * that makes TEMP TABLE stations with a row naming another station reads
 * that station's site's manifests (triage.manifests_since) and pushes
 * outcomes as that station (triage.push_outcomes). The same trick with a
 * temporary function, operator and type. Replayed:
 *   1. against a copy of the first release's definitions (schema "vuln"),
 *      where it must work: the replay is real;
 *   2. against sync/headoffice.sql as a station login, where it must fail:
 *      the login cannot make temporary objects at all (TEMP revoked from
 *      PUBLIC), and when TEMPORARY is granted back to it, every function
 *      still finds only its own objects (search_path with pg_temp last, and
 *      every name qualified).
 * And what a station login may do at all: EXECUTE on exactly the seven
 * functions it calls, no table privilege, every SECURITY DEFINER function
 * with search_path = triage, pg_catalog, pg_temp.
 */
#include "sync_fixture.h"

static struct pgc cluster;
static PGconn *admin;

/* A connection as a station login over TCP. */
static PGconn *login_as(const char *role)
{
    char ci[300];
    snprintf(ci, sizeof ci,
             "host=127.0.0.1 port=%d user=%s password=pw-for-station dbname=postgres"
             " sslmode=disable",
             cluster.port, role);
    PGconn *c = PQconnectdb(ci);
    if (PQstatus(c) != CONNECTION_OK) {
        fprintf(stderr, "login as %s: %s", role, PQerrorMessage(c));
        PQfinish(c);
        return NULL;
    }
    PQclear(PQexec(c, "SET client_min_messages = warning"));
    return c;
}

/* Run sql on c; 0 when it succeeded, else -1 with the server's message in
 * msg (and its SQLSTATE in state). */
static int try_sql(PGconn *c, const char *sql, char *msg, size_t msglen, char state[6])
{
    PGresult *r = PQexec(c, sql);
    ExecStatusType s = PQresultStatus(r);
    int rc = s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK ? 0 : -1;
    if (msg)
        snprintf(msg, msglen, "%s", rc ? PQresultErrorMessage(r) : "");
    if (state) {
        const char *st = PQresultErrorField(r, PG_DIAG_SQLSTATE);
        snprintf(state, 6, "%s", st ? st : "");
    }
    PQclear(r);
    return rc;
}

/* How many manifest rows of site `site` a query returns (-1 on error). */
static long long rows_of_site(PGconn *c, const char *fn, const char *station, const char *site)
{
    char sql[400];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM %s('%s', '-infinity') m WHERE m.rma LIKE '%s-%%'", fn, station,
             site);
    PGresult *r = PQexec(c, sql);
    long long n = PQresultStatus(r) == PGRES_TUPLES_OK ? atoll(PQgetvalue(r, 0, 0)) : -1;
    PQclear(r);
    return n;
}

/* One export record of `station` as a station would send it. */
static const char *record(const char *station, char *buf, size_t len)
{
    snprintf(buf, len,
             "[{\"station\":\"%s\",\"epoch\":\"0123456789abcdef0123456789abcdef\",\"seq\":1,"
             "\"plate\":\"%s-000001\",\"rma\":\"RMA-X\",\"operator\":\"G1\","
             "\"started_at\":\"2026-11-23T10:00:00Z\",\"finished_at\":\"2026-11-23T10:01:00Z\","
             "\"grade\":\"A\"}]",
             station, station);
    return buf;
}

/* push_outcomes as `station` through connection c: 0 stored, -1 refused. */
static int push_as(PGconn *c, const char *station, char *msg, size_t msglen)
{
    char rec[600], sql[1200];
    record(station, rec, sizeof rec);
    snprintf(sql, sizeof sql,
             "SELECT * FROM triage.push_outcomes('%s', '0123456789abcdef0123456789abcdef', 1, 1,"
             " '%s'::json)",
             station, rec);
    return try_sql(c, sql, msg, msglen, NULL);
}

/* The first release's station functions, as they were (search_path
 * without pg_temp, unqualified names), in a schema of their own. */
static const char vulnerable[] =
    "CREATE SCHEMA vuln;"
    "CREATE FUNCTION vuln.station_site(p_station text) RETURNS text"
    " LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = triage, pg_catalog AS $$"
    " DECLARE v_site text; BEGIN"
    "  SELECT s.site INTO v_site FROM stations s"
    "   WHERE s.station = p_station AND s.db_role = session_user;"
    "  IF v_site IS NULL THEN RAISE EXCEPTION 'E740'; END IF;"
    "  RETURN v_site; END $$;"
    "CREATE FUNCTION vuln.manifests_since(p_station text, p_since timestamptz)"
    " RETURNS TABLE (rma text) LANGUAGE plpgsql STABLE SECURITY DEFINER"
    " SET search_path = triage, pg_catalog AS $$"
    " DECLARE v_site text; BEGIN"
    "  SELECT s.site INTO v_site FROM stations s"
    "   WHERE s.station = p_station AND s.db_role = session_user;"
    "  IF v_site IS NULL THEN RAISE EXCEPTION 'E740'; END IF;"
    "  RETURN QUERY SELECT m.rma FROM manifests m WHERE m.site = v_site"
    "   AND m.updated_at > p_since; END $$;"
    "GRANT USAGE ON SCHEMA vuln TO triage_station;"
    "GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA vuln TO triage_station;";

/* The temporary table of the attack: a row saying this login syncs
 * SH02-S01 (of site SH02), and one moving SH01-S01 to site SH02. */
static const char temp_stations[] =
    "CREATE TEMP TABLE stations (station text, site text, db_role name, created_at timestamptz);"
    "INSERT INTO stations VALUES ('SH02-S01', 'SH02', session_user, now()),"
    " ('SH01-S01', 'SH02', session_user, now());";

static void test_control(void)
{
    /* A login that may make temporary tables, against the old definitions. */
    CHECK(pgc_exec(admin, vulnerable) == 0);
    CHECK(pgc_exec(admin, "GRANT TEMPORARY ON DATABASE postgres TO st_a") == 0);
    PGconn *a = login_as("st_a");
    CHECK(a != NULL);
    if (!a)
        return;
    CHECK_INT(rows_of_site(a, "vuln.manifests_since", "SH01-S01", "SH01"), 3);
    CHECK_INT(rows_of_site(a, "vuln.manifests_since", "SH02-S01", "SH02"), -1); /* E740 */
    PQfinish(a);
    a = login_as("st_a");
    char msg[400];
    CHECK(try_sql(a, temp_stations, msg, sizeof msg, NULL) == 0);
    long long leaked = rows_of_site(a, "vuln.manifests_since", "SH02-S01", "SH02");
    printf("# control: the first release's manifests_since with a temporary `stations`: %lld"
           " rows of site SH02 read by SH01's login\n",
           leaked);
    CHECK_INT(leaked, 2);
    CHECK_INT(rows_of_site(a, "vuln.manifests_since", "SH01-S01", "SH02"), 2);
    PQfinish(a);
    CHECK(pgc_exec(admin, "REVOKE TEMPORARY ON DATABASE postgres FROM st_a") == 0);
}

/* TEMPORARY is revoked from PUBLIC: a station login makes nothing
 * temporary. */
static void test_no_temp(void)
{
    PGconn *b = login_as("st_b");
    CHECK(b != NULL);
    if (!b)
        return;
    char msg[400], state[6];
    CHECK(try_sql(b, temp_stations, msg, sizeof msg, state) != 0);
    CHECK_STR(state, "42501"); /* insufficient_privilege */
    printf("# a station login making TEMP TABLE stations: %s", msg);
    CHECK(try_sql(b, "CREATE FUNCTION pg_temp.f() RETURNS int LANGUAGE sql AS 'SELECT 1'", msg,
                  sizeof msg, state) != 0);
    CHECK_STR(state, "42501");
    CHECK_INT(pgc_value(admin, "SELECT count(*) FROM pg_roles r WHERE r.rolname IN"
                               " ('st_a', 'st_b', 'triage_station')"
                               " AND has_database_privilege(r.oid, 'postgres', 'TEMPORARY')"),
              0);
    PQfinish(b);
}

/* With TEMPORARY granted back, the same tricks through the real functions
 * cross neither stations nor sites. */
static void test_attack(void)
{
    CHECK(pgc_exec(admin, "GRANT TEMPORARY ON DATABASE postgres TO st_a") == 0);
    PGconn *a = login_as("st_a");
    CHECK(a != NULL);
    if (!a)
        return;
    char msg[400];
    /* 1: a temporary `stations` */
    CHECK(try_sql(a, temp_stations, msg, sizeof msg, NULL) == 0);
    CHECK_INT(rows_of_site(a, "triage.manifests_since", "SH02-S01", "SH02"), -1);
    CHECK_INT(rows_of_site(a, "triage.manifests_since", "SH01-S01", "SH02"), 0);
    CHECK_INT(rows_of_site(a, "triage.manifests_since", "SH01-S01", "SH01"), 3);
    CHECK(push_as(a, "SH02-S01", msg, sizeof msg) != 0);
    CHECK(strstr(msg, "E740") != NULL);
    printf("# temporary `stations`, push_outcomes as SH02-S01: %s", msg);
    CHECK(try_sql(a, "SELECT triage.station_watermark('SH02-S01', 'e')", msg, sizeof msg, NULL) !=
          0);
    CHECK(try_sql(a, "SELECT triage.audit_watermark('SH02-S01', 'e')", msg, sizeof msg, NULL) != 0);
    CHECK(strstr(msg, "E740") != NULL);
    CHECK(try_sql(a,
                  "SELECT * FROM triage.push_audit('SH02-S01', 'e', 1, 1, '[{\"id\":1,\"at\":1,"
                  "\"event\":\"x\",\"hash\":\"h\"}]')",
                  msg, sizeof msg, NULL) != 0);
    CHECK(strstr(msg, "E740") != NULL);

    /* 2: temporary tables for the others a function reads */
    CHECK(try_sql(a,
                  "CREATE TEMP TABLE manifests (site text, rma text, order_id text, sku text,"
                  " gtin text, serial text, description text, reason text, delivered_at date,"
                  " updated_at timestamptz);"
                  "INSERT INTO manifests SELECT 'SH01', 'SH01-FAKE', '', 'PH-1', '', '', '', '',"
                  " NULL, now();"
                  "CREATE TEMP TABLE station_watermarks (station text, epoch text, seq bigint,"
                  " last_push_at timestamptz, audit_id bigint);"
                  "INSERT INTO station_watermarks VALUES ('SH01-S01', 'e', 999, now(), 999)",
                  msg, sizeof msg, NULL) == 0);
    CHECK_INT(rows_of_site(a, "triage.manifests_since", "SH01-S01", "SH01"), 3);
    PGresult *r = PQexec(a, "SELECT triage.station_watermark('SH01-S01', 'e')");
    CHECK(PQresultStatus(r) == PGRES_TUPLES_OK && strcmp(PQgetvalue(r, 0, 0), "0") == 0);
    PQclear(r);

    /* 3: temporary functions named as ours and as built-ins the functions
     * call: pg_temp is never searched for functions unless asked, and ours
     * are qualified */
    CHECK(try_sql(a,
                  "CREATE FUNCTION pg_temp.station_site(text) RETURNS text LANGUAGE sql"
                  " AS $$SELECT 'SH02'$$;"
                  "CREATE FUNCTION pg_temp.to_char(date, text) RETURNS text LANGUAGE sql"
                  " AS $$SELECT 'leak'$$;"
                  "CREATE FUNCTION pg_temp.json_array_length(json) RETURNS int LANGUAGE sql"
                  " AS $$SELECT 0$$;",
                  msg, sizeof msg, NULL) == 0);
    CHECK_INT(rows_of_site(a, "triage.manifests_since", "SH01-S01", "SH01"), 3);
    CHECK_INT(rows_of_site(a, "triage.manifests_since", "SH01-S01", "SH02"), 0);
    CHECK(push_as(a, "SH02-S01", msg, sizeof msg) != 0);

    /* 4: temporary operators that make every comparison true */
    CHECK(try_sql(a,
                  "CREATE FUNCTION pg_temp.yes(text, text) RETURNS boolean LANGUAGE sql"
                  " AS $$SELECT true$$;"
                  "CREATE FUNCTION pg_temp.yes_n(name, name) RETURNS boolean LANGUAGE sql"
                  " AS $$SELECT true$$;"
                  "CREATE OPERATOR pg_temp.= (leftarg = text, rightarg = text,"
                  " function = pg_temp.yes);"
                  "CREATE OPERATOR pg_temp.= (leftarg = name, rightarg = name,"
                  " function = pg_temp.yes_n);",
                  msg, sizeof msg, NULL) == 0);
    CHECK_INT(rows_of_site(a, "triage.manifests_since", "SH02-S01", "SH02"), -1);
    CHECK_INT(rows_of_site(a, "triage.manifests_since", "SH01-S01", "SH02"), 0);
    CHECK_INT(rows_of_site(a, "triage.manifests_since", "SH01-S01", "SH01"), 3);
    CHECK(push_as(a, "SH02-S01", msg, sizeof msg) != 0);
    CHECK(strstr(msg, "E740") != NULL);

    /* 5: a temporary type of the record's name */
    CHECK(try_sql(a, "CREATE TYPE pg_temp.outcome_record AS (station text, seq bigint)", msg,
                  sizeof msg, NULL) == 0);
    CHECK(push_as(a, "SH02-S01", msg, sizeof msg) != 0);
    CHECK(strstr(msg, "E740") != NULL);

    /* Its own station still works, in the same session, with every trick
     * in place, and stores the record under its own station only. */
    CHECK(push_as(a, "SH01-S01", msg, sizeof msg) == 0);
    PQfinish(a);
    CHECK_INT(pgc_value(admin, "SELECT count(*) FROM triage.outcomes WHERE station = 'SH02-S01'"),
              0);
    CHECK_INT(pgc_value(admin, "SELECT count(*) FROM triage.outcomes WHERE station = 'SH01-S01'"
                               " AND site = 'SH01'"),
              1);
    CHECK(pgc_exec(admin, "REVOKE TEMPORARY ON DATABASE postgres FROM st_a") == 0);
}

/* What a station login holds: seven functions, no table. */
static void test_privileges(void)
{
    CHECK_INT(pgc_value(admin, "SELECT count(*) FROM pg_proc p"
                               " WHERE p.pronamespace = 'triage'::regnamespace AND p.prosecdef"
                               " AND NOT coalesce(p.proconfig @>"
                               "  ARRAY['search_path=triage, pg_catalog, pg_temp'], false)"),
              0);
    CHECK(pgc_value(admin, "SELECT count(*) FROM pg_proc p"
                           " WHERE p.pronamespace = 'triage'::regnamespace AND p.prosecdef") >= 7);
    PGresult *r = PQexec(admin, "SELECT string_agg(p.proname, ',' ORDER BY p.proname)"
                                " FROM pg_proc p WHERE p.pronamespace = 'triage'::regnamespace"
                                " AND has_function_privilege('st_b', p.oid, 'EXECUTE')");
    CHECK(PQresultStatus(r) == PGRES_TUPLES_OK);
    CHECK_STR(PQgetvalue(r, 0, 0),
              "audit_watermark,manifests_since,push_audit,push_outcomes,push_photo,"
              "set_station_timezone,station_watermark");
    PQclear(r);
    CHECK_INT(pgc_value(admin, "SELECT count(*) FROM pg_class c WHERE c.relnamespace ="
                               " 'triage'::regnamespace AND c.relkind IN ('r', 'v', 'S')"
                               " AND (has_table_privilege('st_b', c.oid, 'SELECT')"
                               "  OR has_table_privilege('st_b', c.oid, 'INSERT')"
                               "  OR has_table_privilege('st_b', c.oid, 'UPDATE')"
                               "  OR has_table_privilege('st_b', c.oid, 'DELETE'))"),
              0);
    CHECK_INT(pgc_value(admin, "SELECT count(*) FROM pg_policies WHERE schemaname = 'triage'"), 0);
    PGconn *b = login_as("st_b");
    char msg[400], state[6];
    CHECK(try_sql(b,
                  "INSERT INTO triage.outcomes (station, epoch, seq, site, plate, operator,"
                  " started_at, finished_at, grade, record) VALUES ('SH02-S01', 'e', 7,"
                  " 'SH02', 'p', 'o', now(), now(), 'A', '{}')",
                  msg, sizeof msg, state) != 0);
    CHECK_STR(state, "42501");
    CHECK(try_sql(b, "SELECT * FROM triage.manifests", msg, sizeof msg, state) != 0);
    CHECK_STR(state, "42501");
    CHECK(try_sql(b, "SELECT * FROM triage.audit_verify('SH02-S01')", msg, sizeof msg, state) != 0);
    CHECK_STR(state, "42501");
    PQfinish(b);
}

int main(void)
{
    log_set_level(LOG_ERROR);
    if (pgc_setup(&cluster) != 0) {
        CHECK(!"the PostgreSQL cluster did not start");
        return harness_done();
    }
    admin = pgc_admin(&cluster);
    CHECK(admin != NULL);
    if (!admin)
        return harness_done();
    CHECK(pgc_load_schema(admin) == 0);
    CHECK(pgc_add_station(admin, "st_a", "pw-for-station", "SH01-S01", "SH01") == 0);
    CHECK(pgc_add_station(admin, "st_b", "pw-for-station", "SH02-S01", "SH02") == 0);
    CHECK(pgc_exec(admin, "INSERT INTO triage.manifests (site, rma, sku) VALUES"
                          " ('SH01', 'SH01-1', 'PH-1'), ('SH01', 'SH01-2', 'PH-1'),"
                          " ('SH01', 'SH01-3', 'PH-1'),"
                          " ('SH02', 'SH02-1', 'PH-1'), ('SH02', 'SH02-2', 'PH-1')") == 0);
    test_control();
    test_no_temp();
    test_attack();
    test_privileges();
    PQfinish(admin);
    return harness_done();
}
