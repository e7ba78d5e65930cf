-- Trace figures back to their characters: the text at [char_start, char_end) must equal raw_text.
-- Shows 40 characters of context on each side; change the WHERE clause to pick other figures.
SELECT
    f.fact_id,
    f.region,
    f.indicator_code,
    f.year,
    f.basis,
    f.measure,
    f.value,
    f.raw_text,
    substr(t.text, f.char_start + 1, f.char_end - f.char_start)            AS text_at_offsets,
    substr(t.text, f.char_start + 1, f.char_end - f.char_start) = f.raw_text AS offsets_ok,
    f.char_start,
    f.char_end,
    substr(t.text, greatest(f.char_start - 40, 0) + 1, least(f.char_start, 40))
        || '【' || substr(t.text, f.char_start + 1, f.char_end - f.char_start) || '】'
        || substr(t.text, f.char_end + 1, 40)                               AS in_context,
    d.title AS document_title,
    d.published_on
FROM core.indicator_facts AS f
JOIN core.document_texts AS t ON t.document_id = f.document_id
JOIN core.documents AS d ON d.document_id = f.document_id
WHERE f.indicator_code = 'industrial_output'
ORDER BY f.region, f.year, f.document_id, f.char_start;
