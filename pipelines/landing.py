"""Landing: offered paths → archived, hashed files with their provenance.

Every offered file is copied once into a content-addressed archive (``<archive>/<id[:2]>/<id>``,
id = first 16 hex of the SHA-256 of its bytes) beside a JSON sidecar that records every path it
was offered under. The archive is what the Dagster partitions (one per document id) read, so a
document can be re-processed after its inbox copy is gone. Files that cannot be read at all
(a symlink out of the sources roots, a file that vanished) are recorded too, with the reason.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from .readers import READABLE_SUFFIXES

MAX_BYTES = 200 * 1024 * 1024
MANIFEST_NAME = "manifest.csv"


@dataclass
class LandedFile:
    document_id: str
    source_path: str
    file_name: str
    size_bytes: int | None
    sha256: str | None
    offered_at: str
    reject_reason: str | None = None  # set when the file could not even be read
    source_url: str | None = None
    published_on: str | None = None  # from a sources manifest, when one describes the file
    title: str | None = None  # from a sources manifest
    offers: dict[str, str] = field(default_factory=dict)  # every path it was offered under → last offer time


def document_id_for(data: bytes) -> tuple[str, str]:
    digest = hashlib.sha256(data).hexdigest()
    return digest[:16], digest


def _unreadable_id(path: Path) -> str:
    """Files we refuse to read get an id from their path (their ``sha256`` stays NULL).

    It has the contract's shape, 16 hex (WAREHOUSE.md; quality's raw_contract checks it as a
    blocking error, so the former "x…" ids of refused files stopped core for the whole batch).
    The path is hashed with a prefix no file's bytes start with by accident; a clash with a
    content id would take a 64-bit collision.
    """
    return hashlib.sha256(b"annual-etl:unreadable-path\0" + str(path).encode("utf-8", "surrogateescape")).hexdigest()[:16]


def _within(path: Path, roots: list[Path]) -> bool:
    return any(path == root or root in path.parents for root in roots)


def discover(paths: list[str | Path]) -> list[tuple[Path, Path]]:
    """(file, its root) for every file named or found under a named folder, in a stable order.

    Folders contribute files with a supported suffix (and skip hidden files and the manifest);
    a file named explicitly is always offered, so an unsupported one is recorded as rejected.
    """
    found: list[tuple[Path, Path]] = []
    for given in paths:
        path = Path(given).absolute()
        if path.is_dir():
            root = path.resolve()
            for dirpath, dirnames, filenames in os.walk(path, followlinks=False):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                for name in sorted(filenames):
                    if name.startswith(".") or name == MANIFEST_NAME:
                        continue
                    if Path(name).suffix.lower() in READABLE_SUFFIXES:
                        found.append((Path(dirpath) / name, root))
        else:
            found.append((path, path.parent.resolve()))
    return found


def _manifest(folder: Path, cache: dict[Path, dict[str, dict]]) -> dict[str, dict]:
    if folder not in cache:
        entries: dict[str, dict] = {}
        manifest = folder / MANIFEST_NAME
        if manifest.is_file():
            with manifest.open(encoding="utf-8") as handle:
                for row in csv.DictReader(handle):
                    entries[row.get("file", "")] = row
        cache[folder] = entries
    return cache[folder]


class Archive:
    """The content-addressed store of offered files."""

    def __init__(self, root: str | Path):
        self.root = Path(root)

    def blob_path(self, document_id: str) -> Path:
        return self.root / document_id[:2] / document_id

    def sidecar_path(self, document_id: str) -> Path:
        return self.root / document_id[:2] / f"{document_id}.json"

    def read_sidecar(self, document_id: str) -> LandedFile:
        data = json.loads(self.sidecar_path(document_id).read_text(encoding="utf-8"))
        return LandedFile(**data)

    def read_bytes(self, document_id: str) -> bytes:
        return self.blob_path(document_id).read_bytes()

    def _write_atomic(self, target: Path, payload: bytes, durable: bool = True) -> None:
        """Write via a temp file and rename; ``durable``: fsync first (new content the warehouse
        will point at). A rename without fsync still never leaves a half-written file to a
        killed process; it is for rewrites whose previous version is as good (a newer offer time)."""
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(payload)
                out.flush()
                if durable:
                    os.fsync(out.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def land(self, path: Path, root: Path, manifest_cache: dict | None = None) -> LandedFile:
        """Archive one offered file (idempotent) and return its record."""
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        shown = str(path)
        resolved = path.resolve()
        reason = None
        data = b""
        if not _within(resolved, [root]):
            reason = f"refused: {path.name} points outside the sources root {root} (to {resolved})"
        elif not resolved.is_file():
            reason = "not a regular file" if resolved.exists() else "file not found"
        else:
            size = resolved.stat().st_size
            if size > MAX_BYTES:
                reason = f"file too large: {size / 1e6:.0f} MB (limit {MAX_BYTES / 1e6:.0f} MB)"
            else:
                try:
                    data = resolved.read_bytes()
                except OSError as error:
                    reason = f"cannot read file: {error.strerror or error}"
        if reason:
            record = LandedFile(_unreadable_id(resolved), shown, path.name, None, None, now, reject_reason=reason)
        else:
            document_id, digest = document_id_for(data)
            entry = _manifest(path.parent, manifest_cache if manifest_cache is not None else {}).get(path.name, {})
            record = LandedFile(document_id, shown, path.name, len(data), digest, now,
                                source_url=entry.get("source_url") or None,
                                published_on=entry.get("published_on") or None, title=entry.get("title") or None)
            if not self.blob_path(document_id).exists():
                self._write_atomic(self.blob_path(document_id), data)
        sidecar = self.sidecar_path(record.document_id)
        previous = json.loads(sidecar.read_text(encoding="utf-8")) if sidecar.exists() else None
        record.offers = dict(previous.get("offers", {})) if previous else {}
        record.offers[shown] = now
        if previous:  # keep the first offer's name and time; it is the document's identity in raw
            record.source_path, record.file_name, record.offered_at = (
                previous["source_path"], previous["file_name"], previous["offered_at"])
            record.source_url = record.source_url or previous.get("source_url")
            record.published_on = record.published_on or previous.get("published_on")
            record.title = record.title or previous.get("title")
        current = asdict(record)
        if previous != current:
            # a re-offer that only moves the offer times needs no fsync (1,000 of them took ~10 s)
            times_only = previous is not None and set(previous.get("offers", {})) == set(record.offers) and \
                {k: v for k, v in previous.items() if k != "offers"} == {k: v for k, v in current.items() if k != "offers"}
            self._write_atomic(sidecar, json.dumps(current, ensure_ascii=False, indent=1).encode("utf-8"),
                               durable=not times_only)
        return record


def land_paths(paths: list[str | Path], archive: Archive) -> tuple[list[LandedFile], list[tuple[str, str]]]:
    """Land everything under ``paths``: (one record per distinct document, (path, document_id) per file)."""
    manifest_cache: dict = {}
    records: dict[str, LandedFile] = {}
    offers: list[tuple[str, str]] = []
    for path, root in discover(paths):
        record = archive.land(path, root, manifest_cache)
        records[record.document_id] = record
        offers.append((str(path), record.document_id))
    return list(records.values()), offers
