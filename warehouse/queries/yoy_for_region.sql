-- Year-on-year change of every full-year level for one region, next to the growth the reports state.
-- Change the region in the WHERE clause. CNY figures are shown in 亿元 (1e8 yuan).
SELECT
    y.indicator_code,
    i.name_zh,
    y.year,
    CASE WHEN y.unit = 'CNY' THEN round(y.value / 1e8, 2) ELSE y.value END      AS value,
    CASE WHEN y.unit = 'CNY' THEN '亿元' ELSE y.unit END                         AS shown_unit,
    y.prev_year,
    CASE WHEN y.unit = 'CNY' THEN round(y.prev_value / 1e8, 2) ELSE y.prev_value END AS prev_value,
    y.pct_change,
    y.reported_growth_pct,
    y.growth_gap_pp,
    y.value_document_id,
    y.prev_document_id
FROM marts.indicator_yoy AS y
LEFT JOIN core.indicators AS i ON i.code = y.indicator_code
WHERE y.region = '北京市大兴区'
ORDER BY y.indicator_code, y.year;
