-- Rows validated by expectations/core.indicator_facts.yml: every fact, plus columns derived
-- from the tables it must agree with.
--   text_length     length of the document's text (NULL when the text is missing)
--   offsets_match   substr(text, char_start + 1, char_end - char_start) = raw_text
--   indicator_unit  'code:unit' for levels of canonical indicators (checked against a set)
--   year_distance   years between the fact and the nearest of the document's years
--   has_document    the fact's document is in core.documents
-- substr on a UTF-8 text walks it from the start, so on a long text (a 300-page PDF: 370,000
-- characters, 6,000 facts) one substr per fact is quadratic. A fact past the first 8,192
-- characters is compared within the 8,192-character piece that starts at the 4,096-character
-- boundary before it (one piece per boundary that has facts); the others, and a fact that would
-- not fit in its piece, are compared on the whole text (walking at most 8,192 characters).
SELECT
    f.*,
    t.text_length,
    CASE WHEN t.text IS NULL THEN NULL
         WHEN p.piece IS NOT NULL AND f.char_start >= 0 AND f.char_end >= f.char_start
              AND f.char_end <= p.k * 4096 + 8192
         THEN substr(p.piece, f.char_start - p.k * 4096 + 1, f.char_end - f.char_start) = f.raw_text
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
LEFT JOIN (SELECT b.document_id, b.k, substr(x.text, b.k * 4096 + 1, 8192) AS piece
           FROM (SELECT DISTINCT document_id, char_start // 4096 AS k FROM core.indicator_facts
                 WHERE char_start >= 8192) AS b
           JOIN core.document_texts AS x ON x.document_id = b.document_id) AS p
       ON p.document_id = f.document_id AND p.k = f.char_start // 4096
LEFT JOIN core.documents AS d ON d.document_id = f.document_id
ORDER BY f.fact_id
