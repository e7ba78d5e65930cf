-- Year-on-year change of every full-year level for one region, next to the growth the reports state.
-- Change the region in the WHERE clause. Amounts stay in base units (yuan) with their unit code;
-- `annual-etl query` shows them in 亿元/万元 and says so, --format csv/json keeps yuan.
SELECT
    y.indicator_code,
    i.name_zh,
    y.year,
    y.value,
    y.prev_value,
    y.unit,
    y.pct_change,
    y.reported_growth_pct,
    y.growth_gap_pp
FROM marts.indicator_yoy AS y
LEFT JOIN core.indicators AS i ON i.code = y.indicator_code
WHERE y.region = '北京市大兴区'
ORDER BY y.indicator_code, y.year;
