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
--   triage_station  NOLOGIN group of the station logins: EXECUTE on the three
--                   station functions, INSERT on outcomes (row-level security
--                   limits it to the station's own rows); no UPDATE, no DELETE,
--                   no SELECT on outcomes.
--   triage_bi       NOLOGIN group for reporting tools: SELECT on the views.
-- A station login:  CREATE ROLE st_sh01_s03 LOGIN PASSWORD '…' IN ROLE triage_station;
--                   SELECT triage.register_station('SH01-S03', 'SH01', 'st_sh01_s03');
--
-- Error ids E740–E749 (ERRORS.md) are raised here.

CREATE SCHEMA IF NOT EXISTS triage;
SET search_path = triage, pg_catalog;

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
LANGUAGE plpgsql AS $$
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
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'E746: outcomes are append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
DROP TRIGGER IF EXISTS outcomes_append_only ON outcomes;
CREATE TRIGGER outcomes_append_only BEFORE UPDATE OR DELETE ON outcomes
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
    units integer, extra_unit boolean
);

-- ---- functions stations call ----------------------------------------------

-- Register (or move) a station: which login role pushes for it, which site.
CREATE OR REPLACE FUNCTION register_station(p_station text, p_site text, p_role name)
RETURNS void LANGUAGE sql AS $$
    INSERT INTO triage.stations (station, site, db_role) VALUES (p_station, p_site, p_role)
    ON CONFLICT (station) DO UPDATE SET site = excluded.site, db_role = excluded.db_role;
$$;

-- The site of p_station when the caller may act for it; raises E740 otherwise.
CREATE OR REPLACE FUNCTION station_site(p_station text) RETURNS text
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = triage, pg_catalog AS $$
DECLARE
    v_site text;
BEGIN
    SELECT s.site INTO v_site FROM stations s
     WHERE s.station = p_station AND s.db_role = session_user;
    IF v_site IS NULL THEN
        RAISE EXCEPTION 'E740: role % is not registered to sync station %',
            session_user, p_station USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN v_site;
END
$$;

-- How far head office has every outcome of (station, epoch), without a gap.
CREATE OR REPLACE FUNCTION station_watermark(p_station text, p_epoch text) RETURNS bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = triage, pg_catalog AS $$
BEGIN
    PERFORM station_site(p_station);
    RETURN coalesce((SELECT w.seq FROM station_watermarks w
                      WHERE w.station = p_station AND w.epoch = p_epoch), 0);
END
$$;

-- Store one batch: p_batch is a JSON array of export records of one
-- (station, epoch), seqs p_first..p_last. Returns what happened.
CREATE OR REPLACE FUNCTION push_outcomes(p_station text, p_epoch text, p_first bigint,
                                         p_last bigint, p_batch jsonb,
                                         OUT inserted integer, OUT duplicates integer,
                                         OUT conflicts integer, OUT watermark bigint)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = triage, pg_catalog AS $$
DECLARE
    v_site text := station_site(p_station);
    v_n integer := jsonb_array_length(p_batch);
    v_bad integer;
    v_distinct integer;
