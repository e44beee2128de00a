-- headoffice.sql — the head-office side of triage sync (PostgreSQL 13 or later).
--
-- Load it as the owner of the database (re-running it is harmless):
--     psql -v ON_ERROR_STOP=1 -d triage -f sync/headoffice.sql
--
-- Everything lives in the schema "triage". Stations never touch the tables
-- directly for outcomes: they call triage.push_outcomes(), a SECURITY DEFINER
-- function that checks the caller is the role registered for that station,
-- inserts with ON CONFLICT DO NOTHING keyed by (station, epoch, seq), records
-- an alert when a key arrives again with different content (the first
-- content is kept, never overwritten), and advances the station's watermark,
-- all in the caller's one transaction.
--
-- Roles (cluster-wide, made here when missing):
--   triage_station  NOLOGIN group of the station logins: EXECUTE on the seven
--                   functions a station calls, and nothing else: no table
--                   privilege at all (every write goes through a function).
--   triage_bi       NOLOGIN group for reporting tools: SELECT on the views.
-- A station login:  CREATE ROLE st_sh01_s03 LOGIN PASSWORD '…' IN ROLE triage_station;
--                   SELECT triage.register_station('SH01-S03', 'SH01', 'st_sh01_s03');
--
-- The functions stations call are SECURITY DEFINER: they run as the owner of
-- this schema, so nothing they name may be something a caller can put in
-- their way. Each sets search_path = triage, pg_catalog, pg_temp (pg_temp
-- last: a caller's temporary table, type, function or operator never hides
-- ours) and names every table, type and function with its schema as well.
-- TEMPORARY is revoked from PUBLIC on this database, so a station login
-- cannot make temporary objects at all.
--
-- Error ids E740–E749 (ERRORS.md) are raised here.

CREATE SCHEMA IF NOT EXISTS triage;
SET search_path = triage, pg_catalog, pg_temp;

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'triage_station') THEN
        CREATE ROLE triage_station NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'triage_bi') THEN
        CREATE ROLE triage_bi NOLOGIN;
    END IF;
END
$$;

-- ---- tables ---------------------------------------------------------------

-- Which database role may push for which station, and the station's site.
CREATE TABLE IF NOT EXISTS stations (
    station    text PRIMARY KEY,
    site       text NOT NULL,
    db_role    name NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- One row per inspection, every export field plus the raw record.
CREATE TABLE IF NOT EXISTS outcomes (
    station        text NOT NULL,
    epoch          text NOT NULL,
    seq            bigint NOT NULL CHECK (seq > 0),
    site           text NOT NULL,
    plate          text NOT NULL,
    rma            text,
    order_id       text,
    sku            text,
    gtin           text,
    serial         text,
    category       text,
    operator       text NOT NULL,
    started_at     timestamptz NOT NULL,
    finished_at    timestamptz NOT NULL,
    grade          text NOT NULL CHECK (grade IN ('A', 'B', 'C', 'X')),
    cosmetic       text,
    functional     text,
    completeness   text,
    disposition    text,
    responsibility text,
    defects        jsonb NOT NULL DEFAULT '[]',
    answers        jsonb NOT NULL DEFAULT '{}',
    rules_version  text,
    late           boolean NOT NULL DEFAULT false,
    mismatch       boolean NOT NULL DEFAULT false,
    supersedes     text,
    blind          boolean NOT NULL DEFAULT false,
    record         jsonb NOT NULL,
    received_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (station, epoch, seq)
);
CREATE INDEX IF NOT EXISTS outcomes_site_finished ON outcomes (site, finished_at);

-- The item check and the unit (docs/export.md), added to a head office made
-- before them; records sent before leave them NULL.
ALTER TABLE outcomes ADD COLUMN IF NOT EXISTS item_check text
    CHECK (item_check IN ('matched', 'mismatched', 'unverified', 'skipped', 'blind'));
ALTER TABLE outcomes ADD COLUMN IF NOT EXISTS scanned_item text;
ALTER TABLE outcomes ADD COLUMN IF NOT EXISTS wrong_item boolean;
ALTER TABLE outcomes ADD COLUMN IF NOT EXISTS unit integer;
ALTER TABLE outcomes ADD COLUMN IF NOT EXISTS units integer;
ALTER TABLE outcomes ADD COLUMN IF NOT EXISTS extra_unit boolean;

-- The grading policy of an outcome (docs/rules.md, docs/export.md): the
-- checks not asked, the declared reason against what was found, the
-- responsibility the rules suggested and the override reason when the grader
-- confirmed another, the return type and the resolution. Added to a head
-- office made before them; records sent before leave them NULL. A record's
-- "" (no override reason, no return type, no resolution) is NULL here.
ALTER TABLE outcomes ADD COLUMN IF NOT EXISTS skipped jsonb;
ALTER TABLE outcomes ADD COLUMN IF NOT EXISTS reason text;
ALTER TABLE outcomes ADD COLUMN IF NOT EXISTS reason_check text
    CHECK (reason_check IN ('confirmed', 'not_found', 'none'));
ALTER TABLE outcomes ADD COLUMN IF NOT EXISTS responsibility_suggested text;
ALTER TABLE outcomes ADD COLUMN IF NOT EXISTS responsibility_reason text;
ALTER TABLE outcomes ADD COLUMN IF NOT EXISTS return_type text
    CHECK (return_type IN ('quality', 'non_quality'));
ALTER TABLE outcomes ADD COLUMN IF NOT EXISTS resolution text
    CHECK (resolution IN ('refund', 'partial_refund', 'exchange', 'repair', 'reject',
                          'investigate'));

-- The same key sent again with different content: kept here, never applied.
CREATE TABLE IF NOT EXISTS sync_alerts (
    id          bigserial PRIMARY KEY,
    station     text NOT NULL,
    epoch       text NOT NULL,
    seq         bigint NOT NULL,
    kind        text NOT NULL DEFAULT 'conflict',
    existing    jsonb,
    incoming    jsonb NOT NULL,
    incoming_md5 text NOT NULL,
    db_role     name NOT NULL DEFAULT session_user,
    raised_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (station, epoch, seq, incoming_md5)
);

-- Per (station, epoch): every seq up to `seq` is here, without a gap.
CREATE TABLE IF NOT EXISTS station_watermarks (
    station      text NOT NULL,
    epoch        text NOT NULL,
    seq          bigint NOT NULL DEFAULT 0,
    last_push_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (station, epoch)
);

-- ---- the stations' audit chains (added after the first release) -------------
-- outcomes.record_sha256: SHA-256 of the record exactly as the station sent
-- it, which the station's audit chain names. station_watermarks.audit_id:
-- every audit row of the epoch up to it is here.
ALTER TABLE outcomes ADD COLUMN IF NOT EXISTS record_sha256 text;
ALTER TABLE station_watermarks ADD COLUMN IF NOT EXISTS audit_id bigint NOT NULL DEFAULT 0;

-- Each station's audit log as it wrote it: a hash chain (docs/sync.md). Row
-- id's hash is SHA-256 over the hash of row id - 1 (for row 1, over
-- "triage-audit-genesis|<epoch>") and the row's own fields
-- (triage.audit_row_hash). Append-only.
CREATE TABLE IF NOT EXISTS audit (
    station       text NOT NULL,
    epoch         text NOT NULL,
    id            bigint NOT NULL CHECK (id > 0),
    at            bigint NOT NULL,
    actor         text,
    authorised_by text,
    event         text NOT NULL,
    subject       text,
    detail        text,
    hash          text NOT NULL,
    received_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (station, epoch, id)
);
CREATE INDEX IF NOT EXISTS audit_epoch_id ON audit (epoch, id);

