-- raw.documents: one row per distinct source file ever offered (key: first 16 hex of the
-- SHA-256 of its bytes), parsed or rejected, with the reason when rejected.
CREATE TABLE IF NOT EXISTS raw.documents (
    document_id     VARCHAR PRIMARY KEY,
    source_path     VARCHAR NOT NULL,
    file_name       VARCHAR NOT NULL,
    media_type      VARCHAR,
    size_bytes      BIGINT,
    sha256          VARCHAR,
    encoding        VARCHAR,
    status          VARCHAR NOT NULL CHECK (status IN ('parsed', 'rejected')),
    reject_reason   VARCHAR,
    ingested_at     TIMESTAMP NOT NULL,
    page_count      INTEGER,
    reader_version  VARCHAR,
    source_url      VARCHAR,   -- from a sources manifest, when one describes the file
    published_hint  DATE,      -- publication date from a sources manifest
    superseded_by   VARCHAR    -- a later version of the same source path replaced this one
);

-- raw.document_sources: every path under which a document's bytes were offered
-- (the same bytes under two names are one document with two sources).
CREATE TABLE IF NOT EXISTS raw.document_sources (
    document_id     VARCHAR NOT NULL,
    source_path     VARCHAR NOT NULL,
    first_seen_at   TIMESTAMP NOT NULL,
    last_offered_at TIMESTAMP NOT NULL,
    PRIMARY KEY (document_id, source_path)
);

-- raw.document_texts: the reader's output, before metadata and extraction: the normalised
-- text, and where each PDF page starts and ends in it.
CREATE TABLE IF NOT EXISTS raw.document_texts (
    document_id     VARCHAR PRIMARY KEY,
    text            VARCHAR NOT NULL,
    page_spans      JSON,
    tables          JSON,
    title_hint      VARCHAR    -- e.g. the HTML <title>
);
