-- marts.indicator_yoy: year-on-year change of full-year actual levels, next to the growth rate the
-- reports themselves state for that year.
--
-- One row per region, indicator_code, unit and year that has a full-year (period 'FY') actual
-- level (measure 'value'). Each side (level, previous level, reported growth) is the single value
-- marts.latest_indicators would choose for its key (final beats preliminary, later publication
-- beats earlier, then document_id / char_start / fact_id), so the figures agree across marts.
-- Facts with a NULL indicator_code or year are left out. Built only from core.* tables.
CREATE OR REPLACE TABLE marts.indicator_yoy AS
-- ---------------------------------------------------------------------------------------------
-- Shared preamble (the same in every mart file, so that each file stands alone):
--   docs    core.documents plus pub_order_date, the publication date used for ordering: the real
--           published_on, or when it is unknown 1 January of the year after the year the document
--           reports on (actual_year + 1, else plan_year) -- annual reports come out early in the
--           following year.
--   facts   core.indicator_facts with a canonical indicator_code and a year (facts with a NULL
--           indicator_code or year are left out of every mart), with region filled from the
--           document, the document's metadata, and
--             is_final   (actual figures only) TRUE for a final figure: anything in a statistical
--                        bulletin, or a figure for a year before the year the document reports on
--                        (a later year's report looking back); FALSE for a preliminary estimate
--                        (a plan or work report on the year it has just closed, news, half-year
--                        reports); NULL for targets.
--             rn_in_doc  1 for the first statement of a key in a document (by char_start, then
--                        char_end, then fact_id): when a document states the same key twice, the
--                        first statement is the one that counts.
--   stated  one row per (document, region, indicator_code, year, period, basis, measure, unit).
-- ---------------------------------------------------------------------------------------------
WITH docs AS (
    SELECT
        d.document_id,
        d.title,
        d.region        AS doc_region,
        d.region_code   AS doc_region_code,
        d.doc_type,
        d.actual_year   AS doc_actual_year,
        d.plan_year     AS doc_plan_year,
        d.published_on,
        coalesce(d.published_on,
                 make_date(coalesce(d.actual_year + 1, d.plan_year), 1, 1)) AS pub_order_date
    FROM core.documents AS d
),
facts AS (
    SELECT
        f.fact_id,
        f.document_id,
        coalesce(f.region, d.doc_region)                                   AS region,
        CASE WHEN f.region IS NULL OR f.region = d.doc_region
             THEN d.doc_region_code END                                    AS region_code,
        f.indicator_code,
        f.indicator_label,
        f.year,
        f.period,
        f.basis,
        f.measure,
        f.value,
        f.unit,
        f.comparator,
        f.raw_text,
        f.qualifier,
        f.char_start,
        f.char_end,
        f.sentence,
        d.title                                                            AS document_title,
        d.doc_type,
        d.doc_actual_year,
        d.published_on,
        d.pub_order_date,
        CASE WHEN f.basis <> 'actual' THEN NULL
             WHEN d.doc_type = 'stats_bulletin' THEN TRUE
             WHEN f.year < coalesce(d.doc_actual_year, year(d.published_on) - 1) THEN TRUE
             ELSE FALSE END                                                AS is_final,
        row_number() OVER (
            PARTITION BY f.document_id, coalesce(f.region, d.doc_region), f.indicator_code,
                         f.year, f.period, f.basis, f.measure, f.unit
            ORDER BY f.char_start, f.char_end, f.fact_id
        )                                                                  AS rn_in_doc
    FROM core.indicator_facts AS f
    LEFT JOIN docs AS d ON d.document_id = f.document_id
    WHERE f.indicator_code IS NOT NULL
      AND f.year IS NOT NULL
),
stated AS (
    SELECT * FROM facts WHERE rn_in_doc = 1
)
,
-- chosen: the one value per (region, indicator_code, year, period, basis, measure, unit), by the
-- rule of marts.latest_indicators:
--   1. a final figure beats a preliminary estimate (is_final TRUE first; targets are all equal here),
--   2. a later publication beats an earlier one (pub_order_date, then published_on, descending),
--   3. tie-break: document_id, then char_start, then fact_id, ascending.
chosen AS (
    SELECT *
    FROM (
        SELECT
            s.*,
            row_number() OVER (
                PARTITION BY s.region, s.indicator_code, s.year, s.period, s.basis, s.measure, s.unit
                ORDER BY CASE WHEN s.is_final THEN 0 ELSE 1 END,
                         s.pub_order_date DESC NULLS LAST,
                         s.published_on DESC NULLS LAST,
                         s.document_id, s.char_start, s.fact_id
            ) AS pick,
            count(*) OVER (
                PARTITION BY s.region, s.indicator_code, s.year, s.period, s.basis, s.measure, s.unit
            ) AS n_documents,
            count(DISTINCT s.value) OVER (
                PARTITION BY s.region, s.indicator_code, s.year, s.period, s.basis, s.measure, s.unit
            ) AS n_distinct_values
        FROM stated AS s
    )
    WHERE pick = 1
)
,
-- Full-year actual levels and full-year actual growth rates, one value per key (the chosen rows).
levels AS (
    SELECT * FROM chosen WHERE period = 'FY' AND basis = 'actual' AND measure = 'value'
),
growth AS (
    SELECT * FROM chosen
    WHERE period = 'FY' AND basis = 'actual' AND measure = 'growth_pct' AND unit = 'percent'
)
-- prev_year is the calendar year before (year - 1), never an older year: a change over two years
-- is not a year-on-year change. A year without a level for year - 1 keeps NULL prev_* columns.
-- pct_change = (value - prev_value) / |prev_value| * 100, NULL when prev_value is 0 or missing.
-- growth_gap_pp = reported_growth_pct - pct_change. Reports usually state real growth (at
-- comparable prices) for value-added series, so a gap there is expected, not an error.
SELECT
    l.region,
    l.region_code,
    l.indicator_code,
    l.unit,
    l.year,
    l.value,
    p.year                                                         AS prev_year,
    p.value                                                        AS prev_value,
    round(l.value - p.value, 6)                                    AS abs_change,
    CASE WHEN p.value IS NULL OR p.value = 0 THEN NULL
         ELSE round((l.value - p.value) / abs(p.value) * 100, 2) END AS pct_change,
    g.value                                                        AS reported_growth_pct,
    CASE WHEN g.value IS NULL OR p.value IS NULL OR p.value = 0 THEN NULL
         ELSE round(g.value - (l.value - p.value) / abs(p.value) * 100, 2) END AS growth_gap_pp,
    l.document_id                                                  AS value_document_id,
    p.document_id                                                  AS prev_document_id,
    g.document_id                                                  AS growth_document_id,
    l.fact_id                                                      AS value_fact_id,
    p.fact_id                                                      AS prev_fact_id,
    g.fact_id                                                      AS growth_fact_id,
    l.is_final                                                     AS value_is_final,
    p.is_final                                                     AS prev_is_final
FROM levels AS l
LEFT JOIN levels AS p
       ON p.region IS NOT DISTINCT FROM l.region
      AND p.indicator_code = l.indicator_code
      AND p.unit = l.unit
      AND p.year = l.year - 1
LEFT JOIN growth AS g
       ON g.region IS NOT DISTINCT FROM l.region
      AND g.indicator_code = l.indicator_code
      AND g.year = l.year
ORDER BY l.region, l.indicator_code, l.unit, l.year;
