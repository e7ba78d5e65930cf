-- core.documents: one row per parsed document, with metadata read from its text.
CREATE TABLE IF NOT EXISTS core.documents (
    document_id       VARCHAR PRIMARY KEY,
    title             VARCHAR,
    region            VARCHAR,
    region_code       VARCHAR,
    doc_type          VARCHAR NOT NULL,
    actual_year       INTEGER,
    plan_year         INTEGER,
    published_on      DATE,
    source_agency     VARCHAR,
    page_count        INTEGER,
    char_count        INTEGER NOT NULL,
    extractor_version VARCHAR NOT NULL,
    loaded_at         TIMESTAMP NOT NULL
);

-- core.document_texts: the string every offset in core.indicator_facts points into.
CREATE TABLE IF NOT EXISTS core.document_texts (
    document_id VARCHAR PRIMARY KEY,
    text        VARCHAR NOT NULL
);

-- core.indicator_facts: one row per extracted figure, traceable to its characters.
CREATE TABLE IF NOT EXISTS core.indicator_facts (
    fact_id          VARCHAR PRIMARY KEY,
    document_id      VARCHAR NOT NULL,
    region           VARCHAR,
    indicator_code   VARCHAR,
    indicator_label  VARCHAR NOT NULL,
    year             INTEGER,
    period           VARCHAR NOT NULL,
    basis            VARCHAR NOT NULL,
    measure          VARCHAR NOT NULL,
    value            DOUBLE NOT NULL,
    unit             VARCHAR NOT NULL,
    comparator       VARCHAR NOT NULL,
    raw_text         VARCHAR NOT NULL,
    qualifier        VARCHAR,
    page             INTEGER,
    char_start       INTEGER NOT NULL,
    char_end         INTEGER NOT NULL,
    sentence         VARCHAR,
    raw_unit         VARCHAR
);
