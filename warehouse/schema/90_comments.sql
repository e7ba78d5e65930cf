-- Descriptions of every table and column of the raw, core and quality DDL (00-30), so that
-- DESCRIBE, duckdb_tables() / duckdb_columns() and docs/data_dictionary.md show them.
-- COMMENT ON is idempotent: running this file again changes nothing. The marts get their
-- comments from warehouse/marts/<name>.yml when they are built (pipelines/marts.py).

-- raw.documents -------------------------------------------------------------------------------
COMMENT ON TABLE raw.documents IS 'One row per distinct source file ever offered, parsed or rejected (key: first 16 hex of the SHA-256 of its bytes), with the reason when rejected.';
COMMENT ON COLUMN raw.documents.document_id IS 'First 16 hex characters of the SHA-256 of the file bytes; the key of the document in every layer.';
COMMENT ON COLUMN raw.documents.source_path IS 'Path under which the bytes were first offered (all paths: raw.document_sources).';
COMMENT ON COLUMN raw.documents.file_name IS 'File name part of source_path.';
COMMENT ON COLUMN raw.documents.media_type IS 'Media type detected from the bytes, e.g. text/plain, text/html, application/pdf.';
COMMENT ON COLUMN raw.documents.size_bytes IS 'Size of the file in bytes.';
COMMENT ON COLUMN raw.documents.sha256 IS 'Full SHA-256 of the file bytes, hex.';
COMMENT ON COLUMN raw.documents.encoding IS 'Character encoding the text was decoded from (e.g. utf-8, gb18030); NULL for PDF.';
COMMENT ON COLUMN raw.documents.status IS 'parsed (text extracted, document in core) or rejected (see reject_reason).';
COMMENT ON COLUMN raw.documents.reject_reason IS 'Why the file was rejected, in words a person can act on; NULL when parsed.';
COMMENT ON COLUMN raw.documents.ingested_at IS 'When the file was first read.';
COMMENT ON COLUMN raw.documents.page_count IS 'Number of PDF pages; NULL for text and HTML.';
COMMENT ON COLUMN raw.documents.reader_version IS 'Version of the reader that produced the text.';
COMMENT ON COLUMN raw.documents.source_url IS 'URL the file was downloaded from, when a sources manifest describes the file.';
COMMENT ON COLUMN raw.documents.published_hint IS 'Publication date from a sources manifest, when one describes the file.';
COMMENT ON COLUMN raw.documents.superseded_by IS 'document_id of a later version offered under the same source path, which replaced this one; NULL when current.';

-- raw.document_sources ------------------------------------------------------------------------
COMMENT ON TABLE raw.document_sources IS 'Every path under which a document''s bytes were offered; the same bytes under two names are one document with two sources.';
COMMENT ON COLUMN raw.document_sources.document_id IS 'The document (raw.documents.document_id).';
COMMENT ON COLUMN raw.document_sources.source_path IS 'A path under which these bytes were offered.';
COMMENT ON COLUMN raw.document_sources.first_seen_at IS 'When the bytes were first seen under this path.';
COMMENT ON COLUMN raw.document_sources.last_offered_at IS 'When the bytes were last offered under this path.';

-- raw.document_texts --------------------------------------------------------------------------
COMMENT ON TABLE raw.document_texts IS 'The reader''s output before metadata and extraction: the normalised text and where each PDF page starts and ends in it.';
COMMENT ON COLUMN raw.document_texts.document_id IS 'The document (raw.documents.document_id).';
COMMENT ON COLUMN raw.document_texts.text IS 'Normalised full text of the document (PDF pages joined in order).';
COMMENT ON COLUMN raw.document_texts.page_spans IS 'JSON list of [start, end) character offsets of each PDF page in text; NULL for text and HTML.';
COMMENT ON COLUMN raw.document_texts.tables IS 'JSON of the tables the reader found (rows of cells), when any.';
COMMENT ON COLUMN raw.document_texts.title_hint IS 'A title the container offers, e.g. the HTML <title>; NULL when none.';

