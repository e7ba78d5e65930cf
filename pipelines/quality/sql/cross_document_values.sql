-- The same region, indicator, year, period, basis and measure reported with different values by
-- different documents: a revision when the documents are about different years (the later one
-- revises), a conflict when they are about the same year.
-- Parameters: $relative_tolerance (DOUBLE), $detected_at (TIMESTAMP).
WITH facts AS (
    SELECT f.*, coalesce(d.actual_year, d.plan_year) AS doc_year, d.published_on
    FROM core.indicator_facts AS f
    JOIN core.documents AS d ON d.document_id = f.document_id
    WHERE f.indicator_code IS NOT NULL AND f.region IS NOT NULL AND f.year IS NOT NULL
),
per_document AS (  -- the first mention of each key in each document
    SELECT region, indicator_code, year, period, basis, measure, unit, document_id, doc_year, published_on,
           arg_min(value, char_start) AS value, arg_min(fact_id, char_start) AS fact_id,
           arg_min(raw_text, char_start) AS raw_text
    FROM facts
    GROUP BY ALL
),
pairs AS (
    SELECT a.region, a.indicator_code, a.year, a.period, a.basis, a.measure, a.unit,
           a.value AS value_a, b.value AS value_b, b.value - a.value AS gap,
           a.document_id AS document_a, a.fact_id AS fact_a, a.raw_text AS raw_text_a, a.doc_year AS year_a,
           b.document_id AS document_b, b.fact_id AS fact_b, b.raw_text AS raw_text_b, b.doc_year AS year_b,
           CASE WHEN a.doc_year IS DISTINCT FROM b.doc_year THEN 'revision' ELSE 'conflict' END AS kind
    FROM per_document AS a
    JOIN per_document AS b
      ON a.region = b.region AND a.indicator_code = b.indicator_code AND a.year = b.year
     AND a.period = b.period AND a.basis = b.basis AND a.measure = b.measure AND a.unit = b.unit
     -- a is the earlier document (by the year it is about, then by date, then by id)
     AND (coalesce(a.doc_year, 0), coalesce(a.published_on, DATE '1900-01-01'), a.document_id)
       < (coalesce(b.doc_year, 0), coalesce(b.published_on, DATE '1900-01-01'), b.document_id)
    WHERE abs(b.value - a.value) > $relative_tolerance * greatest(abs(a.value), abs(b.value), 1e-9)
)
SELECT
    left(sha256(concat_ws('|', kind, region, indicator_code, year, period, basis, measure, fact_a, fact_b)), 16)
        AS finding_id,
    kind, TRUE AS alarm, 'warn' AS severity,
    region, indicator_code, year, period, basis, measure, NULL AS price_basis,
    value_a, value_b, gap, document_a, fact_a, raw_text_a, document_b, fact_b, raw_text_b,
    format('{} {} {} {} ({}, {}): document {} says “{}” ({} {}) but document {} says “{}” ({} {}). {}',
           region, indicator_code, year, period, basis, measure, document_a, raw_text_a, value_a, unit,
           document_b, raw_text_b, value_b, unit,
           CASE WHEN kind = 'revision'
                THEN 'The later document revises the figure; the marts use the latest.'
                ELSE 'Both documents are about the same year: find out which figure is right.' END) AS message,
    $detected_at AS detected_at
FROM pairs
ORDER BY region, indicator_code, year, period, basis, measure, document_a, document_b
