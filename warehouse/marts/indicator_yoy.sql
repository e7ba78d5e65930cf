-- marts.indicator_yoy: year-on-year change of full-year actual levels, next to the growth rate the
-- reports themselves state for that year.
--
-- One row per region, indicator_code, unit and year that has a full-year (period 'FY') actual
-- level (measure 'value'). Each side (level, previous level, reported growth) is the single value
-- marts.latest_indicators would choose for its key (final beats preliminary, later publication
-- beats earlier, then document_id / char_start / fact_id), so the figures agree across marts.
-- Facts with a NULL indicator_code or year are left out. Built only from the staging view
-- marts.stg_chosen_facts (warehouse/marts/staging/), which applies the latest_indicators rule,
-- and core.indicators (the indicator names in Chinese and English).
CREATE OR REPLACE TABLE marts.indicator_yoy AS
-- Full-year actual levels and full-year actual growth rates, one value per key (the chosen rows).
WITH levels AS (
    SELECT * FROM marts.stg_chosen_facts WHERE period = 'FY' AND basis = 'actual' AND measure = 'value'
),
growth AS (
    SELECT * FROM marts.stg_chosen_facts
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
    i.name_zh                                                      AS indicator_name_zh,
    i.name_en                                                      AS indicator_name_en,
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
LEFT JOIN core.indicators AS i ON i.code = l.indicator_code
ORDER BY l.region, l.indicator_code, l.unit, l.year;
