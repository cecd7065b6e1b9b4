"""JSON Schemas of the codebook's files, written from the field specs.

The committed copies in ``qualsite/schemas/`` are what editors point at; a
test fails when they fall behind the specs (run ``make schemas``).
"""

from __future__ import annotations

import json
from pathlib import Path

from .format import FILE_KINDS, FileKind

SCHEMAS_DIR = Path(__file__).resolve().parent.parent / "schemas"


def schema_filename(kind: FileKind) -> str:
    return f"{kind.stem}.schema.json"


def schema_text(kind: FileKind) -> str:
    return json.dumps(kind.json_schema(), indent=2, ensure_ascii=False) + "\n"


def write_schemas(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in FILE_KINDS:
        path = folder / schema_filename(kind)
        path.write_text(schema_text(kind), encoding="utf-8")
        written.append(path)
    return written
