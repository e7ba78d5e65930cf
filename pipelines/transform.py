"""Per-document transforms, plain functions: archived bytes → raw rows → core rows.

The Dagster assets loop over documents and call these; tests call them directly.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timezone

from . import tables
from .extract import extract_facts
from .extract.model import Fact
from .landing import Archive, LandedFile
from .metadata import DocumentMetadata, extract_metadata
from .quality.rules import QuarantineRecord, screen, unread_figures
from .versioning import core_version
from .readers import READER_VERSION, ReadResult, RejectedDocument, TableBlock, TableCell, read_document

_CJK = re.compile(r"[\u3400-\u9fff]")
_REPORT_CUES = re.compile(r"增长|下降|亿元|万元|%|计划|报告|公报|经济|生产总值|投资|收入|指标|增長|經濟")


# What core.documents.extractor_version records: a document is re-extracted when either changes.
CORE_VERSION = core_version()  # a hash of the rules, lexicon and metadata code (about 1 ms)


def now_utc() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


@dataclass(frozen=True)
class DocumentError:
    """One stage of one document's work that broke (a row of ``quality.document_errors``).

    Stages: read, metadata, extract, screen, load. The document costs only itself: the rest of
    the batch goes on, and the error is kept and alerted.
    """

    stage: str
    error_type: str
    message: str

    @classmethod
    def of(cls, stage: str, error: BaseException | object) -> "DocumentError":
        if isinstance(error, BaseException):
            return cls(stage, type(error).__name__, str(error)[:2000])
        return cls(stage, getattr(error, "error_type", "Error"), getattr(error, "message", str(error)))


@dataclass
class RawOutcome:
    """What the raw layer records for one document."""

    landed: LandedFile
    status: str  # parsed | rejected
    reject_reason: str | None = None
    media_type: str | None = None
    encoding: str | None = None
    result: ReadResult | None = None
    errors: list[DocumentError] = field(default_factory=list)


def looks_like_report(text: str) -> str | None:
    """None when the text reads like a report; else why not (e.g. an error page saved as HTML)."""
    cjk = len(_CJK.findall(text[:20000]))
    if cjk < 30:
        return f"not a report: only {cjk} Chinese characters of text (an error or navigation page?)"
    if not re.search(r"\d", text) or not _REPORT_CUES.search(text):
        return "not a report: no figures or economic terms in the text"
    return None


def read_landed(archive: Archive, document_id: str) -> RawOutcome:
    """Read one archived document; every failure becomes a rejection with its reason."""
    landed = archive.read_sidecar(document_id)
    if landed.reject_reason:
        return RawOutcome(landed, "rejected", landed.reject_reason)
    try:
        data = archive.read_bytes(document_id)
        result = read_document(data, landed.file_name)
    except RejectedDocument as rejected:
        return RawOutcome(landed, "rejected", rejected.reason, rejected.media_type, rejected.encoding)
    except Exception as error:  # a reader bug must not sink the batch; the reason says what broke
        return failed_read(landed, DocumentError.of("read", error))
    reason = looks_like_report(result.text)
    if reason:
        return RawOutcome(landed, "rejected", reason, result.media_type, result.encoding)
    return RawOutcome(landed, "parsed", None, result.media_type, result.encoding, result)


def failed_read(landed: LandedFile, error: DocumentError) -> RawOutcome:
    """A document whose reading broke (a reader bug, a time limit, a dead worker): rejected, with why."""
    reason = f"could not be read: the {landed.file_name.rsplit('.', 1)[-1].lower() or 'file'} reader stopped with " \
             f"{error.error_type}: {error.message}"
    return RawOutcome(landed, "rejected", reason, errors=[error])


def read_job(job: tuple[str, str]) -> RawOutcome:
    """``read_landed`` for a worker process: (archive root, document id) → outcome."""
    root, document_id = job
    return read_landed(Archive(root), document_id)


# The rows below follow the declared column order (warehouse/schema/<table>.yml); superseded_by is
# set by load.py's UPDATE once every path of a document has a newer version.
RAW_DOCUMENT_COLUMNS = tables.columns("raw.documents", without=("superseded_by",))
RAW_TEXT_COLUMNS = tables.columns("raw.document_texts")


def raw_rows(outcome: RawOutcome, ingested_at: datetime) -> tuple[tuple, tuple | None]:
    """(raw.documents row, raw.document_texts row or None)."""
    landed, result = outcome.landed, outcome.result
    published = date.fromisoformat(landed.published_on) if landed.published_on else None
    document_row = (landed.document_id, landed.source_path, landed.file_name, outcome.media_type,
                    landed.size_bytes, landed.sha256, outcome.encoding, outcome.status, outcome.reject_reason,
                    ingested_at, result.page_count if result else None, READER_VERSION, landed.source_url,
                    published)
    if result is None:
        return document_row, None
    text_row = (landed.document_id, result.text, json.dumps(result.page_spans), tables_to_json(result.tables),
                landed.title or result.title_hint)  # a manifest's title is people's word; <title> is the site's
    return document_row, text_row


def tables_to_json(tables: list[TableBlock]) -> str:
    """A reader's tables as stored in raw.document_texts.tables (cells with their offsets)."""
    return json.dumps([{"page": t.page, "char_start": t.char_start, "char_end": t.char_end,
                        "rows": [[[c.text, c.char_start, c.char_end] for c in row] for row in t.rows]}
                       for t in tables], ensure_ascii=False)


