-- Rows validated by expectations/core.indicator_facts.yml: every fact, plus columns derived
-- from the tables it must agree with.
--   text_length     length of the document's text (NULL when the text is missing)
--   offsets_match   substr(text, char_start + 1, char_end - char_start) = raw_text
--   indicator_unit  'code:unit' for levels of canonical indicators (checked against a set)
--   year_distance   years between the fact and the nearest of the document's years
--   has_document    the fact's document is in core.documents
SELECT
    f.*,
    t.text_length,
    CASE WHEN t.text IS NULL THEN NULL
         ELSE substr(t.text, f.char_start + 1, f.char_end - f.char_start) = f.raw_text END AS offsets_match,
    CASE WHEN f.measure = 'value' AND f.indicator_code IS NOT NULL
         THEN f.indicator_code || ':' || f.unit END AS indicator_unit,
    CASE WHEN f.year IS NULL OR coalesce(d.actual_year, d.plan_year) IS NULL THEN NULL
         ELSE least(abs(f.year - coalesce(d.actual_year, d.plan_year)),
                    abs(f.year - coalesce(d.plan_year, d.actual_year))) END AS year_distance,
    d.document_id IS NOT NULL AS has_document
FROM core.indicator_facts AS f
-- each text's length once per document, not once per fact (a long text has thousands of facts)
LEFT JOIN (SELECT document_id, text, length(text) AS text_length FROM core.document_texts) AS t
       ON t.document_id = f.document_id
LEFT JOIN core.documents AS d ON d.document_id = f.document_id
ORDER BY f.fact_id
