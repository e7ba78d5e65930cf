-- marts.latest_indicators: one value per region, indicator_code, year, period, basis, measure
-- (and unit, which only differs for currencies such as USD vs CNY foreign investment).
--
-- Rule for choosing the value, in order:
--   1. a final figure beats a preliminary estimate: a statistical bulletin, or a later year's
--      report looking back, beats the plan / work report's preliminary estimate for the year it
--      has just closed (see is_final below);
--   2. a later publication beats an earlier one (published_on; when it is unknown, 1 January of
--      the year after the document's actual_year, else of its plan_year);
--   3. deterministic tie-break: document_id, char_start, fact_id (ascending).
-- Within one document the first statement of a key (by char_start) is the one that counts.
-- Facts with a NULL indicator_code or a NULL year are left out.
-- Built only from core.documents, core.indicator_facts and core.indicators.
CREATE OR REPLACE TABLE marts.latest_indicators AS
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
SELECT
    c.region,
    c.region_code,
    c.indicator_code,
    i.name_zh                 AS indicator_name_zh,
    i.name_en                 AS indicator_name_en,
    c.year,
    c.period,
    c.basis,
    c.measure,
    c.unit,
    c.value,
    c.comparator,
    c.qualifier,
    c.is_final,
    c.raw_text,
    c.sentence,
    c.char_start,
    c.char_end,
    c.fact_id,
    c.document_id,
    c.document_title,
    c.doc_type,
    c.published_on,
    c.n_documents,
    c.n_distinct_values
FROM chosen AS c
LEFT JOIN core.indicators AS i ON i.code = c.indicator_code
ORDER BY c.region, c.indicator_code, c.year, c.period, c.basis, c.measure, c.unit;
