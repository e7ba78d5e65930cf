-- quality.quarantine: figures and documents held back from core, and why.
CREATE TABLE IF NOT EXISTS quality.quarantine (
    document_id   VARCHAR NOT NULL,
    raw_text      VARCHAR,
    sentence      VARCHAR,
    char_start    INTEGER,
    check_name    VARCHAR NOT NULL,
    reason        VARCHAR NOT NULL,
    severity      VARCHAR NOT NULL,
    detected_at   TIMESTAMP NOT NULL,
    char_end      INTEGER,
    indicator_code VARCHAR
);

-- quality.alerts: one row per alert raised, and where it was delivered.
CREATE TABLE IF NOT EXISTS quality.alerts (
    alert_id      VARCHAR PRIMARY KEY,
    created_at    TIMESTAMP NOT NULL,
    severity      VARCHAR NOT NULL CHECK (severity IN ('warn', 'error')),
    check_name    VARCHAR NOT NULL,
    document_id   VARCHAR,
    message       VARCHAR NOT NULL,
    delivered_to  VARCHAR
);
