-- Latest reported full-year GDP growth per region and year, with whether it is final and its source.
SELECT
    l.region,
    l.region_code,
    l.year,
    l.value       AS gdp_growth_pct,
    l.comparator,
    l.is_final,
    l.qualifier,
    l.raw_text,
    l.document_title,
    l.published_on,
    l.n_documents,
    l.n_distinct_values
FROM marts.latest_indicators AS l
WHERE l.indicator_code = 'gdp'
  AND l.measure = 'growth_pct'
  AND l.basis = 'actual'
  AND l.period = 'FY'
ORDER BY l.region, l.year DESC;
