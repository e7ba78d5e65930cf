-- quality.document_errors: a stage of one document's work that broke (a reader or engine bug, a
-- time limit, a dead worker, a failed write). The document costs only itself: the rest of the
-- batch goes on; the error is kept here and alerted. Replaced with the document's rows.
CREATE TABLE IF NOT EXISTS quality.document_errors (
    document_id  VARCHAR NOT NULL,
    stage        VARCHAR NOT NULL CHECK (stage IN ('read', 'metadata', 'extract', 'screen', 'load')),
    error_type   VARCHAR NOT NULL,
    message      VARCHAR NOT NULL,
    detected_at  TIMESTAMP NOT NULL
);

-- quality.mart_builds: which state of core each mart was last built from, so that a run that died
-- while rebuilding the marts is repaired by the next one even when no document is new.
CREATE TABLE IF NOT EXISTS quality.mart_builds (
    mart          VARCHAR PRIMARY KEY,
    core_state    VARCHAR NOT NULL,
    built_at      TIMESTAMP NOT NULL
);

-- Columns added after the first release (existing warehouses get them here).
ALTER TABLE quality.quarantine ADD COLUMN IF NOT EXISTS held_back BOOLEAN DEFAULT true;
ALTER TABLE core.documents ADD COLUMN IF NOT EXISTS region_note VARCHAR;
ALTER TABLE core.indicator_facts ADD COLUMN IF NOT EXISTS value_high DOUBLE;

COMMENT ON TABLE quality.document_errors IS 'A stage of one document''s work that broke (reader or engine bug, time limit, dead worker, failed write); the rest of the batch went on. One row per document and stage, replaced when the document is re-processed.';
COMMENT ON COLUMN quality.document_errors.document_id IS 'The document (raw.documents.document_id).';
COMMENT ON COLUMN quality.document_errors.stage IS 'read, metadata, extract, screen or load.';
COMMENT ON COLUMN quality.document_errors.error_type IS 'The exception''s class, TimeoutError (the per-document time limit) or WorkerDied.';
COMMENT ON COLUMN quality.document_errors.message IS 'What broke, in the words of the error.';
COMMENT ON COLUMN quality.document_errors.detected_at IS 'When (UTC).';
COMMENT ON TABLE quality.mart_builds IS 'The state of core (a fingerprint of its rows) each mart was last built from; a mart whose state differs from core''s is rebuilt by the next run.';
COMMENT ON COLUMN quality.mart_builds.mart IS 'The mart (marts.<name>).';
COMMENT ON COLUMN quality.mart_builds.core_state IS 'Fingerprint of core.documents and core.indicator_facts when the mart was built.';
COMMENT ON COLUMN quality.mart_builds.built_at IS 'When the build committed (UTC).';
COMMENT ON COLUMN quality.quarantine.held_back IS 'True when the figure was kept out of core; false for a plausibility warning on a figure that was loaded.';
COMMENT ON COLUMN core.documents.region_note IS 'Why region is NULL (no division name in the title or the opening, a failed step); NULL when the region was found.';
COMMENT ON COLUMN core.indicator_facts.value_high IS 'The upper end of a range (comparator between); NULL otherwise.';