-- core.documents ------------------------------------------------------------------------------
COMMENT ON TABLE core.documents IS 'One row per parsed document, with metadata read from its text.';
COMMENT ON COLUMN core.documents.document_id IS 'First 16 hex of the SHA-256 of the source bytes (raw.documents.document_id).';
COMMENT ON COLUMN core.documents.title IS 'Title of the document as it states it.';
COMMENT ON COLUMN core.documents.region IS 'Full official name of the region with its province or municipality, e.g. 北京市大兴区, 浙江省杭州市; 中华人民共和国 for national documents; NULL when unknown (region_note says why).';
COMMENT ON COLUMN core.documents.region_code IS '6-digit administrative division code of the region, e.g. 110115; 100000 for the whole country; NULL for a national-level new area without a code of its own (雄安新区).';
COMMENT ON COLUMN core.documents.doc_type IS 'plan_report, gov_work_report, stats_bulletin, half_year_report or other.';
COMMENT ON COLUMN core.documents.actual_year IS 'The year whose outcome the document reports, NULL when none.';
COMMENT ON COLUMN core.documents.plan_year IS 'The year whose targets the document sets, NULL when none.';
COMMENT ON COLUMN core.documents.published_on IS 'Publication date, NULL when the document does not say.';
COMMENT ON COLUMN core.documents.source_agency IS 'Issuing agency, e.g. 区发改委, 区统计局.';
COMMENT ON COLUMN core.documents.page_count IS 'Number of PDF pages; NULL for text and HTML.';
COMMENT ON COLUMN core.documents.char_count IS 'Length of core.document_texts.text in characters.';
COMMENT ON COLUMN core.documents.extractor_version IS 'Version of the extraction engine that produced this document''s facts.';
COMMENT ON COLUMN core.documents.loaded_at IS 'When this document''s rows were (re)loaded into core.';

-- core.document_texts -------------------------------------------------------------------------
COMMENT ON TABLE core.document_texts IS 'The full extracted, normalised text of each parsed document: the string every offset in core.indicator_facts points into.';
COMMENT ON COLUMN core.document_texts.document_id IS 'The document (core.documents.document_id).';
COMMENT ON COLUMN core.document_texts.text IS 'Full normalised text; substr(text, char_start + 1, char_end - char_start) returns a fact''s raw_text.';

-- core.indicator_facts ------------------------------------------------------------------------
COMMENT ON TABLE core.indicator_facts IS 'One row per extracted figure, traceable to its characters in core.document_texts.';
COMMENT ON COLUMN core.indicator_facts.fact_id IS 'Deterministic id: the same document always yields the same ids.';
COMMENT ON COLUMN core.indicator_facts.document_id IS 'The document the figure was read from (core.documents.document_id).';
COMMENT ON COLUMN core.indicator_facts.region IS 'Full official region name the figure is about.';
COMMENT ON COLUMN core.indicator_facts.indicator_code IS 'Canonical indicator code from indicators.csv (core.indicators.code), or NULL when the figure maps to no canonical indicator.';
COMMENT ON COLUMN core.indicator_facts.indicator_label IS 'What the text says the figure measures, e.g. 规模以上工业总产值.';
COMMENT ON COLUMN core.indicator_facts.year IS 'The year the figure is for.';
COMMENT ON COLUMN core.indicator_facts.period IS 'FY for a whole year, else the part of year covered: H1, Q1, Q1-Q3, M1-M10 ...';
COMMENT ON COLUMN core.indicator_facts.basis IS 'actual (an outcome for a past year, preliminary estimates included) or target (a plan or goal).';
COMMENT ON COLUMN core.indicator_facts.measure IS 'value (a level), growth_pct (year-on-year growth in percent), rank, share_pct or change_pp (percentage points).';
COMMENT ON COLUMN core.indicator_facts.value IS 'The figure normalised to the base unit of unit (亿元 x 1e8 -> CNY, 3.14% -> 3.14, 下降17.7% -> -17.7).';
COMMENT ON COLUMN core.indicator_facts.unit IS 'Base unit code: CNY, USD, percent, ug/m3, count, person, person_time, flight, m2, t, m3, km, rank.';
COMMENT ON COLUMN core.indicator_facts.comparator IS '= plain figure, ~ 左右/约, >= 以上/不少于/不低于, <= 以内/以下/不超过/控制在, > 超过/突破/逾/余, < 不足/低于.';
COMMENT ON COLUMN core.indicator_facts.raw_text IS 'The figure exactly as written.';
COMMENT ON COLUMN core.indicator_facts.qualifier IS 'Scope or caveat: rank scope (全市), 扣除疫苗影响 ...; NULL when none.';
COMMENT ON COLUMN core.indicator_facts.page IS 'PDF page number (1-based) the figure stands on; NULL for text and HTML.';
COMMENT ON COLUMN core.indicator_facts.char_start IS 'Offset of raw_text in core.document_texts.text (0-based).';
COMMENT ON COLUMN core.indicator_facts.char_end IS 'End offset (exclusive) of raw_text in core.document_texts.text.';
COMMENT ON COLUMN core.indicator_facts.sentence IS 'The sentence (or table row) the figure stands in.';
COMMENT ON COLUMN core.indicator_facts.raw_unit IS 'The unit as written, e.g. 亿元.';

