-- marts.stg_documents (staging view): core.documents with the date the marts order publications by.
--
--   pub_order_date  the real published_on, or when it is unknown 1 January of the year after the
--                   year the document reports on (actual_year + 1, else plan_year) -- annual
--                   reports come out early in the following year.
--
-- A view, so it is never stale; pipelines/marts.py creates it before the marts.
-- Built only from core.documents.
CREATE OR REPLACE VIEW marts.stg_documents AS
SELECT
    d.document_id,
    d.title,
    d.region,
    d.region_code,
    d.doc_type,
    d.actual_year,
    d.plan_year,
    d.published_on,
    coalesce(d.published_on,
             make_date(coalesce(d.actual_year + 1, d.plan_year), 1, 1)) AS pub_order_date
FROM core.documents AS d;
