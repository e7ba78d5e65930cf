-- quality.cross_document_findings: what comparing documents with each other found (written whole
-- by the cross_document_checks asset on every run; see pipelines/quality/sql/cross_document_*.sql).
--   kind = growth_gap  the growth a report states differs from the growth computed from two
--                      consecutive levels by more than the tolerance; alarm = false when the
--                      indicator's growth is at comparable prices (price_basis) and its levels nominal
--   kind = revision    the same region/indicator/year/period/basis/measure with another value in a
--                      later document (a revision)
--   kind = conflict    … with another value in a document about the same year (a conflict)
CREATE TABLE IF NOT EXISTS quality.cross_document_findings (
    finding_id      VARCHAR PRIMARY KEY,
    kind            VARCHAR NOT NULL CHECK (kind IN ('growth_gap', 'revision', 'conflict')),
    alarm           BOOLEAN NOT NULL,
    severity        VARCHAR NOT NULL CHECK (severity IN ('warn', 'error')),
    region          VARCHAR,
    indicator_code  VARCHAR,
    year            INTEGER,
    period          VARCHAR,
    basis           VARCHAR,
    measure         VARCHAR,
    price_basis     VARCHAR,
    value_a         DOUBLE,
    value_b         DOUBLE,
    gap             DOUBLE,
    document_a      VARCHAR,
    fact_a          VARCHAR,
    raw_text_a      VARCHAR,
    document_b      VARCHAR,
    fact_b          VARCHAR,
    raw_text_b      VARCHAR,
    message         VARCHAR NOT NULL,
    detected_at     TIMESTAMP NOT NULL
);
