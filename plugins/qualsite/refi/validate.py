"""--strict: checking a REFI-QDA file against the standard's XML Schemas.

Real exports do not always conform (Taguette writes an empty <Sets/>, which
the schema forbids), so the import itself is lenient; --strict reports every
departure and imports nothing. The schemas belong to the REFI-QDA standard
and are not shipped with qualsite: --schemas (or QUALSITE_REFI_SCHEMAS)
names the folder holding Project.xsd and Codebook.xsd.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from xml.etree.ElementTree import Element

from ..errors import display_path
from .archive import ImportError_

SCHEMAS_VARIABLE = "QUALSITE_REFI_SCHEMAS"
SCHEMA_FILES = {"project": "Project.xsd", "codebook": "Codebook.xsd"}
#: Departures listed in full; beyond this, only their number.
SHOWN = 20


def schema_path(kind: str, folder: Path | None) -> Path:
    folder = folder or (
        Path(os.environ[SCHEMAS_VARIABLE]) if os.environ.get(SCHEMAS_VARIABLE) else None
    )
    name = SCHEMA_FILES[kind]
    if folder is None or not (folder / name).is_file():
        where = f" (looked in {display_path(folder)})" if folder is not None else ""
        raise ImportError_(
            f"--strict needs the REFI-QDA schema {name}{where}: get Project.xsd and Codebook.xsd "
            f"from the REFI-QDA standard (www.qdasoftware.org) and name their folder with "
            f"--schemas or {SCHEMAS_VARIABLE}"
        )
    return folder / name


def departures(root: Element, kind: str, folder: Path | None) -> list[str]:
    """What in the file does not conform to the standard's schema."""
    import xmlschema

    path = schema_path(kind, folder)
    try:
        schema = xmlschema.XMLSchema(str(path))
    except Exception as failure:  # any failure to read the user's schema file
        raise ImportError_(
            f"{display_path(path)}: cannot read this XML Schema: {failure}"
        ) from None
    found = []
    for departure in schema.iter_errors(root):
        where = _NAMESPACE.sub("", departure.path or "/")
        found.append(f"{where}: {_NAMESPACE.sub('', departure.reason or departure.message)}")
    return found


# "{urn:QDA-XML:codebook:1.0}Sets" reads better as "Sets".
_NAMESPACE = re.compile(r"\{[^}]*\}")


def check_conformance(root: Element, kind: str, folder: Path | None, shown: str) -> None:
    found = departures(root, kind, folder)
    if not found:
        return
    listed = "\n".join(f"  {item}" for item in found[:SHOWN])
    more = f"\n  ... and {len(found) - SHOWN} more" if len(found) > SHOWN else ""
    raise ImportError_(
        f"{shown} does not conform to the REFI-QDA schema ({len(found)} "
        f"problem{'s' if len(found) != 1 else ''}; nothing was imported):\n{listed}{more}"
    )