-- Expected returns, per site; stations pull the rows changed since their
-- last pull (updated_at is set on every insert and update).
CREATE TABLE IF NOT EXISTS manifests (
    site         text NOT NULL,
    rma          text NOT NULL,
    order_id     text NOT NULL DEFAULT '',
    sku          text NOT NULL DEFAULT '',
    gtin         text NOT NULL DEFAULT '',
    serial       text NOT NULL DEFAULT '',
    description  text NOT NULL DEFAULT '',
    reason       text NOT NULL DEFAULT '',
    delivered_at date,
    updated_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (site, rma)
);
CREATE INDEX IF NOT EXISTS manifests_site_updated ON manifests (site, updated_at);
-- The units an RMA expects, one inspection each.
ALTER TABLE manifests ADD COLUMN IF NOT EXISTS quantity integer NOT NULL DEFAULT 1
    CHECK (quantity BETWEEN 1 AND 9999);

CREATE OR REPLACE FUNCTION manifests_touch() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    NEW.updated_at := clock_timestamp();
    RETURN NEW;
END
$$;
DROP TRIGGER IF EXISTS manifests_touch ON manifests;
CREATE TRIGGER manifests_touch BEFORE INSERT OR UPDATE ON manifests
    FOR EACH ROW EXECUTE FUNCTION manifests_touch();

-- Outcomes are append-only at head office too.
CREATE OR REPLACE FUNCTION outcomes_append_only() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RAISE EXCEPTION 'E746: outcomes are append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
DROP TRIGGER IF EXISTS outcomes_append_only ON outcomes;
CREATE TRIGGER outcomes_append_only BEFORE UPDATE OR DELETE ON outcomes
    FOR EACH ROW EXECUTE FUNCTION outcomes_append_only();
DROP TRIGGER IF EXISTS audit_append_only ON audit;
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit
    FOR EACH ROW EXECUTE FUNCTION outcomes_append_only();

-- The shape of one export record (docs/export.md).
DROP TYPE IF EXISTS outcome_record CASCADE;
CREATE TYPE outcome_record AS (
    station text, epoch text, seq bigint, plate text, rma text, order_id text, sku text,
    gtin text, serial text, category text, operator text, started_at timestamptz,
    finished_at timestamptz, grade text, cosmetic text, functional text,
    completeness text, disposition text, responsibility text, defects jsonb,
    answers jsonb, rules_version text, late boolean, mismatch boolean, supersedes text,
    blind boolean, item_check text, scanned_item text, wrong_item boolean, unit integer,
    units integer, extra_unit boolean, skipped jsonb, reason text, reason_check text,
    responsibility_suggested text, responsibility_reason text, return_type text,
    resolution text
);

-- ---- functions stations call ----------------------------------------------
-- Every one is SECURITY DEFINER with search_path = triage, pg_catalog,
-- pg_temp, and names what it uses with its schema (see the top of the file).

-- Register (or move) a station: which login role pushes for it, which site.
-- A renamed station keeps the registration of its earlier id until head
-- office has every outcome it graded under that id (docs/sync.md).
CREATE OR REPLACE FUNCTION register_station(p_station text, p_site text, p_role name)
RETURNS void LANGUAGE sql SET search_path = triage, pg_catalog, pg_temp AS $$
    INSERT INTO triage.stations (station, site, db_role) VALUES (p_station, p_site, p_role)
    ON CONFLICT (station) DO UPDATE SET site = excluded.site, db_role = excluded.db_role;
$$;

-- The site of p_station when the caller may act for it; raises E740 otherwise.
CREATE OR REPLACE FUNCTION station_site(p_station text) RETURNS text
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = triage, pg_catalog, pg_temp AS $$
DECLARE
    v_site text;
BEGIN
    SELECT s.site INTO v_site FROM triage.stations s
     WHERE s.station = p_station AND s.db_role = session_user;
    IF v_site IS NULL THEN
        RAISE EXCEPTION 'E740: role % is not registered to sync station %',
            session_user, p_station USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN v_site;
END
$$;

-- How far head office has every outcome of p_epoch without a gap, under any
-- id of a station registered to the same login as p_station: one epoch is
-- one station database, whose numbering goes on when the station is renamed.
CREATE OR REPLACE FUNCTION epoch_watermark(p_station text, p_epoch text, OUT seq bigint,
                                           OUT audit_id bigint)
LANGUAGE sql STABLE SET search_path = triage, pg_catalog, pg_temp AS $$
    SELECT coalesce(max(w.seq), 0), coalesce(max(w.audit_id), 0)
      FROM triage.station_watermarks w
      JOIN triage.stations s ON s.station = w.station
     WHERE w.epoch = p_epoch
       AND s.db_role = (SELECT s2.db_role FROM triage.stations s2 WHERE s2.station = p_station);
$$;

-- How far head office has every outcome of (station, epoch), without a gap.
CREATE OR REPLACE FUNCTION station_watermark(p_station text, p_epoch text) RETURNS bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = triage, pg_catalog, pg_temp AS $$
BEGIN
    PERFORM triage.station_site(p_station);
    RETURN (SELECT w.seq FROM triage.epoch_watermark(p_station, p_epoch) w);
END
$$;

-- Store one batch: p_batch is a JSON array of export records of one
-- (station, epoch), seqs p_first..p_last, each exactly as the station wrote
-- it (json keeps the text, so record_sha256 is the hash the station's audit
-- chain names). Returns what happened.
DROP FUNCTION IF EXISTS push_outcomes(text, text, bigint, bigint, jsonb);
CREATE OR REPLACE FUNCTION push_outcomes(p_station text, p_epoch text, p_first bigint,
                                         p_last bigint, p_batch json,
                                         OUT inserted integer, OUT duplicates integer,
                                         OUT conflicts integer, OUT watermark bigint)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = triage, pg_catalog, pg_temp AS $$
DECLARE
    v_site text := triage.station_site(p_station);
    v_n integer := json_array_length(p_batch);
    v_bad integer;
    v_distinct integer;
