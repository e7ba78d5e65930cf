"""Cue regexes shared by the stages, each built from ``pipelines/data/cues.csv`` on first use.
"""

from __future__ import annotations

import re

from . import lexicon as lex


# words that do not name a new subject between a label and its figure
FILLER = lex.rx("filler")
GROWTH = lex.rx("growth_words")
NEG = lex.rx("fall_words")
GROWTH_NOUNS = lex.words("growth_nouns")
ABS_CHANGE = lex.rx("abs_change")
INDUSTRY_TOPIC = lex.rx("industry_topic")
ELLIPTIC_INDUSTRY = lex.LazyTable("elliptic_industry")
LEAD_PUNCT = re.compile(r"^[\s,，、;；:：。]+")
TRAIL_OPEN = re.compile(r"[(（“\"]+$")
TRAIL_VERB = lex.rx("label_trailing_verbs")
COMPOSITE = lex.rx("industry_composite")
# 完成年度计划的102% / 为上年的95%: a share of a plan or of another figure, not a growth rate
TO_AFTER = lex.rx("range_to_after")
TO_LEVEL = lex.rx("fall_to_level")
PART_OF = lex.rx("part_of")
SHARE_CUT = lex.rx("share_cut")
SHARE_WORDS = lex.rx("share_words")
RANGE_SEP = lex.rx("range_sep")
LIST_SEP = lex.rx("list_sep")
QUAL = lex.rx("qualifiers")
REAL_GROWTH = lex.rx("real_growth")
AVG = lex.rx("multi_year_average")
BASE_YEAR = lex.rx("base_year_growth")
CUM = lex.rx("cumulative")
SPAN = lex.rx("year_span")
FROM = lex.rx("from_year")
TO = lex.rx("to_year")
RNG = lex.rx("year_range")
YEAR_OF = lex.rx("year_of")
WHOLE_YEAR = lex.rx("whole_year")
PAIRS = lex.LazyTable("pair_labels", lambda v: tuple(v.split("|")))
ATTRIB_AFTER = lex.rx("attributive_after")
TITLE_FIGURE = lex.rx("title_figure")
CUE_TAIL = lex.rx("cue_tail")
LIST_ITEM = lex.rx("list_item_mark")
YEAR_PAIR = lex.rx("year_pair")
LIST_ITEMS = lex.rx("list_item_text")
ITEM_YEAR = re.compile(r"\s*((?:19|20)\d{2})年?")
ITEM_YEAR_COMMA = re.compile(r"\s*((?:19|20)\d{2})年[,，]")
REGION_SUFFIX = lex.rx("region_suffix")
SELF = lex.words("own_region_words")
PLACE_END = lex.words("place_suffix_chars")
RUN_OF_YEARS = lex.rx("run_of_years")
BARE_RANGE_LOW = lex.rx("bare_range_low")
SELF_LEVEL = lex.rx("self_level")
OTHER_REGION_WORDS = lex.rx("other_region_words", "(?:{})$")
LABEL_BLOCKERS = lex.rx("label_blockers")
RATIO_LABELS = lex.Lazy(lambda: [(re.compile(k), v) for k, v in lex.table("ratio_labels").items()])
GROWTH_IS_LEVEL = lex.words("growth_is_level")
ADOPTED_TARGET_AFTER = lex.rx("adopted_target_after")
ABS_CHANGE_BARE = lex.rx("abs_change_bare")
ANNUAL_CLAUSE = lex.rx("annual_clause")
BREAKDOWN_LEAD = lex.rx("breakdown_lead", r"\s*(?:{})\s*[,，:：]")
