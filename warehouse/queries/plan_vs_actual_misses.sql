-- Targets that were missed: what was promised, what was reported, by how much it fell short.
SELECT
    p.region,
    p.indicator_code,
    i.name_zh,
    p.year,
    p.measure,
    p.target_raw_text,
    p.target_comparator,
    p.target_value,
    p.actual_raw_text,
    p.actual_value,
    p.threshold,
    p.gap,
    p.direction,
    td.title AS target_document,
    ad.title AS actual_document
FROM marts.plan_vs_actual AS p
LEFT JOIN core.indicators AS i ON i.code = p.indicator_code
LEFT JOIN core.documents AS td ON td.document_id = p.target_document_id
LEFT JOIN core.documents AS ad ON ad.document_id = p.actual_document_id
WHERE p.attained = FALSE
ORDER BY p.region, p.year DESC, p.indicator_code;