BEGIN
    -- One push at a time per station: the watermark row is the lock.
    INSERT INTO triage.station_watermarks (station, epoch) VALUES (p_station, p_epoch)
        ON CONFLICT DO NOTHING;
    PERFORM 1 FROM triage.station_watermarks w
     WHERE w.station = p_station AND w.epoch = p_epoch FOR UPDATE;
    SELECT w.seq INTO watermark FROM triage.epoch_watermark(p_station, p_epoch) w;

    SELECT count(*) FILTER (WHERE r.station IS DISTINCT FROM p_station
                                OR r.epoch IS DISTINCT FROM p_epoch
                                OR r.seq IS NULL OR r.seq < p_first OR r.seq > p_last),
           count(DISTINCT r.seq)
      INTO v_bad, v_distinct
      FROM pg_catalog.json_array_elements(p_batch) e,
           pg_catalog.jsonb_populate_record(NULL::triage.outcome_record, e::jsonb) r;
    IF v_bad > 0 THEN
        RAISE EXCEPTION 'E741: % records of the batch are not of station % epoch % seq %..%',
            v_bad, p_station, p_epoch, p_first, p_last USING ERRCODE = 'data_exception';
    END IF;

    INSERT INTO triage.outcomes (station, epoch, seq, site, plate, rma, order_id, sku, gtin,
                                 serial, category, operator, started_at, finished_at, grade,
                                 cosmetic, functional, completeness, disposition,
                                 responsibility, defects, answers, rules_version, late,
                                 mismatch, supersedes, blind, item_check, scanned_item,
                                 wrong_item, unit, units, extra_unit, skipped, reason,
                                 reason_check, responsibility_suggested, responsibility_reason,
                                 return_type, resolution, record, record_sha256)
    SELECT r.station, r.epoch, r.seq, v_site, r.plate, r.rma, r.order_id, r.sku, r.gtin,
           r.serial, r.category, r.operator, r.started_at, r.finished_at, r.grade, r.cosmetic,
           r.functional, r.completeness, r.disposition, r.responsibility,
           coalesce(r.defects, '[]'), coalesce(r.answers, '{}'), r.rules_version,
           coalesce(r.late, false), coalesce(r.mismatch, false), r.supersedes,
           coalesce(r.blind, false), r.item_check, r.scanned_item, r.wrong_item, r.unit,
           r.units, r.extra_unit, r.skipped, r.reason, r.reason_check,
           r.responsibility_suggested, nullif(r.responsibility_reason, ''),
           nullif(r.return_type, ''), nullif(r.resolution, ''), e::jsonb,
           pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(e::text, 'UTF8')), 'hex')
      FROM pg_catalog.json_array_elements(p_batch) e,
           pg_catalog.jsonb_populate_record(NULL::triage.outcome_record, e::jsonb) r
    ON CONFLICT DO NOTHING;
    GET DIAGNOSTICS inserted = ROW_COUNT;
    duplicates := v_n - inserted;
    conflicts := 0;

    IF duplicates > 0 THEN
        -- A key seen before: the same content is a harmless resend; other
        -- content is an alert (kept once per distinct content).
        WITH differing AS (
            SELECT o.station, o.epoch, o.seq, o.record AS existing, e::jsonb AS incoming
              FROM pg_catalog.json_array_elements(p_batch) e
              JOIN triage.outcomes o ON o.station = p_station AND o.epoch = p_epoch
                                    AND o.seq = (e ->> 'seq')::bigint
             WHERE o.record <> e::jsonb
        ), logged AS (
            INSERT INTO triage.sync_alerts (station, epoch, seq, existing, incoming,
                                            incoming_md5)
            SELECT d.station, d.epoch, d.seq, d.existing, d.incoming,
                   pg_catalog.md5(d.incoming::text)
              FROM differing d
            ON CONFLICT DO NOTHING
        )
        SELECT count(*) INTO conflicts FROM differing;
        duplicates := duplicates - conflicts;
    END IF;

    -- Advance only over a contiguous range that joins what is already here.
    IF p_first <= watermark + 1 AND v_distinct = p_last - p_first + 1
       AND p_last > watermark THEN
        watermark := p_last;
    END IF;
    UPDATE triage.station_watermarks w
       SET seq = greatest(w.seq, watermark), last_push_at = now()
     WHERE w.station = p_station AND w.epoch = p_epoch;
END
$$;

-- Expected returns of the station's site changed after p_since. (Dropped
-- first: a head office made before quantity returned a row without it.)
DROP FUNCTION IF EXISTS manifests_since(text, timestamptz);
CREATE FUNCTION manifests_since(p_station text, p_since timestamptz)
RETURNS TABLE (rma text, order_id text, sku text, gtin text, serial text, description text,
               reason text, delivered_at text, quantity integer, updated_at timestamptz)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = triage, pg_catalog, pg_temp AS $$
DECLARE
    v_site text := triage.station_site(p_station);
BEGIN
    RETURN QUERY
    SELECT m.rma, m.order_id, m.sku, m.gtin, m.serial, m.description, m.reason,
           coalesce(to_char(m.delivered_at, 'YYYY-MM-DD'), ''), m.quantity, m.updated_at
      FROM triage.manifests m
     WHERE m.site = v_site AND m.updated_at > p_since
     ORDER BY m.updated_at, m.rma;
END
$$;

-- ---- the audit chain ----------------------------------------------------------

-- A text field of a chained row: "-" for NULL, else its length in bytes, ':'
-- and the text. The station writes the same (app/store/audit.c).
CREATE OR REPLACE FUNCTION audit_field(p text) RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT CASE WHEN p IS NULL THEN '-' ELSE octet_length(p)::text || ':' || p END;
$$;

-- The hash of an audit row whose predecessor's hash is p_prev.
CREATE OR REPLACE FUNCTION audit_row_hash(p_prev text, p_id bigint, p_at bigint, p_actor text,
                                          p_authorised_by text, p_event text, p_subject text,
                                          p_detail text) RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = triage, pg_catalog, pg_temp AS $$
    SELECT pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(
        'triage-audit-1|' || p_prev || '|' || p_id::text || '|' || p_at::text
        || '|' || triage.audit_field(p_actor) || '|' || triage.audit_field(p_authorised_by)
        || '|' || triage.audit_field(p_event) || '|' || triage.audit_field(p_subject)
        || '|' || triage.audit_field(p_detail), 'UTF8')), 'hex');
$$;

-- What row 1 of an epoch's chain follows.
CREATE OR REPLACE FUNCTION audit_genesis(p_epoch text) RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(
        'triage-audit-genesis|' || p_epoch, 'UTF8')), 'hex');
$$;

-- Every audit row head office holds of p_epoch, from stations registered to
-- the same login as p_station (a renamed station's chain goes on).
CREATE OR REPLACE FUNCTION audit_rows(p_station text, p_epoch text)
RETURNS SETOF triage.audit
LANGUAGE sql STABLE SET search_path = triage, pg_catalog, pg_temp AS $$
    SELECT a.* FROM triage.audit a
      JOIN triage.stations s ON s.station = a.station
     WHERE a.epoch = p_epoch
       AND s.db_role = (SELECT s2.db_role FROM triage.stations s2 WHERE s2.station = p_station)
     ORDER BY a.id;
$$;

-- How far head office has the audit chain of the station's epoch.
CREATE OR REPLACE FUNCTION audit_watermark(p_station text, p_epoch text) RETURNS bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = triage, pg_catalog, pg_temp AS $$
BEGIN
    PERFORM triage.station_site(p_station);
    RETURN (SELECT w.audit_id FROM triage.epoch_watermark(p_station, p_epoch) w);
END
$$;

-- Store audit rows p_first..p_last of the station's epoch (a JSON array of
-- {id, at, actor, authorised_by, event, subject, detail, hash}). A row that
-- came before with other content is an alert (kind 'audit_conflict'); a row
-- whose hash does not follow from its predecessor is stored and alerted
-- (kind 'audit_broken'): head office keeps what the station sent.
CREATE OR REPLACE FUNCTION push_audit(p_station text, p_epoch text, p_first bigint,
                                      p_last bigint, p_rows jsonb,
                                      OUT inserted integer, OUT duplicates integer,
                                      OUT conflicts integer, OUT broken integer,
                                      OUT watermark bigint)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = triage, pg_catalog, pg_temp AS $$