def tables_from_json(payload: str | None) -> list[TableBlock]:
    if not payload:
        return []
    return [TableBlock(page=t["page"], char_start=t["char_start"], char_end=t["char_end"],
                       rows=tuple(tuple(TableCell(c[0], c[1], c[2]) for c in row) for row in t["rows"]))
            for t in json.loads(payload)]


@dataclass
class CoreOutcome:
    """Everything core and quarantine receive for one document."""

    document_id: str
    metadata: DocumentMetadata
    char_count: int
    page_count: int | None
    facts: list[Fact] = field(default_factory=list)
    pages: list[int | None] = field(default_factory=list)
    quarantined: list[QuarantineRecord] = field(default_factory=list)
    errors: list[DocumentError] = field(default_factory=list)
    text_loaded: bool = True  # False when the text itself could not be written


def fallback_metadata(file_name: str, title_hint: str | None, published_hint: date | None,
                      why: str) -> DocumentMetadata:
    """What can be said of a document whose metadata was not read: its name, nothing guessed."""
    title = (title_hint or "").strip() or (file_name.rsplit(".", 1)[0] if file_name else None)
    return DocumentMetadata(title=title, region=None, region_code=None, doc_type="other", actual_year=None,
                            plan_year=None, published_on=published_hint, source_agency=None,
                            region_note=f"unknown: {why}")


def _failed_extraction(stage: str, error: DocumentError) -> QuarantineRecord:
    return QuarantineRecord(raw_text="", sentence="", char_start=None, char_end=None,
                            check_name="extraction_timeout" if error.error_type == "TimeoutError" else "extraction_error",
                            severity="error",
                            reason=f"{stage} failed, no figure of this document was loaded: "
                                   f"{error.error_type}: {error.message}")


def build_core(document_id: str, text: str, *, file_name: str = "", title_hint: str | None = None,
               published_hint: date | None = None, page_spans: list | None = None,
               tables: list[TableBlock] | None = None, source_url: str | None = None) -> CoreOutcome:
    """Metadata, extraction and screening for one document's text; never raises.

    A bug in any stage on one document must not sink the batch: a broken metadata reader leaves
    the document with its name only, a broken engine or screen loads it without figures; each
    such error is recorded (``quality.document_errors``), quarantined and alerted.
    """
    errors: list[DocumentError] = []
    try:
        metadata = extract_metadata(text, file_name, title_hint=title_hint, published_hint=published_hint,
                                    source_url=source_url)
    except Exception as error:
        errors.append(DocumentError.of("metadata", error))
        metadata = fallback_metadata(file_name, title_hint, published_hint, "the metadata step failed")
    spans = [tuple(span) for span in (page_spans or [])]
    outcome = CoreOutcome(document_id, metadata, len(text), len(spans) or None, errors=errors)
    stage = "extract"
    try:
        result = extract_facts(text, metadata.context(), tables or ())
        stage = "screen"
        screened = screen(result, metadata.context())
        accepted, unread = unread_figures(text, result, screened)
    except Exception as error:
        failure = DocumentError.of(stage, error)
        outcome.errors.append(failure)
        outcome.quarantined.append(_failed_extraction(stage, failure))
        return outcome
    reader = ReadResult(text=text, media_type="", page_spans=spans)
    outcome.facts = accepted
    outcome.pages = [reader.page_at(fact.char_start) for fact in accepted]
    outcome.quarantined = screened.quarantined + unread
    return outcome


