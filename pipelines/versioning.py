"""The extractor version a document's core rows were made with, derived from the code and data.

A hand-bumped constant was forgotten: an alias added to the lexicon changed what a fresh
ingest extracts, but documents already in the warehouse kept their old facts for ever. The
version recorded in ``core.documents.extractor_version`` therefore carries a hash of the
content of everything that decides the core rows — the extraction rules
(``pipelines/extract/**/*.py``), their lexicon and tables (``pipelines/data/**``) and the
metadata code (``pipelines/metadata.py``, ``pipelines/regions.py``). Ingest re-extracts every
document whose recorded version differs (``load.pending_core``). Computed once per process:
hashing the few hundred kB takes about a millisecond.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
# (folder, glob) pairs, relative to the package; what decides the core rows of a document.
CONTENT = (("extract", "**/*.py"), ("data", "**/*"), (".", "metadata.py"), (".", "regions.py"))
DIGEST_LENGTH = 12


def content_files(package: Path = PACKAGE) -> list[tuple[str, Path]]:
    """(stable name, path) of every file in CONTENT, sorted by name; caches and bytecode left out."""
    found: dict[str, Path] = {}
    for folder, pattern in CONTENT:
        base = package / folder
        for path in base.glob(pattern):
            if not path.is_file() or "__pycache__" in path.parts or path.suffix in (".pyc", ".pyo"):
                continue
            found[path.relative_to(package).as_posix()] = path
    return sorted(found.items())


def content_digest(package: Path = PACKAGE) -> str:
    """SHA-256 over the names and bytes of the content files (line endings as stored)."""
    digest = hashlib.sha256()
    for name, path in content_files(package):
        data = path.read_bytes()
        digest.update(f"{name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


@lru_cache(maxsize=1)
def extractor_version() -> str:
    """``EXTRACTOR_VERSION+metadataN+<12 hex of the content hash>``, e.g. ``0.3.0+metadata2+1f2e3d4c5b6a``.

    The hand-kept numbers stay in front so that a person reading core.documents still sees
    which release made a row; the hash makes any change to rules or lexicon count.
    """
    from .extract import EXTRACTOR_VERSION
    from .metadata import METADATA_VERSION

    return f"{EXTRACTOR_VERSION}+metadata{METADATA_VERSION}+{content_digest()[:DIGEST_LENGTH]}"


def core_version() -> str:
    """What ``transform.CORE_VERSION`` records (one name for the one line that uses it)."""
    return extractor_version()