DECLARE
    v_n integer := jsonb_array_length(p_rows);
    v_bad integer;
    v_distinct integer;
    v_prev text;
    r record;
BEGIN
    PERFORM triage.station_site(p_station);
    INSERT INTO triage.station_watermarks (station, epoch) VALUES (p_station, p_epoch)
        ON CONFLICT DO NOTHING;
    PERFORM 1 FROM triage.station_watermarks w
     WHERE w.station = p_station AND w.epoch = p_epoch FOR UPDATE;
    SELECT w.audit_id INTO watermark FROM triage.epoch_watermark(p_station, p_epoch) w;

    SELECT count(*) FILTER (WHERE (e ->> 'id') IS NULL OR (e ->> 'id')::bigint < p_first
                                OR (e ->> 'id')::bigint > p_last OR (e ->> 'at') IS NULL
                                OR (e ->> 'event') IS NULL OR (e ->> 'hash') IS NULL),
           count(DISTINCT (e ->> 'id'))
      INTO v_bad, v_distinct
      FROM pg_catalog.jsonb_array_elements(p_rows) e;
    IF v_bad > 0 THEN
        RAISE EXCEPTION 'E742: % audit rows of the batch are not rows %..% of station %',
            v_bad, p_first, p_last, p_station USING ERRCODE = 'data_exception';
    END IF;

    INSERT INTO triage.audit (station, epoch, id, at, actor, authorised_by, event, subject,
                              detail, hash)
    SELECT p_station, p_epoch, (e ->> 'id')::bigint, (e ->> 'at')::bigint, e ->> 'actor',
           e ->> 'authorised_by', e ->> 'event', e ->> 'subject', e ->> 'detail', e ->> 'hash'
      FROM pg_catalog.jsonb_array_elements(p_rows) e
    ON CONFLICT DO NOTHING;
    GET DIAGNOSTICS inserted = ROW_COUNT;
    duplicates := v_n - inserted;
    conflicts := 0;
    broken := 0;

    IF duplicates > 0 THEN
        WITH differing AS (
            SELECT a.id, pg_catalog.to_jsonb(a) - 'received_at' - 'station' - 'epoch'
                       AS existing, e AS incoming
              FROM pg_catalog.jsonb_array_elements(p_rows) e
              JOIN triage.audit a ON a.station = p_station AND a.epoch = p_epoch
                                 AND a.id = (e ->> 'id')::bigint
             WHERE a.hash <> e ->> 'hash'
        ), logged AS (
            INSERT INTO triage.sync_alerts (station, epoch, seq, kind, existing, incoming,
                                            incoming_md5)
            SELECT p_station, p_epoch, d.id, 'audit_conflict', d.existing, d.incoming,
                   pg_catalog.md5(d.incoming::text)
              FROM differing d
            ON CONFLICT DO NOTHING
        )
        SELECT count(*) INTO conflicts FROM differing;
        duplicates := duplicates - conflicts;
    END IF;

    -- Does each row follow from the one before it? (The row before, looked up
    -- by its key: audit_rows would read the whole chain for each batch.)
    SELECT a.hash INTO v_prev FROM triage.audit a
      JOIN triage.stations s ON s.station = a.station
     WHERE a.epoch = p_epoch AND a.id = p_first - 1
       AND s.db_role = (SELECT s2.db_role FROM triage.stations s2 WHERE s2.station = p_station)
     LIMIT 1;
    IF p_first = 1 THEN
        v_prev := triage.audit_genesis(p_epoch);
    END IF;
    FOR r IN SELECT (e ->> 'id')::bigint AS id, e AS row
               FROM pg_catalog.jsonb_array_elements(p_rows) e
              ORDER BY (e ->> 'id')::bigint LOOP
        IF v_prev IS NOT NULL AND r.row ->> 'hash' IS DISTINCT FROM triage.audit_row_hash(
               v_prev, r.id, (r.row ->> 'at')::bigint, r.row ->> 'actor',
               r.row ->> 'authorised_by', r.row ->> 'event', r.row ->> 'subject',
               r.row ->> 'detail') THEN
            broken := broken + 1;
            INSERT INTO triage.sync_alerts (station, epoch, seq, kind, incoming, incoming_md5)
            VALUES (p_station, p_epoch, r.id, 'audit_broken', r.row,
                    pg_catalog.md5(r.row::text))
            ON CONFLICT DO NOTHING;
        END IF;
        v_prev := r.row ->> 'hash';
    END LOOP;

    IF p_first <= watermark + 1 AND v_distinct = p_last - p_first + 1
       AND p_last > watermark THEN
        watermark := p_last;
    END IF;
    UPDATE triage.station_watermarks w
       SET audit_id = greatest(w.audit_id, watermark), last_push_at = now()
     WHERE w.station = p_station AND w.epoch = p_epoch;
END
$$;