BEGIN
    -- One push at a time per station: the watermark row is the lock.
    INSERT INTO station_watermarks (station, epoch) VALUES (p_station, p_epoch)
        ON CONFLICT DO NOTHING;
    SELECT w.seq INTO watermark FROM station_watermarks w
     WHERE w.station = p_station AND w.epoch = p_epoch FOR UPDATE;

    SELECT count(*) FILTER (WHERE r.station IS DISTINCT FROM p_station
                                OR r.epoch IS DISTINCT FROM p_epoch
                                OR r.seq IS NULL OR r.seq < p_first OR r.seq > p_last),
           count(DISTINCT r.seq)
      INTO v_bad, v_distinct
      FROM jsonb_array_elements(p_batch) e, jsonb_populate_record(NULL::outcome_record, e) r;
    IF v_bad > 0 THEN
        RAISE EXCEPTION 'E741: % records of the batch are not of station % epoch % seq %..%',
            v_bad, p_station, p_epoch, p_first, p_last USING ERRCODE = 'data_exception';
    END IF;

    INSERT INTO outcomes (station, epoch, seq, site, plate, rma, order_id, sku, gtin, serial,
                          category, operator, started_at, finished_at, grade, cosmetic,
                          functional, completeness, disposition, responsibility, defects,
                          answers, rules_version, late, mismatch, supersedes, blind,
                          item_check, scanned_item, wrong_item, unit, units, extra_unit, record)
    SELECT r.station, r.epoch, r.seq, v_site, r.plate, r.rma, r.order_id, r.sku, r.gtin,
           r.serial, r.category, r.operator, r.started_at, r.finished_at, r.grade, r.cosmetic,
           r.functional, r.completeness, r.disposition, r.responsibility,
           coalesce(r.defects, '[]'), coalesce(r.answers, '{}'), r.rules_version,
           coalesce(r.late, false), coalesce(r.mismatch, false), r.supersedes,
           coalesce(r.blind, false), r.item_check, r.scanned_item, r.wrong_item, r.unit,
           r.units, r.extra_unit, e
      FROM jsonb_array_elements(p_batch) e, jsonb_populate_record(NULL::outcome_record, e) r
    ON CONFLICT DO NOTHING;
    GET DIAGNOSTICS inserted = ROW_COUNT;
    duplicates := v_n - inserted;
    conflicts := 0;

    IF duplicates > 0 THEN
        -- A key seen before: the same content is a harmless resend; other
        -- content is an alert (kept once per distinct content).
        WITH differing AS (
            SELECT o.station, o.epoch, o.seq, o.record AS existing, e AS incoming
              FROM jsonb_array_elements(p_batch) e
              JOIN outcomes o ON o.station = p_station AND o.epoch = p_epoch
                             AND o.seq = (e ->> 'seq')::bigint
             WHERE o.record <> e
        ), logged AS (
            INSERT INTO sync_alerts (station, epoch, seq, existing, incoming, incoming_md5)
            SELECT d.station, d.epoch, d.seq, d.existing, d.incoming, md5(d.incoming::text)
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
    UPDATE station_watermarks w SET seq = watermark, last_push_at = now()
     WHERE w.station = p_station AND w.epoch = p_epoch;
END
$$;

-- Expected returns of the station's site changed after p_since. (Dropped
-- first: a head office made before quantity returned a row without it.)
DROP FUNCTION IF EXISTS manifests_since(text, timestamptz);
CREATE FUNCTION manifests_since(p_station text, p_since timestamptz)
RETURNS TABLE (rma text, order_id text, sku text, gtin text, serial text, description text,
               reason text, delivered_at text, quantity integer, updated_at timestamptz)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = triage, pg_catalog AS $$
DECLARE
    v_site text := station_site(p_station);
BEGIN
    RETURN QUERY
    SELECT m.rma, m.order_id, m.sku, m.gtin, m.serial, m.description, m.reason,
           coalesce(to_char(m.delivered_at, 'YYYY-MM-DD'), ''), m.quantity, m.updated_at
      FROM manifests m
     WHERE m.site = v_site AND m.updated_at > p_since
     ORDER BY m.updated_at, m.rma;
END
$$;

-- ---- privileges -----------------------------------------------------------

ALTER TABLE outcomes ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS outcomes_station_insert ON outcomes;
CREATE POLICY outcomes_station_insert ON outcomes FOR INSERT TO triage_station
    WITH CHECK (EXISTS (SELECT 1 FROM stations s
                         WHERE s.station = outcomes.station AND s.db_role = session_user));

REVOKE ALL ON ALL TABLES IN SCHEMA triage FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA triage FROM PUBLIC;
GRANT USAGE ON SCHEMA triage TO triage_station, triage_bi;
GRANT INSERT ON outcomes TO triage_station;
GRANT EXECUTE ON FUNCTION station_site(text), station_watermark(text, text),
    push_outcomes(text, text, bigint, bigint, jsonb), manifests_since(text, timestamptz)
    TO triage_station;

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
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = triage, pg_catalog AS $$
BEGIN
    PERFORM station_site(p_station);
    IF NOT EXISTS (SELECT 1 FROM pg_timezone_names WHERE name = p_timezone) THEN
        RAISE EXCEPTION 'E749: "%" is not a time zone head office knows', p_timezone
            USING ERRCODE = 'data_exception';
    END IF;
    UPDATE stations s SET timezone = p_timezone
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
-- check passed (functional sub-grade A).
CREATE OR REPLACE VIEW stats_reasons AS
SELECT o.site, o.day, m.reason, count(*) AS inspections,
       count(*) FILTER (WHERE o.functional = 'A') AS functions_ok,
       count(*) FILTER (WHERE o.functional IN ('B', 'C', 'X')) AS function_fault,
       count(*) FILTER (WHERE o.functional IS NULL) AS no_function_checks,
       count(*) FILTER (WHERE o.grade = 'A') AS no_fault
  FROM stats_outcomes o
  JOIN manifests m ON m.site = o.site AND m.rma = o.rma
 WHERE m.reason <> ''
 GROUP BY o.site, o.day, m.reason;

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
