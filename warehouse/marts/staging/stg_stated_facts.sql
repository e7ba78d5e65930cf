-- marts.stg_stated_facts (staging view): the figures every mart works from, one row per
-- (document, region, indicator_code, year, period, basis, measure, unit).
--
--   * core.indicator_facts with a canonical indicator_code and a year: facts with a NULL
--     indicator_code or year are left out of every mart;
--   * region filled from the document when the fact has none; region_code only when the region
--     is the document's own (the document's code says nothing about another region);
--   * the document's metadata (marts.stg_documents), pub_order_date included;
--   * is_final (actual figures only): TRUE for a final figure -- anything in a statistical
--     bulletin, or a figure for a year before the year the document reports on (a later year's
--     report looking back); FALSE for a preliminary estimate (a plan or work report on the year
--     it has just closed, news, half-year reports); NULL for targets;
--   * the first statement of a key in a document counts: when a document states the same key
--     twice, the statement with the lowest char_start (then char_end, then fact_id) is kept.
--   * n_documents / n_distinct_values: how many documents state the key (region, indicator_code,
--     year, period, basis, measure, unit) and how many different values they give.
--
-- A view, so it is never stale; pipelines/marts.py creates it before the marts.
-- Built only from core.indicator_facts and marts.stg_documents.
CREATE OR REPLACE VIEW marts.stg_stated_facts AS
WITH facts AS (
    SELECT
        f.fact_id,
        f.document_id,
        coalesce(f.region, d.region)                                       AS region,
        CASE WHEN f.region IS NULL OR f.region = d.region
             THEN d.region_code END                                        AS region_code,
        f.indicator_code,
        f.indicator_label,
        f.year,
        f.period,
        f.basis,
        f.measure,
        f.value,
        f.value_high,
        f.unit,
        f.comparator,
        f.raw_text,
        f.qualifier,
        f.char_start,
        f.char_end,
        f.sentence,
        d.title                                                            AS document_title,
        d.doc_type,
        d.actual_year                                                      AS doc_actual_year,
        d.published_on,
        d.pub_order_date,
        CASE WHEN f.basis <> 'actual' THEN NULL
             WHEN d.doc_type = 'stats_bulletin' THEN TRUE
             WHEN f.year < coalesce(d.actual_year, year(d.published_on) - 1) THEN TRUE
             ELSE FALSE END                                                AS is_final,
        -- rn_in_doc: 1 for the first statement of a key in its document
        row_number() OVER (
            PARTITION BY f.document_id, coalesce(f.region, d.region), f.indicator_code,
                         f.year, f.period, f.basis, f.measure, f.unit
            ORDER BY f.char_start, f.char_end, f.fact_id
        )                                                                  AS rn_in_doc
    FROM core.indicator_facts AS f
    LEFT JOIN marts.stg_documents AS d ON d.document_id = f.document_id
    WHERE f.indicator_code IS NOT NULL
      AND f.year IS NOT NULL
)
SELECT
    s.* EXCLUDE (rn_in_doc),
    count(*) OVER (
        PARTITION BY s.region, s.indicator_code, s.year, s.period, s.basis, s.measure, s.unit
    ) AS n_documents,
    count(DISTINCT s.value) OVER (
        PARTITION BY s.region, s.indicator_code, s.year, s.period, s.basis, s.measure, s.unit
    ) AS n_distinct_values
FROM facts AS s
WHERE s.rn_in_doc = 1;