@dataclass(frozen=True)
class CoreJob:
    """One document's input to ``build_core``, as a worker process receives it."""

    document_id: str
    text: str
    file_name: str = ""
    title_hint: str | None = None
    published_hint: date | None = None
    page_spans: list | None = None
    tables: list[TableBlock] | None = None
    source_url: str | None = None


def unloadable_core(outcome: CoreOutcome, error: DocumentError) -> CoreOutcome:
    """What is written when a document's core rows cannot be: its name and the error, no text or figures."""
    title = (outcome.metadata.title or "").encode("utf-8", "replace").decode("utf-8").replace("\x00", "")
    metadata = fallback_metadata("", title, outcome.metadata.published_on, "the document's rows could not be written")
    return CoreOutcome(outcome.document_id, metadata, outcome.char_count, outcome.page_count,
                       quarantined=[_failed_extraction("loading", error)], errors=[error], text_loaded=False)


def core_job(job: CoreJob) -> CoreOutcome:
    return build_core(job.document_id, job.text, file_name=job.file_name, title_hint=job.title_hint,
                      published_hint=job.published_hint, page_spans=job.page_spans, tables=job.tables,
                      source_url=job.source_url)


def failed_core(job: CoreJob, error: DocumentError) -> CoreOutcome:
    """A document whose core work did not finish (time limit, dead worker): loaded without figures."""
    metadata = fallback_metadata(job.file_name, job.title_hint, job.published_hint,
                                 "the document's work did not finish")
    return CoreOutcome(job.document_id, metadata, len(job.text), len(job.page_spans or []) or None,
                       quarantined=[_failed_extraction("extraction", error)], errors=[error])


def fact_id(document_id: str, fact: Fact) -> str:
    """Deterministic: the same document always yields the same ids."""
    key = f"{document_id}|{fact.char_start}|{fact.char_end}|{fact.measure}|{fact.indicator_label}|{fact.year}|{fact.basis}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


CORE_DOCUMENT_COLUMNS = tables.columns("core.documents")
FACT_COLUMNS = tables.columns("core.indicator_facts")


def core_rows(outcome: CoreOutcome, loaded_at: datetime) -> tuple[tuple, list[tuple]]:
    m = outcome.metadata
    document_row = (outcome.document_id, m.title, m.region, m.region_code, m.doc_type, m.actual_year, m.plan_year,
                    m.published_on, m.source_agency, outcome.page_count, outcome.char_count, CORE_VERSION,
                    loaded_at, m.region_note)
    seen: set[str] = set()
    fact_rows = []
    for fact, page in zip(outcome.facts, outcome.pages):
        identifier = fact_id(outcome.document_id, fact)
        if identifier in seen:
            continue
        seen.add(identifier)
        fact_rows.append((identifier, outcome.document_id, m.region, fact.indicator_code, fact.indicator_label,
                          fact.year, fact.period, fact.basis, fact.measure, fact.value, fact.unit, fact.comparator,
                          fact.raw_text, fact.qualifier, page, fact.char_start, fact.char_end, fact.sentence,
                          fact.raw_unit, fact.value_high))
    return document_row, fact_rows


DOCUMENT_ERROR_COLUMNS = tables.columns("quality.document_errors")


def error_rows(document_id: str, errors: list[DocumentError], detected_at: datetime) -> list[tuple]:
    return [(document_id, e.stage, e.error_type, e.message, detected_at) for e in errors]
