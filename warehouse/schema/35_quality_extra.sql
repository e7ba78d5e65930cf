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

COMMENT ON TABLE quality.cross_document_findings IS 'What comparing documents found: stated vs computed growth, revisions and conflicts; rewritten whole by the cross_document_checks asset on every run.';
COMMENT ON COLUMN quality.cross_document_findings.finding_id IS 'Deterministic id (16 hex) of the finding: the same data always yields the same id.';
COMMENT ON COLUMN quality.cross_document_findings.kind IS 'growth_gap (stated vs computed growth), revision (a later document gives another value) or conflict (documents about the same year disagree).';
COMMENT ON COLUMN quality.cross_document_findings.alarm IS 'True when the finding raises a warning and an alert; false for growth at comparable prices compared with nominal levels.';
COMMENT ON COLUMN quality.cross_document_findings.severity IS 'warn (cross-document findings never block the marts).';
COMMENT ON COLUMN quality.cross_document_findings.region IS 'The region both figures are about.';
COMMENT ON COLUMN quality.cross_document_findings.indicator_code IS 'The indicator both figures are about (indicators.csv code).';
COMMENT ON COLUMN quality.cross_document_findings.year IS 'The year the figures are about (for growth_gap: the later of the two levels).';
COMMENT ON COLUMN quality.cross_document_findings.period IS 'FY, H1, Q1-Q3 … as in core.indicator_facts.';
COMMENT ON COLUMN quality.cross_document_findings.basis IS 'actual or target.';
COMMENT ON COLUMN quality.cross_document_findings.measure IS 'The measure compared (growth_pct for growth_gap).';
COMMENT ON COLUMN quality.cross_document_findings.price_basis IS 'growth_gap only: comparable_prices when the stated growth is at comparable prices (GDP, value added), else nominal.';
COMMENT ON COLUMN quality.cross_document_findings.value_a IS 'growth_gap: the stated growth in percent; revision/conflict: the value in document_a.';
COMMENT ON COLUMN quality.cross_document_findings.value_b IS 'growth_gap: the growth computed from the two levels, in percent; revision/conflict: the value in document_b.';
COMMENT ON COLUMN quality.cross_document_findings.gap IS 'growth_gap: stated minus computed, in percentage points; revision/conflict: value_b minus value_a.';
COMMENT ON COLUMN quality.cross_document_findings.document_a IS 'growth_gap: the document stating the growth; revision/conflict: the earlier document.';
COMMENT ON COLUMN quality.cross_document_findings.fact_a IS 'The core.indicator_facts fact_id behind value_a.';
COMMENT ON COLUMN quality.cross_document_findings.raw_text_a IS 'The figure behind value_a as written.';
COMMENT ON COLUMN quality.cross_document_findings.document_b IS 'growth_gap: the document giving the later level; revision/conflict: the later document.';
COMMENT ON COLUMN quality.cross_document_findings.fact_b IS 'The core.indicator_facts fact_id behind value_b (growth_gap: the later level).';
COMMENT ON COLUMN quality.cross_document_findings.raw_text_b IS 'The figure behind value_b as written.';
COMMENT ON COLUMN quality.cross_document_findings.message IS 'What was found and what to do, in words a person can act on.';
COMMENT ON COLUMN quality.cross_document_findings.detected_at IS 'When the findings were last computed (UTC).';
