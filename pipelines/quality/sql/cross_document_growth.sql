-- Growth a report states vs growth computed from two consecutive levels of the same region,
-- indicator and period (actual figures, plain or approximate comparators only).
-- Parameters: $tolerance_pp (DOUBLE), $comparable (VARCHAR[]: indicators whose growth is at
-- comparable prices), $detected_at (TIMESTAMP).
WITH facts AS (
    SELECT f.*, coalesce(d.actual_year, d.plan_year) AS doc_year, d.title
    FROM core.indicator_facts AS f
    JOIN core.documents AS d ON d.document_id = f.document_id
    WHERE f.basis = 'actual' AND f.comparator IN ('=', '~')
      AND f.indicator_code IS NOT NULL AND f.region IS NOT NULL AND f.year IS NOT NULL
),
levels AS (  -- one level per region/indicator/unit/year/period: the one in the latest document
    SELECT region, indicator_code, unit, year, period,
           arg_max(value, (doc_year, document_id, fact_id)) AS value,
           arg_max(fact_id, (doc_year, document_id, fact_id)) AS fact_id,
           arg_max(document_id, (doc_year, document_id, fact_id)) AS document_id,
           arg_max(raw_text, (doc_year, document_id, fact_id)) AS raw_text
    FROM facts WHERE measure = 'value'
    GROUP BY ALL
),
reported AS (
    SELECT region, indicator_code, year, period,
           arg_max(value, (doc_year, document_id, fact_id)) AS value,
           arg_max(fact_id, (doc_year, document_id, fact_id)) AS fact_id,
           arg_max(document_id, (doc_year, document_id, fact_id)) AS document_id,
           arg_max(raw_text, (doc_year, document_id, fact_id)) AS raw_text
    FROM facts WHERE measure = 'growth_pct'
    GROUP BY ALL
),
compared AS (
    SELECT g.region, g.indicator_code, g.year, g.period, g.value AS reported_pct,
           (cur.value / prev.value - 1) * 100 AS computed_pct,
           g.value - (cur.value / prev.value - 1) * 100 AS gap,
           g.document_id AS document_a, g.fact_id AS fact_a, g.raw_text AS raw_text_a,
           cur.document_id AS document_b, cur.fact_id AS fact_b, cur.raw_text AS raw_text_b,
           prev.document_id AS prev_document, prev.raw_text AS prev_raw_text, cur.unit,
           list_contains($comparable, g.indicator_code) AS comparable_prices
    FROM reported AS g
    JOIN levels AS cur ON cur.region = g.region AND cur.indicator_code = g.indicator_code
                      AND cur.year = g.year AND cur.period = g.period
    JOIN levels AS prev ON prev.region = cur.region AND prev.indicator_code = cur.indicator_code
                       AND prev.unit = cur.unit AND prev.period = cur.period AND prev.year = cur.year - 1
    WHERE prev.value > 0
)
SELECT
    left(sha256(concat_ws('|', 'growth_gap', region, indicator_code, year, period, fact_a, fact_b)), 16) AS finding_id,
    'growth_gap' AS kind,
    NOT comparable_prices AS alarm,
    'warn' AS severity,
    region, indicator_code, year, period, 'actual' AS basis, 'growth_pct' AS measure,
    CASE WHEN comparable_prices THEN 'comparable_prices' ELSE 'nominal' END AS price_basis,
    reported_pct AS value_a, round(computed_pct, 2) AS value_b, round(gap, 2) AS gap,
    document_a, fact_a, raw_text_a, document_b, fact_b, raw_text_b,
    format('{} {} {} ({}): the report states growth of {}% (“{}”, document {}) but the levels {} → {} '
           || '(“{}” in {}, “{}” in {}) give {}%, a gap of {} percentage points. {}',
           region, indicator_code, year, period, reported_pct, raw_text_a, document_a,
           year - 1, year, prev_raw_text, prev_document, raw_text_b, document_b,
           round(computed_pct, 2), round(gap, 2),
           CASE WHEN comparable_prices
                THEN 'Not an error: this growth is at comparable prices while the levels are nominal (price_basis comparable_prices).'
                ELSE 'Check both figures and their years in the documents.' END) AS message,
    $detected_at AS detected_at
FROM compared
WHERE abs(gap) > $tolerance_pp
ORDER BY region, indicator_code, year, period
