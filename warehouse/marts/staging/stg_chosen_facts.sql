-- marts.stg_chosen_facts (staging view): the one value per (region, indicator_code, year, period,
-- basis, measure, unit) an analyst should quote, picked from marts.stg_stated_facts by the rule of
-- marts.latest_indicators (which publishes it) and marts.indicator_yoy (which compares it across
-- years), so that the figures agree across marts:
--   1. a final figure beats a preliminary estimate (is_final TRUE first; targets are all equal here),
--   2. a later publication beats an earlier one (pub_order_date, then published_on, descending),
--   3. tie-break: document_id, then char_start, then fact_id, ascending.
-- n_documents / n_distinct_values (from marts.stg_stated_facts) count the documents stating the
-- key and the values they give.
--
-- A view, so it is never stale; pipelines/marts.py creates it before the marts.
-- Built only from marts.stg_stated_facts.
CREATE OR REPLACE VIEW marts.stg_chosen_facts AS
SELECT * EXCLUDE (pick)
FROM (
    SELECT
        s.*,
        row_number() OVER (
            PARTITION BY s.region, s.indicator_code, s.year, s.period, s.basis, s.measure, s.unit
            ORDER BY CASE WHEN s.is_final THEN 0 ELSE 1 END,
                     s.pub_order_date DESC NULLS LAST,
                     s.published_on DESC NULLS LAST,
                     s.document_id, s.char_start, s.fact_id
        ) AS pick
    FROM marts.stg_stated_facts AS s
)
WHERE pick = 1;