-- quality.quarantine --------------------------------------------------------------------------
COMMENT ON TABLE quality.quarantine IS 'Figures and documents held back from core by the quality checks, and why.';
COMMENT ON COLUMN quality.quarantine.document_id IS 'The document the figure (or the whole document) comes from.';
COMMENT ON COLUMN quality.quarantine.raw_text IS 'The figure as written, NULL when the whole document is held back.';
COMMENT ON COLUMN quality.quarantine.sentence IS 'The sentence the figure stands in.';
COMMENT ON COLUMN quality.quarantine.char_start IS 'Offset of raw_text in the document text.';
COMMENT ON COLUMN quality.quarantine.check_name IS 'The check that held it back, e.g. malformed_number, missing_unit, value_range.';
COMMENT ON COLUMN quality.quarantine.reason IS 'Why, in words a person can act on.';
COMMENT ON COLUMN quality.quarantine.severity IS 'warn or error.';
COMMENT ON COLUMN quality.quarantine.detected_at IS 'When the check ran.';
COMMENT ON COLUMN quality.quarantine.char_end IS 'End offset (exclusive) of raw_text in the document text.';
COMMENT ON COLUMN quality.quarantine.indicator_code IS 'Canonical indicator code the figure would have had, when known.';

-- quality.alerts ------------------------------------------------------------------------------
COMMENT ON TABLE quality.alerts IS 'One row per alert raised by the quality checks, and where it was delivered.';
COMMENT ON COLUMN quality.alerts.alert_id IS 'Deterministic id of the alert.';
COMMENT ON COLUMN quality.alerts.created_at IS 'When the alert was raised.';
COMMENT ON COLUMN quality.alerts.severity IS 'warn or error.';
COMMENT ON COLUMN quality.alerts.check_name IS 'The check that raised it.';
COMMENT ON COLUMN quality.alerts.document_id IS 'The document concerned, NULL for run-wide alerts.';
COMMENT ON COLUMN quality.alerts.message IS 'What happened and what to do, in words a person can act on.';
COMMENT ON COLUMN quality.alerts.delivered_to IS 'Where the alert was sent (log, file, webhook ...).';

-- core.indicators -----------------------------------------------------------------------------
-- The reference table is filled from pipelines/data/indicators.csv by pipelines/warehouse.py
-- (ensure_schema), which runs after these files; it is declared here too, with the same columns,
-- so that its comments can be set.
CREATE TABLE IF NOT EXISTS core.indicators (
    code      VARCHAR PRIMARY KEY,
    name_zh   VARCHAR,
    name_en   VARCHAR,
    base_unit VARCHAR,
    better    VARCHAR,
    note      VARCHAR
);
COMMENT ON TABLE core.indicators IS 'The canonical headline indicators (pipelines/data/indicators.csv): the codes core.indicator_facts.indicator_code may take.';
COMMENT ON COLUMN core.indicators.code IS 'Canonical indicator code, e.g. gdp, industrial_output, pm25.';
COMMENT ON COLUMN core.indicators.name_zh IS 'Chinese name, e.g. 地区生产总值.';
COMMENT ON COLUMN core.indicators.name_en IS 'English name.';
COMMENT ON COLUMN core.indicators.base_unit IS 'Base unit of its levels (CNY, percent, ug/m3, person ...).';
COMMENT ON COLUMN core.indicators.better IS 'Which direction is better: higher or lower (used by marts.plan_vs_actual).';
COMMENT ON COLUMN core.indicators.note IS 'Notes on reading the indicator, e.g. keep USD when reported in dollars.';
