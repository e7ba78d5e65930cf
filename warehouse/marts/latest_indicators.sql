-- marts.latest_indicators: one value per region, indicator_code, year, period, basis, measure
-- (and unit, which only differs for currencies such as USD vs CNY foreign investment).
--
-- Rule for choosing the value, in order:
--   1. a final figure beats a preliminary estimate: a statistical bulletin, or a later year's
--      report looking back, beats the plan / work report's preliminary estimate for the year it
--      has just closed (is_final, see staging/stg_stated_facts.sql);
--   2. a later publication beats an earlier one (published_on; when it is unknown, 1 January of
--      the year after the document's actual_year, else of its plan_year);
--   3. deterministic tie-break: document_id, char_start, fact_id (ascending).
-- Within one document the first statement of a key (by char_start) is the one that counts.
-- Facts with a NULL indicator_code or a NULL year are left out.
-- Facts come from the staging views (warehouse/marts/staging/): marts.stg_stated_facts holds the
-- first statement of each key per document with is_final and pub_order_date, and
-- marts.stg_chosen_facts applies the rule above (it is shared with marts.indicator_yoy, so the
-- figures agree). Built only from those views and core.indicators.
CREATE OR REPLACE TABLE marts.latest_indicators AS
SELECT
    c.region,
    c.region_code,
    c.indicator_code,
    i.name_zh                 AS indicator_name_zh,
    i.name_en                 AS indicator_name_en,
    c.year,
    c.period,
    c.basis,
    c.measure,
    c.unit,
    c.value,
    c.comparator,
    c.qualifier,
    c.is_final,
    c.raw_text,
    c.sentence,
    c.char_start,
    c.char_end,
    c.fact_id,
    c.document_id,
    c.document_title,
    c.doc_type,
    c.published_on,
    c.n_documents,
    c.n_distinct_values
FROM marts.stg_chosen_facts AS c
LEFT JOIN core.indicators AS i ON i.code = c.indicator_code
ORDER BY c.region, c.indicator_code, c.year, c.period, c.basis, c.measure, c.unit;
