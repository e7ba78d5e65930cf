"""The extraction engine: report text → traceable facts. Pure Python: no Dagster, no DuckDB.

``extract_facts(text, context, tables=())`` is the one entry point; bump ``EXTRACTOR_VERSION``
whenever its output may change.

Stages, one module each (each takes the previous stage's output):
    textview    simplified-script view with offsets back to the original (OpenCC t2s)
    segment     paragraphs, sentences, clauses as offsets
    document    structure: sections and their role, list lead-ins; per-paragraph years/cues
    figures     numbers with units, ranks, multiples, tier thresholds, malformed figures
    numbers     Arabic and Chinese numerals, magnitudes (cn2an, with its gaps covered)
    units       raw unit → (unit code, multiplier), table in pipelines/data/units.csv
    comparators 左右/以上/控制在 … → ~ >= <= > <
    indicators  alias dictionary (pipelines/data/indicator_aliases.csv), Aho-Corasick matching
    subjects    whose figure: label, code, own region / subset / other region
    linking     ranges, 分别 lists, runs of years
    measures    level, growth (sign), rank, share, change
    context     year, basis and period cues, headings, the document's dates
    docyear     the reviewed year where metadata is silent or gives the page date
    timing      year, basis and period of one figure
    facts       Fact records, qualifiers, multi-year exclusions
    engine      runs the stages sentence by sentence
    tabletext   tables flattened into the text (ruled tables: tables.py)
    lexicon     cue words and patterns from pipelines/data/cues.csv, loaded lazily
    patterns    the named cue regexes the stages share

Libraries where they do the job: OpenCC for traditional script, cn2an for Chinese numerals,
pyahocorasick for the alias dictionary. Segmentation and attribution are regexes over the
genre's own punctuation and cue words rather than a word segmenter (jieba, HanLP): the figures
and labels are found directly, offsets stay exact, and the engine runs at about 1 MB/s.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from .model import DocumentContext, ExtractionResult, Fact, MalformedFigure

if TYPE_CHECKING:
    from pipelines.readers.base import TableBlock

EXTRACTOR_VERSION = "0.5.0"

__all__ = ["EXTRACTOR_VERSION", "DocumentContext", "ExtractionResult", "Fact", "MalformedFigure", "extract_facts"]


def extract_facts(text: str, context: DocumentContext, tables: Sequence["TableBlock"] = ()) -> ExtractionResult:
    """Every figure of ``text``, normalised and grounded (``text[char_start:char_end] == raw_text``)."""
    from .engine import extract

    result = extract(text, context)
    if tables:
        try:
            from . import tables as table_mod  # written by the table engineer; optional
        except ImportError:
            table_mod = None
        if table_mod is not None and hasattr(table_mod, "extract_table_facts"):
            extra = table_mod.extract_table_facts(tables, context)
            if isinstance(extra, ExtractionResult):
                result.malformed.extend(extra.malformed)
                extra = extra.facts
            extra = list(extra)
            # a ruled table is read once: where tables.py read a block, the prose reading of the
            # same cells (text tables, figures with units inside cells) gives way
            spans = [
                (b.char_start, b.char_end)
                for b in tables
                if hasattr(b, "char_start") and any(b.char_start <= f.char_start < b.char_end for f in extra)
            ]
            if spans:
                result.facts = [f for f in result.facts if not any(a <= f.char_start < e for a, e in spans)]
            result.facts.extend(extra)
            result.facts.sort(key=lambda f: (f.char_start, f.char_end, f.indicator_code or "", f.measure))
            result.malformed.sort(key=lambda m: m.char_start)
    return result
