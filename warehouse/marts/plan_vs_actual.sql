-- marts.plan_vs_actual: each target set in one document next to the actual a later document
-- reported for it, and whether the target was attained.
--
-- One row per target statement (document, region, indicator_code, year, period, measure, unit)
-- that has an actual; the rule for pairing and for `attained` is written out below.
-- Facts with a NULL indicator_code or year are left out. Built only from the staging view
-- marts.stg_stated_facts (warehouse/marts/staging/: one statement per document and key, with
-- is_final and pub_order_date) and core.indicators.
CREATE OR REPLACE TABLE marts.plan_vs_actual AS
WITH targets AS (
    SELECT * FROM marts.stg_stated_facts WHERE basis = 'target'
),
actuals AS (
    SELECT * FROM marts.stg_stated_facts WHERE basis = 'actual'
),
-- Every target is paired with the actuals reported for the same region, indicator_code, year,
-- period, measure and unit by another document that was published later than the target's
-- document (both dates known) or that reports that year as its actual_year. Of those, the one
-- actual kept is chosen by the latest_indicators rule (final first, then the later publication,
-- then document_id, char_start, fact_id). A target with no such actual yet has no row.
paired AS (
    SELECT
        t.region,
        t.region_code,
        t.indicator_code,
        t.year,
        t.period,
        t.measure,
        t.unit,
        t.value          AS target_value,
        t.value_high     AS target_value_high,
        t.comparator     AS target_comparator,
        t.raw_text       AS target_raw_text,
        t.fact_id        AS target_fact_id,
        t.document_id    AS target_document_id,
        t.published_on   AS target_published_on,
        a.value          AS actual_value,
        a.comparator     AS actual_comparator,
        a.raw_text       AS actual_raw_text,
        a.fact_id        AS actual_fact_id,
        a.document_id    AS actual_document_id,
        a.published_on   AS actual_published_on,
        a.is_final       AS actual_is_final,
        row_number() OVER (
            PARTITION BY t.fact_id
            ORDER BY CASE WHEN a.is_final THEN 0 ELSE 1 END,
                     a.pub_order_date DESC NULLS LAST,
                     a.published_on DESC NULLS LAST,
                     a.document_id, a.char_start, a.fact_id
        ) AS pick
    FROM targets AS t
    JOIN actuals AS a
      ON a.region IS NOT DISTINCT FROM t.region
     AND a.indicator_code = t.indicator_code
     AND a.year = t.year
     AND a.period = t.period
     AND a.measure = t.measure
     AND a.unit = t.unit
     AND a.document_id <> t.document_id
     AND (a.published_on > t.published_on OR a.doc_actual_year = t.year)
),
ruled AS (
    SELECT
        p.*,
        -- direction: a rank is better when lower; otherwise the indicator's `better`
        -- (higher | lower) from core.indicators (indicators.csv).
        CASE WHEN p.measure = 'rank' THEN 'lower' ELSE i.better END         AS direction,
        -- tolerance for '=' and '~' targets: 0.5 (percentage points) for percents -- unit
        -- 'percent' or measure growth_pct / share_pct / change_pp -- and 2 % of the target for
        -- levels.
        CASE WHEN p.unit = 'percent' OR p.measure IN ('growth_pct', 'share_pct', 'change_pp')
             THEN 0.5 ELSE 0.02 * abs(p.target_value) END                   AS tolerance,
        -- a tiny epsilon so that binary floating point does not turn 4.0 >= 4.5 - 0.5 into a miss
        1e-9 * greatest(1.0, abs(p.target_value))                           AS eps,
        i.name_zh                                                           AS indicator_name_zh,
        i.name_en                                                           AS indicator_name_en
    FROM paired AS p
    LEFT JOIN core.indicators AS i ON i.code = p.indicator_code
    WHERE p.pick = 1
)
-- attained, reading the target the way the report means it:
--   '>=' : actual >= target        '>' : actual > target        (as written)
--   '<=' : actual <= target        '<' : actual < target        (as written)
--   '=' or '~' with direction higher : actual >= target - tolerance
--   '=' or '~' with direction lower  : actual <= target + tolerance
--   '=' or '~' with no known direction: |actual - target| <= tolerance
--   'between' (a range, target_value … target_value_high): with direction higher the actual
--         reaches the lower end; with direction lower it stays at or under the upper end; with
--         no known direction it lies within the range
-- e.g. growth 5.2 vs "4.5%左右" (~4.5): 5.2 >= 4.0, attained; PM2.5 34 vs 36 (lower is better):
-- 34 <= 36.72, attained; growth 3.9 vs ~4.5: 3.9 < 4.0, missed.
-- threshold is the bound the actual had to reach; gap = actual - target.
SELECT
    r.region,
    r.region_code,
    r.indicator_code,
    r.indicator_name_zh,
    r.indicator_name_en,
    r.year,
    r.measure,
    r.target_value,
    r.target_comparator,
    r.actual_value,
    CASE
        WHEN r.actual_value IS NULL OR r.target_value IS NULL THEN NULL
        WHEN r.target_comparator = '>=' THEN r.actual_value >= r.target_value - r.eps
        WHEN r.target_comparator = '>'  THEN r.actual_value >  r.target_value
        WHEN r.target_comparator = '<=' THEN r.actual_value <= r.target_value + r.eps
        WHEN r.target_comparator = '<'  THEN r.actual_value <  r.target_value
        WHEN r.target_comparator IN ('=', '~') AND r.direction = 'higher'
             THEN r.actual_value >= r.target_value - r.tolerance - r.eps
        WHEN r.target_comparator IN ('=', '~') AND r.direction = 'lower'
             THEN r.actual_value <= r.target_value + r.tolerance + r.eps
        WHEN r.target_comparator IN ('=', '~')
             THEN abs(r.actual_value - r.target_value) <= r.tolerance + r.eps
        WHEN r.target_comparator = 'between' AND r.direction = 'higher'
             THEN r.actual_value >= r.target_value - r.eps
        WHEN r.target_comparator = 'between' AND r.direction = 'lower'
             THEN r.actual_value <= coalesce(r.target_value_high, r.target_value) + r.eps
        WHEN r.target_comparator = 'between'
             THEN r.actual_value BETWEEN r.target_value - r.eps AND coalesce(r.target_value_high, r.target_value) + r.eps
        ELSE NULL
    END                                                        AS attained,
    round(r.actual_value - r.target_value, 6)                  AS gap,
    r.target_document_id,
    r.actual_document_id,
    r.period,
    r.unit,
    r.direction,
    CASE WHEN r.target_comparator IN ('=', '~') THEN r.tolerance END AS tolerance,
    CASE
        WHEN r.target_comparator IN ('>=', '>', '<=', '<') THEN r.target_value
        WHEN r.target_comparator = 'between' AND r.direction = 'lower' THEN coalesce(r.target_value_high, r.target_value)
        WHEN r.target_comparator = 'between' THEN r.target_value
        WHEN r.direction = 'higher' THEN r.target_value - r.tolerance
        WHEN r.direction = 'lower'  THEN r.target_value + r.tolerance
    END                                                        AS threshold,
    r.target_value_high,
    r.target_raw_text,
    r.actual_raw_text,
    r.actual_comparator,
    r.actual_is_final,
    r.target_fact_id,
    r.actual_fact_id,
    r.target_published_on,
    r.actual_published_on
FROM ruled AS r
ORDER BY r.region, r.indicator_code, r.year, r.measure, r.target_document_id;
