-- marts.indicator_revisions: figures that different documents state differently.
--
-- For every (region, indicator_code, year, period, basis, measure, unit) stated with different
-- values by different documents, one row per change between two consecutive documents in
-- publication order: the earlier and the later value, and each side's document id, title,
-- doc_type, published date, raw_text and fact_id. A key stated as 5, 5, 6 yields one row (5 -> 6);
-- 5, 6, 5 yields two. Facts with a NULL indicator_code or year are left out.
-- Built only from the staging view marts.stg_stated_facts (warehouse/marts/staging/): one
-- statement per document and key, with pub_order_date, n_documents and n_distinct_values, and
-- core.indicators (the indicator names in Chinese and English).
CREATE OR REPLACE TABLE marts.indicator_revisions AS
-- Each document's statement of a key, numbered in publication order (pub_order_date, then
-- published_on, then document_id, all ascending; unknown dates first).
WITH sequenced AS (
    SELECT
        s.*,
        row_number() OVER (
            PARTITION BY s.region, s.indicator_code, s.year, s.period, s.basis, s.measure, s.unit
            ORDER BY s.pub_order_date NULLS FIRST, s.published_on NULLS FIRST, s.document_id
        ) AS pub_seq
    FROM marts.stg_stated_facts AS s
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
    i.name_zh                           AS indicator_name_zh,
    i.name_en                           AS indicator_name_en,
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
LEFT JOIN core.indicators AS i ON i.code = changes.indicator_code
ORDER BY region, indicator_code, year, period, basis, measure, unit, later_seq;
