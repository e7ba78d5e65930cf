-- Figures that a later document states differently from an earlier one, in publication order.
SELECT
    r.region,
    r.indicator_code,
    r.year,
    r.period,
    r.basis,
    r.measure,
    r.revision_no,
    r.earlier_raw_text,
    r.later_raw_text,
    r.earlier_value,
    r.later_value,
    r.change,
    r.earlier_title,
    r.earlier_published_on,
    r.later_title,
    r.later_published_on
FROM marts.indicator_revisions AS r
ORDER BY r.region, r.indicator_code, r.year, r.period, r.basis, r.measure, r.revision_no;
