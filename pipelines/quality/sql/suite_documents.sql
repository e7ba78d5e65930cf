-- Rows validated by expectations/core.documents.yml: each parsed document and its text length.
SELECT d.*, length(t.text) AS text_length, t.document_id IS NOT NULL AS has_text
FROM core.documents AS d
LEFT JOIN core.document_texts AS t ON t.document_id = d.document_id
ORDER BY d.document_id
