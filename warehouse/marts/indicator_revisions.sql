-- marts.indicator_revisions: figures that different documents state differently.
--
-- For every (region, indicator_code, year, period, basis, measure, unit) stated with different
-- values by different documents, one row per change between two consecutive documents in
-- publication order: the earlier and the later value, and each side's document id, title,
-- doc_type, published date, raw_text and fact_id. A key stated as 5, 5, 6 yields one row (5 -> 6);
-- 5, 6, 5 yields two. Facts with a NULL indicator_code or year are left out.
-- Built only from core.* tables.
CREATE OR REPLACE TABLE marts.indicator_revisions AS
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
-- Each document's statement of a key, numbered in publication order (pub_order_date, then
-- published_on, then document_id, all ascending; unknown dates first).
sequenced AS (
    SELECT
        s.*,
        row_number() OVER (
            PARTITION BY s.region, s.indicator_code, s.year, s.period, s.basis, s.measure, s.unit
            ORDER BY s.pub_order_date NULLS FIRST, s.published_on NULLS FIRST, s.document_id
        ) AS pub_seq,
        count(*) OVER (
            PARTITION BY s.region, s.indicator_code, s.year, s.period, s.basis, s.measure, s.unit
        ) AS n_documents,
        count(DISTINCT s.value) OVER (
            PARTITION BY s.region, s.indicator_code, s.year, s.period, s.basis, s.measure, s.unit
        ) AS n_distinct_values
    FROM stated AS s
),
-- A revision is a document whose value differs from the one stated by the document published
-- just before it for the same key (relative difference above 1e-9, so re-parsed equal numbers
-- are not revisions). Every key with two or more distinct values yields at least one row.
changes AS (
    SELECT
        e.region, e.region_code, e.indicator_code, e.year, e.period, e.basis, e.measure, e.unit,
        e.value AS earlier_value, l.value AS later_value,
        e.comparator AS earlier_comparator, l.comparator AS later_comparator,
        e.document_id AS earlier_document_id, l.document_id AS later_document_id,
        e.document_title AS earlier_title, l.document_title AS later_title,
        e.doc_type AS earlier_doc_type, l.doc_type AS later_doc_type,
        e.published_on AS earlier_published_on, l.published_on AS later_published_on,
        e.raw_text AS earlier_raw_text, l.raw_text AS later_raw_text,
        e.fact_id AS earlier_fact_id, l.fact_id AS later_fact_id,
        e.pub_seq AS earlier_seq, l.pub_seq AS later_seq,
        l.n_documents, l.n_distinct_values
    FROM sequenced AS e
    JOIN sequenced AS l
      ON l.region IS NOT DISTINCT FROM e.region
     AND l.indicator_code = e.indicator_code
     AND l.year = e.year
     AND l.period = e.period
     AND l.basis = e.basis
     AND l.measure = e.measure
     AND l.unit = e.unit
     AND l.pub_seq = e.pub_seq + 1
    WHERE abs(l.value - e.value) > 1e-9 * greatest(1.0, abs(e.value), abs(l.value))
)
SELECT
    region,
    region_code,
    indicator_code,
    year,
    period,
    basis,
    measure,
    unit,
    row_number() OVER (
        PARTITION BY region, indicator_code, year, period, basis, measure, unit
        ORDER BY later_seq
    )                                   AS revision_no,
    earlier_value,
    later_value,
    round(later_value - earlier_value, 6) AS change,
    earlier_document_id,
    earlier_title,
    earlier_doc_type,
    earlier_published_on,
    earlier_raw_text,
    earlier_comparator,
    earlier_fact_id,
    later_document_id,
    later_title,
    later_doc_type,
    later_published_on,
    later_raw_text,
    later_comparator,
    later_fact_id,
    n_documents,
    n_distinct_values
FROM changes
ORDER BY region, indicator_code, year, period, basis, measure, unit, later_seq;
