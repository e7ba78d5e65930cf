-- Rows validated by expectations/raw.documents.yml: each file offered, and whether its id is
-- the first 16 hex of its SHA-256.
SELECT r.*, r.document_id = left(r.sha256, 16) AS id_matches_sha256
FROM raw.documents AS r
ORDER BY r.document_id