-- Check the audit chain head office holds of a station's epoch (every epoch
-- of the station when p_epoch is NULL): ids from 1 without a gap, each hash
-- following from the row before, and every saved inspection's record hash
-- equal to the record head office received. Returns the first broken row
-- (epoch, id, what is wrong); no row when the chain is intact.
CREATE OR REPLACE FUNCTION audit_verify(p_station text, p_epoch text DEFAULT NULL)
RETURNS TABLE (epoch text, id bigint, problem text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = triage, pg_catalog, pg_temp AS $$
DECLARE
    v_epoch text;
    v_prev text;
    v_next bigint;
    v_detail jsonb;
    v_sha text;
    a record;
BEGIN
    FOR v_epoch IN SELECT DISTINCT x.epoch FROM triage.audit x
                    WHERE x.station = p_station AND (p_epoch IS NULL OR x.epoch = p_epoch)
                    ORDER BY 1 LOOP
        v_prev := triage.audit_genesis(v_epoch);
        v_next := 1;
        FOR a IN SELECT * FROM triage.audit_rows(p_station, v_epoch) LOOP
            IF a.id <> v_next THEN
                RETURN QUERY SELECT v_epoch, a.id,
                    format('row %s is missing (the rows go on at %s)', v_next, a.id);
                RETURN;
            END IF;
            IF a.hash IS DISTINCT FROM triage.audit_row_hash(v_prev, a.id, a.at, a.actor,
                   a.authorised_by, a.event, a.subject, a.detail) THEN
                RETURN QUERY SELECT v_epoch, a.id,
                    'its hash does not follow from the row before it'::text;
                RETURN;
            END IF;
            IF a.event IN ('save', 'save_adopted') AND a.detail LIKE '{%' THEN
                v_detail := a.detail::jsonb;
                SELECT o.record_sha256 INTO v_sha FROM triage.outcomes o
                  JOIN triage.stations s ON s.station = o.station
                 WHERE o.epoch = v_epoch AND o.seq = (v_detail ->> 'seq')::bigint
                   AND s.db_role = (SELECT s2.db_role FROM triage.stations s2
                                     WHERE s2.station = p_station);
                IF v_sha IS NOT NULL AND v_sha <> v_detail ->> 'payload' THEN
                    RETURN QUERY SELECT v_epoch, a.id,
                        format('outcome seq %s differs from what the station saved',
                               v_detail ->> 'seq');
                    RETURN;
                END IF;
            END IF;
            v_prev := a.hash;
            v_next := v_next + 1;
        END LOOP;
    END LOOP;
END
$$;

-- ---- privileges -----------------------------------------------------------
-- Stations hold no table privilege: everything they write goes through the
-- functions above (earlier installs granted INSERT on outcomes, guarded by a
-- policy; both are taken back here). Row-level security stays on, with no
-- policy, so a grant made by mistake still lets nobody but the owner in.

ALTER TABLE outcomes ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS outcomes_station_insert ON outcomes;

REVOKE ALL ON ALL TABLES IN SCHEMA triage FROM PUBLIC;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA triage FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA triage FROM PUBLIC;
REVOKE ALL ON SCHEMA triage FROM PUBLIC;
REVOKE ALL ON ALL TABLES IN SCHEMA triage FROM triage_station;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA triage FROM triage_station;
GRANT USAGE ON SCHEMA triage TO triage_station, triage_bi;
GRANT EXECUTE ON FUNCTION station_watermark(text, text),
    push_outcomes(text, text, bigint, bigint, json), manifests_since(text, timestamptz),
    audit_watermark(text, text), push_audit(text, text, bigint, bigint, jsonb)
    TO triage_station;
GRANT EXECUTE ON FUNCTION audit_verify(text, text) TO triage_bi;

-- No temporary objects for anyone but the owner (and roles head office
-- grants TEMPORARY to itself): a caller's temporary table can then never
-- stand in for one of ours, whatever a function's search_path.
DO $$
BEGIN
    EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
END
$$;

-- ---- views for reporting across sites (triage_bi) ---------------------------
-- `current_outcomes` shows only the latest word on an item. The measures by
-- site and day (grades, throughput, responsibility, dispositions) are
-- statistics views: below, with the statistics' own definitions.

CREATE OR REPLACE VIEW current_outcomes AS
SELECT o.* FROM outcomes o
 WHERE NOT EXISTS (SELECT 1 FROM outcomes n WHERE n.supersedes = o.plate);

-- Stations and how far behind they are (for operations, not BI).
CREATE OR REPLACE VIEW station_sync_status AS
SELECT s.station, s.site, w.epoch, w.seq AS watermark, w.last_push_at,
       (SELECT count(*) FROM sync_alerts a WHERE a.station = s.station) AS alerts
  FROM stations s LEFT JOIN station_watermarks w USING (station);

GRANT SELECT ON current_outcomes, station_sync_status TO triage_bi;

-- ---- statistics views are added below this line -------------------

-- Statistics views
--
-- The measures of the station's stats screen, `triage stats` and `triage
-- report`, across sites, with the same definitions (app/core/stats_report.h):
--   * a day is a calendar day of the outcome's site (its zone: the stations'
--     [station] timezone, sent by each station, see set_station_timezone;
--     UTC until one is known); an outcome belongs to the day it was finished;
--   * what counts is an outcome that stands: calibration records (blind
--     re-grades, `calibrates` set) count only in the agreement views, and an
--     outcome that a re-grade replaced (another outcome of its station and
--     epoch names it in `supersedes`) counts nowhere: its re-grade does;
--   * the wrong-item rate counts the items checked against the manifest only
--     (item_check matched or mismatched; records from before item_check count
--     as checked): mismatch_rate = mismatch / verified, NULL when none was;
--   * items per hour = inspections / distinct local clock hours with at least
--     one (the one definition: grader_throughput is stats_graders' too);
--   * medians are percentile_cont(0.5) (the mean of the two middle values);
--   * the declared reason comes from the manifest of the outcome's site;
--   * defect rate = outcomes with at least one defect code / outcomes;
--   * Cohen's kappa over the 4x4 table of grades; NULL when chance agreement is 1.
-- Per-day views sum over longer ranges (inspections, hours, counts); medians and
-- kappa do not: query the month views or stats_outcomes for those.

-- Each station's zone, sent by the station; a site's zone is its stations'.
ALTER TABLE stations ADD COLUMN IF NOT EXISTS timezone text NOT NULL DEFAULT 'UTC';

-- The record's statistics fields as columns of their own (kept by PostgreSQL
-- from the record), so that a month's numbers never read the whole record.
ALTER TABLE outcomes ADD COLUMN IF NOT EXISTS calibrates text
    GENERATED ALWAYS AS (record ->> 'calibrates') STORED;
ALTER TABLE outcomes ADD COLUMN IF NOT EXISTS calibration_due boolean
    GENERATED ALWAYS AS (coalesce((record ->> 'calibration_due')::boolean, false)) STORED;
ALTER TABLE outcomes ADD COLUMN IF NOT EXISTS step_ms jsonb
    GENERATED ALWAYS AS (coalesce(record -> 'step_ms', '{}'::jsonb)) STORED;
-- The re-grades that replaced an outcome, and the blind re-grades, by the
-- plate they name.
CREATE INDEX IF NOT EXISTS outcomes_supersedes ON outcomes (station, epoch, supersedes)
    WHERE supersedes IS NOT NULL;
CREATE INDEX IF NOT EXISTS outcomes_calibrates ON outcomes (station, epoch, calibrates)
    WHERE calibrates IS NOT NULL;
CREATE INDEX IF NOT EXISTS outcomes_plate ON outcomes (station, epoch, plate);

-- A station says its zone (every sync connection): the caller must be the
-- station's role, the zone one PostgreSQL knows (E749 otherwise).
CREATE OR REPLACE FUNCTION set_station_timezone(p_station text, p_timezone text)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = triage, pg_catalog, pg_temp AS $$
BEGIN
    PERFORM triage.station_site(p_station);
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_timezone_names z WHERE z.name = p_timezone) THEN
        RAISE EXCEPTION 'E749: "%" is not a time zone head office knows', p_timezone
            USING ERRCODE = 'data_exception';
    END IF;
    UPDATE triage.stations s SET timezone = p_timezone
     WHERE s.station = p_station AND s.timezone IS DISTINCT FROM p_timezone;
END
$$;
REVOKE ALL ON FUNCTION set_station_timezone(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION set_station_timezone(text, text) TO triage_station;

-- Made again whole: outcomes has columns added (item_check …) before "day".
DROP VIEW IF EXISTS stats_outcomes CASCADE;
DROP VIEW IF EXISTS site_zones CASCADE;
DROP VIEW IF EXISTS grades_by_site_day, grader_throughput, responsibility_split,
    disposition_split;

CREATE VIEW site_zones AS
SELECT site, min(timezone) AS timezone FROM stations GROUP BY site;

-- The outcomes that count, each with its site's zone, local day and hour.
CREATE VIEW stats_outcomes AS
SELECT o.*, coalesce(z.timezone, 'UTC') AS timezone,
       (o.finished_at AT TIME ZONE coalesce(z.timezone, 'UTC'))::date AS day,
       date_trunc('hour', o.finished_at AT TIME ZONE coalesce(z.timezone, 'UTC')) AS local_hour
  FROM outcomes o LEFT JOIN site_zones z ON z.site = o.site
 WHERE o.calibrates IS NULL
   AND NOT EXISTS (SELECT 1 FROM outcomes n
                    WHERE n.station = o.station AND n.epoch = o.epoch
                      AND n.supersedes = o.plate);

-- Outcomes a re-grade replaced (not counted), with their site's local day.
CREATE VIEW stats_superseded AS
SELECT o.site, o.station, o.epoch, o.plate, o.finished_at,
       (o.finished_at AT TIME ZONE coalesce(z.timezone, 'UTC'))::date AS day
  FROM outcomes o LEFT JOIN site_zones z ON z.site = o.site
 WHERE o.calibrates IS NULL
   AND EXISTS (SELECT 1 FROM outcomes n
                WHERE n.station = o.station AND n.epoch = o.epoch AND n.supersedes = o.plate);

CREATE OR REPLACE VIEW stats_site_day AS
SELECT site, day, count(*) AS inspections,
       count(*) FILTER (WHERE grade = 'A') AS grade_a,
       count(*) FILTER (WHERE grade = 'B') AS grade_b,
       count(*) FILTER (WHERE grade = 'C') AS grade_c,
       count(*) FILTER (WHERE grade = 'X') AS grade_x,
       count(*) FILTER (WHERE late) AS late,
       count(*) FILTER (WHERE mismatch) AS mismatch,
       round(count(*) FILTER (WHERE late)::numeric / count(*), 4) AS late_rate,
       round(count(*) FILTER (WHERE mismatch)::numeric
             / nullif(count(*) FILTER (WHERE coalesce(item_check, 'matched')
                                             IN ('matched', 'mismatched')), 0), 4)
           AS mismatch_rate,
       count(*) FILTER (WHERE jsonb_array_length(defects) > 0) AS with_defects,
       count(*) FILTER (WHERE calibration_due) AS calibration_due,
       count(*) FILTER (WHERE coalesce(item_check, 'matched') IN ('matched', 'mismatched'))
           AS verified
  FROM stats_outcomes
 GROUP BY site, day;

CREATE OR REPLACE VIEW stats_dispositions AS
SELECT site, day, coalesce(disposition, 'none') AS disposition, count(*) AS inspections
  FROM stats_outcomes
 GROUP BY site, day, coalesce(disposition, 'none');

-- Responsibility over time: per site, day and party.
CREATE OR REPLACE VIEW stats_responsibility AS
SELECT site, day, coalesce(responsibility, 'none') AS responsibility, count(*) AS inspections
  FROM stats_outcomes
 GROUP BY site, day, coalesce(responsibility, 'none');

CREATE OR REPLACE VIEW stats_defects AS
SELECT o.site, o.day, d.code, count(*) AS inspections
  FROM stats_outcomes o CROSS JOIN LATERAL jsonb_array_elements_text(o.defects) AS d(code)
 GROUP BY o.site, o.day, d.code;

-- By category and by SKU, per site and day: sum over a range, then
-- defect_rate = with_defects / inspections.
CREATE OR REPLACE VIEW stats_categories AS
SELECT site, day, coalesce(category, '') AS category, count(*) AS inspections,
       count(*) FILTER (WHERE jsonb_array_length(defects) > 0) AS with_defects,
       count(*) FILTER (WHERE late) AS late,
       count(*) FILTER (WHERE mismatch) AS mismatch,
       count(*) FILTER (WHERE coalesce(item_check, 'matched') IN ('matched', 'mismatched'))
           AS verified,
       count(*) FILTER (WHERE grade = 'A') AS grade_a,
       count(*) FILTER (WHERE grade = 'B') AS grade_b,
       count(*) FILTER (WHERE grade = 'C') AS grade_c,
       count(*) FILTER (WHERE grade = 'X') AS grade_x,
       count(*) FILTER (WHERE responsibility IS NULL) AS resp_none,
       count(*) FILTER (WHERE responsibility = 'merchant') AS resp_merchant,
       count(*) FILTER (WHERE responsibility = 'logistics') AS resp_logistics,
       count(*) FILTER (WHERE responsibility = 'customer') AS resp_customer,
       count(*) FILTER (WHERE responsibility = 'platform') AS resp_platform
  FROM stats_outcomes
 GROUP BY site, day, coalesce(category, '');

CREATE OR REPLACE VIEW stats_skus AS
SELECT site, day, coalesce(sku, '') AS sku, count(*) AS inspections,
       count(*) FILTER (WHERE jsonb_array_length(defects) > 0) AS with_defects,
       count(*) FILTER (WHERE late) AS late,
       count(*) FILTER (WHERE mismatch) AS mismatch,
       count(*) FILTER (WHERE coalesce(item_check, 'matched') IN ('matched', 'mismatched'))
           AS verified,
       count(*) FILTER (WHERE grade = 'A') AS grade_a,
       count(*) FILTER (WHERE grade = 'B') AS grade_b,
       count(*) FILTER (WHERE grade = 'C') AS grade_c,
       count(*) FILTER (WHERE grade = 'X') AS grade_x,
       count(*) FILTER (WHERE responsibility IS NULL) AS resp_none,
       count(*) FILTER (WHERE responsibility = 'merchant') AS resp_merchant,
       count(*) FILTER (WHERE responsibility = 'logistics') AS resp_logistics,
       count(*) FILTER (WHERE responsibility = 'customer') AS resp_customer,
       count(*) FILTER (WHERE responsibility = 'platform') AS resp_platform
  FROM stats_outcomes
 GROUP BY site, day, coalesce(sku, '');

-- Declared reason against what was found: "functions OK" = every function
-- check passed (functional sub-grade A); confirmed and not found: the reason
-- check the station's rules recorded. The declared reason is the record's
-- (the manifest's for records sent before it was in the record).
CREATE OR REPLACE VIEW stats_reasons AS
SELECT o.site, o.day, coalesce(o.reason, m.reason) AS reason, count(*) AS inspections,
       count(*) FILTER (WHERE o.functional = 'A') AS functions_ok,
       count(*) FILTER (WHERE o.functional IN ('B', 'C', 'X')) AS function_fault,
       count(*) FILTER (WHERE o.functional IS NULL) AS no_function_checks,
       count(*) FILTER (WHERE o.grade = 'A') AS no_fault,
       count(*) FILTER (WHERE o.reason_check = 'confirmed') AS confirmed,
       count(*) FILTER (WHERE o.reason_check = 'not_found') AS not_found
  FROM stats_outcomes o
  LEFT JOIN manifests m ON m.site = o.site AND m.rma = o.rma
 WHERE coalesce(o.reason, m.reason, '') <> ''
 GROUP BY o.site, o.day, coalesce(o.reason, m.reason);

CREATE OR REPLACE VIEW stats_graders AS
SELECT site, operator, day, count(*) AS inspections,
       count(DISTINCT local_hour) AS active_hours,
       round(count(*)::numeric / count(DISTINCT local_hour), 2) AS items_per_hour,
       percentile_cont(0.5) WITHIN GROUP (
           ORDER BY extract(epoch FROM finished_at - started_at)) AS median_s,
       count(*) FILTER (WHERE grade = 'A') AS grade_a,
       count(*) FILTER (WHERE grade = 'B') AS grade_b,
       count(*) FILTER (WHERE grade = 'C') AS grade_c,
       count(*) FILTER (WHERE grade = 'X') AS grade_x
  FROM stats_outcomes
 GROUP BY site, operator, day;

-- Time per checklist step, from the record's "step_ms" {check: ms}.
CREATE OR REPLACE VIEW stats_grader_steps AS
SELECT o.site, o.operator, o.day, s.key AS check_id, count(*) AS answers,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY s.value::numeric / 1000) AS median_s
  FROM stats_outcomes o CROSS JOIN LATERAL jsonb_each_text(o.step_ms) AS s
 GROUP BY o.site, o.operator, o.day, s.key;

-- Blind re-grades with the grade they re-graded (same station and epoch),
-- on the local day of the re-grade.
CREATE OR REPLACE VIEW stats_calibration_pairs AS
SELECT c.site, c.station, (c.finished_at AT TIME ZONE coalesce(z.timezone, 'UTC'))::date AS day,
       o.plate, o.operator AS first_grader, o.grade AS first_grade,
       c.operator AS regrader, c.grade AS regrade, c.finished_at
  FROM outcomes c
  LEFT JOIN site_zones z ON z.site = c.site
  JOIN outcomes o ON o.station = c.station AND o.epoch = c.epoch AND o.plate = c.calibrates
 WHERE c.calibrates IS NOT NULL;

-- Agreement per grader and month: the pairs a grader took part in, either side.
CREATE OR REPLACE VIEW stats_grader_agreement AS
WITH sides AS (
    SELECT site, date_trunc('month', day)::date AS month, first_grader AS grader,
           first_grade AS own, regrade AS other
      FROM stats_calibration_pairs
    UNION ALL
    SELECT site, date_trunc('month', day)::date, regrader, regrade, first_grade
      FROM stats_calibration_pairs
     WHERE regrader <> first_grader
), n AS (
    SELECT site, month, grader, count(*)::numeric AS n,
           count(*) FILTER (WHERE own = other)::numeric AS agree
      FROM sides GROUP BY site, month, grader
), r AS (
    SELECT site, month, grader, own AS grade, count(*) AS k FROM sides
     GROUP BY site, month, grader, own
), c AS (
    SELECT site, month, grader, other AS grade, count(*) AS k FROM sides
     GROUP BY site, month, grader, other
), pe AS (
    SELECT r.site, r.month, r.grader, sum(r.k * c.k)::numeric AS rc
      FROM r JOIN c USING (site, month, grader, grade)
     GROUP BY r.site, r.month, r.grader
)
SELECT n.site, n.month, n.grader, n.n::bigint AS pairs, n.agree::bigint AS identical,
       round(n.agree / n.n, 4) AS agreement,
       CASE WHEN coalesce(pe.rc, 0) < n.n * n.n
            THEN round((n.agree / n.n - coalesce(pe.rc, 0) / (n.n * n.n))
                       / (1 - coalesce(pe.rc, 0) / (n.n * n.n)), 4) END AS kappa
  FROM n LEFT JOIN pe USING (site, month, grader);

-- Agreement per site and month (first grade against re-grade).
CREATE OR REPLACE VIEW stats_site_agreement AS
WITH p AS (
    SELECT site, date_trunc('month', day)::date AS month, first_grade, regrade
      FROM stats_calibration_pairs
), n AS (
    SELECT site, month, count(*)::numeric AS n,
           count(*) FILTER (WHERE first_grade = regrade)::numeric AS agree
      FROM p GROUP BY site, month
), r AS (
    SELECT site, month, first_grade AS grade, count(*) AS k FROM p GROUP BY 1, 2, 3
), c AS (
    SELECT site, month, regrade AS grade, count(*) AS k FROM p GROUP BY 1, 2, 3
), pe AS (
    SELECT r.site, r.month, sum(r.k * c.k)::numeric AS rc
      FROM r JOIN c USING (site, month, grade) GROUP BY r.site, r.month
)
SELECT n.site, n.month, n.n::bigint AS pairs, n.agree::bigint AS identical,
       round(n.agree / n.n, 4) AS agreement,
       CASE WHEN coalesce(pe.rc, 0) < n.n * n.n
            THEN round((n.agree / n.n - coalesce(pe.rc, 0) / (n.n * n.n))
                       / (1 - coalesce(pe.rc, 0) / (n.n * n.n)), 4) END AS kappa
  FROM n LEFT JOIN pe USING (site, month);

-- The reporting views by site and day, with the statistics' definitions
-- (site days, outcomes that count, items per hour over active hours).
CREATE VIEW grades_by_site_day AS
SELECT site, day, grade, count(*) AS inspections
  FROM stats_outcomes
 GROUP BY site, day, grade;

CREATE VIEW grader_throughput AS
SELECT site, operator, day, inspections, round(median_s::numeric, 1) AS median_seconds,
       items_per_hour
  FROM stats_graders;

CREATE VIEW responsibility_split AS
SELECT site, day, responsibility, inspections,
       round(100.0 * inspections / sum(inspections) OVER (PARTITION BY site, day), 1) AS pct
  FROM stats_responsibility;

CREATE VIEW disposition_split AS
SELECT site, day, disposition, inspections,
       round(100.0 * inspections / sum(inspections) OVER (PARTITION BY site, day), 1) AS pct
  FROM stats_dispositions;

GRANT SELECT ON site_zones, stats_outcomes, stats_superseded, stats_site_day,
    stats_dispositions, stats_responsibility, stats_defects, stats_categories, stats_skus,
    stats_reasons, stats_graders, stats_grader_steps, stats_calibration_pairs,
    stats_grader_agreement, stats_site_agreement, grades_by_site_day, grader_throughput,
    responsibility_split, disposition_split TO triage_bi;

-- Grading policy views
--
-- The grading policy's measures (docs/rules.md), with the definitions of the
-- station's statistics (app/core/stats_report.h):
--   * an outcome recorded with the policy has a reason_check (every record
--     sent since; NULL before);
--   * an override: such an outcome whose confirmed responsibility is not the
--     one the rules suggested (none counts as a responsibility);
--   * the override rate = overrides / outcomes recorded with the policy.

-- Resolutions and return types per site and day ('none' when the rules
-- decided nothing, or the record is from before the policy).
CREATE OR REPLACE VIEW stats_resolutions AS
SELECT site, day, coalesce(return_type, 'none') AS return_type,
       coalesce(resolution, 'none') AS resolution, count(*) AS inspections
  FROM stats_outcomes
 GROUP BY site, day, coalesce(return_type, 'none'), coalesce(resolution, 'none');

-- Overrides per grader and day.
CREATE OR REPLACE VIEW stats_overrides AS
SELECT site, operator, day,
       count(*) FILTER (WHERE reason_check IS NOT NULL) AS policy_inspections,
       count(*) FILTER (WHERE reason_check IS NOT NULL
                          AND coalesce(responsibility, '') <> coalesce(responsibility_suggested, ''))
           AS overrides,
       round(count(*) FILTER (WHERE reason_check IS NOT NULL
                                AND coalesce(responsibility, '')
                                    <> coalesce(responsibility_suggested, ''))::numeric
             / nullif(count(*) FILTER (WHERE reason_check IS NOT NULL), 0), 4) AS override_rate
  FROM stats_outcomes
 GROUP BY site, operator, day;

-- Each override with its reason: what the rules suggested, what the grader
-- confirmed, and why (the evidence a supervisor asks for).
CREATE OR REPLACE VIEW stats_override_reasons AS
SELECT site, day, operator, coalesce(responsibility_suggested, 'none') AS suggested,
       coalesce(responsibility, 'none') AS confirmed, responsibility_reason AS reason,
       count(*) AS inspections
  FROM stats_outcomes
 WHERE reason_check IS NOT NULL
   AND coalesce(responsibility, '') <> coalesce(responsibility_suggested, '')
 GROUP BY site, day, operator, coalesce(responsibility_suggested, 'none'),
          coalesce(responsibility, 'none'), responsibility_reason;

GRANT SELECT ON stats_resolutions, stats_overrides, stats_override_reasons TO triage_bi;

-- ---- evidence photos (added after the statistics) -----------------------------
-- The photos a station took for an outcome (the record's "photos":
-- [{check, file, sha256}], docs/export.md), keyed like outcomes and numbered
-- n from 1 in the record's order. A station sends them in the transaction of
-- the batch that holds their outcomes (push_outcomes, then push_photo for
-- each), so an outcome is never here without its photos nor a photo twice.
-- Stored only when the bytes' SHA-256 is the one the record names (which the
-- station's audit chain covers). Append-only, like outcomes.
CREATE TABLE IF NOT EXISTS photos (
    station     text NOT NULL,
    epoch       text NOT NULL,
    seq         bigint NOT NULL,
    n           integer NOT NULL CHECK (n BETWEEN 1 AND 16),
    check_id    text NOT NULL,
    sha256      text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    size        integer NOT NULL CHECK (size > 0),
    jpeg        bytea NOT NULL CHECK (octet_length(jpeg) = size),
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (station, epoch, seq, n),
    FOREIGN KEY (station, epoch, seq) REFERENCES outcomes (station, epoch, seq)
);
-- A JPEG does not compress: kept out of line as it is.
ALTER TABLE photos ALTER COLUMN jpeg SET STORAGE EXTERNAL;
ALTER TABLE photos ENABLE ROW LEVEL SECURITY;
DROP TRIGGER IF EXISTS photos_append_only ON photos;
CREATE TRIGGER photos_append_only BEFORE UPDATE OR DELETE ON photos
    FOR EACH ROW EXECUTE FUNCTION outcomes_append_only();

-- Store photo p_n of outcome (p_station, p_epoch, p_seq), which this
-- transaction or an earlier one stored. Refused (E743) when the bytes are
-- not the SHA-256 p_sha256 the station's record names, and (E744) when head
-- office's record of that outcome names no such photo; when head office
-- holds the outcome with other content (an alert, kind 'conflict') the
-- photo is an alert too (kind 'photo_conflict') and not stored. A photo sent
-- again is a duplicate.
CREATE OR REPLACE FUNCTION push_photo(p_station text, p_epoch text, p_seq bigint, p_n integer,
                                      p_check text, p_sha256 text, p_jpeg bytea,
                                      OUT inserted integer, OUT duplicates integer,
                                      OUT conflicts integer)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = triage, pg_catalog, pg_temp AS $$
DECLARE
    v_sha text := pg_catalog.encode(pg_catalog.sha256(p_jpeg), 'hex');
    v_named jsonb;
BEGIN
    PERFORM triage.station_site(p_station);
    inserted := 0;
    duplicates := 0;
    conflicts := 0;
    IF v_sha IS DISTINCT FROM p_sha256 THEN
        RAISE EXCEPTION 'E743: photo % of station % epoch % seq %: its bytes are not the'
            ' SHA-256 its record names; refused', p_n, p_station, p_epoch, p_seq
            USING ERRCODE = 'data_exception';
    END IF;
    SELECT o.record -> 'photos' -> (p_n - 1) INTO v_named FROM triage.outcomes o
     WHERE o.station = p_station AND o.epoch = p_epoch AND o.seq = p_seq;
    IF v_named IS NULL OR v_named ->> 'sha256' IS DISTINCT FROM v_sha
       OR v_named ->> 'check' IS DISTINCT FROM p_check THEN
        IF EXISTS (SELECT 1 FROM triage.sync_alerts a
                    WHERE a.station = p_station AND a.epoch = p_epoch AND a.seq = p_seq
                      AND a.kind = 'conflict') THEN
            INSERT INTO triage.sync_alerts (station, epoch, seq, kind, existing, incoming,
                                            incoming_md5)
            VALUES (p_station, p_epoch, p_seq, 'photo_conflict', v_named,
                    pg_catalog.jsonb_build_object('n', p_n, 'check', p_check, 'sha256', v_sha,
                                                  'size', pg_catalog.octet_length(p_jpeg)),
                    pg_catalog.md5(p_n::text || '|' || v_sha))
            ON CONFLICT DO NOTHING;
            conflicts := 1;
            RETURN;
        END IF;
        RAISE EXCEPTION 'E744: photo % of station % epoch % seq % is not one head office''s'
            ' record of that outcome names; refused', p_n, p_station, p_epoch, p_seq
            USING ERRCODE = 'data_exception';
    END IF;
    INSERT INTO triage.photos (station, epoch, seq, n, check_id, sha256, size, jpeg)
    VALUES (p_station, p_epoch, p_seq, p_n, p_check, v_sha, pg_catalog.octet_length(p_jpeg),
            p_jpeg)
    ON CONFLICT DO NOTHING;
    GET DIAGNOSTICS inserted = ROW_COUNT;
    duplicates := 1 - inserted;
END
$$;
REVOKE ALL ON FUNCTION push_photo(text, text, bigint, integer, text, text, bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION push_photo(text, text, bigint, integer, text, text, bytea)
    TO triage_station;

-- An outcome's photos, for head office: SELECT n, check_id, size, jpeg FROM
-- triage.outcome_photos WHERE plate = 'SH01-S03-000042' ORDER BY n.
CREATE OR REPLACE VIEW outcome_photos AS
SELECT o.site, o.station, o.epoch, o.seq, o.plate, p.n, p.check_id, p.sha256, p.size,
       p.received_at, p.jpeg
  FROM photos p JOIN outcomes o USING (station, epoch, seq);

-- Photos a record names that head office does not hold (none, but for the
-- ones a station's retention let go of before they were sent again).
CREATE OR REPLACE VIEW photos_missing AS
SELECT o.site, o.station, o.epoch, o.seq, o.plate, e.n::integer AS n, e.photo ->> 'check' AS check_id,
       e.photo ->> 'sha256' AS sha256
  FROM outcomes o
 CROSS JOIN LATERAL jsonb_array_elements(coalesce(o.record -> 'photos', '[]'))
       WITH ORDINALITY AS e(photo, n)
 WHERE NOT EXISTS (SELECT 1 FROM photos p WHERE p.station = o.station AND p.epoch = o.epoch
                                            AND p.seq = o.seq AND p.n = e.n);

REVOKE ALL ON photos, outcome_photos, photos_missing FROM PUBLIC;
GRANT SELECT ON outcome_photos, photos_missing TO triage_bi;
