"""``qualsite new``: a small, valid study to start from."""

from __future__ import annotations

import shutil
from pathlib import Path

from ..errors import QualsiteError, display_path
from ..study.schema import write_schemas

FILES = Path(__file__).resolve().parent / "files"


def create_study(folder: Path) -> list[Path]:
    """Copy the starter study into ``folder``, which must be new or empty."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise QualsiteError(
            f"{display_path(folder)} already exists and is not empty; choose a new folder"
        )
    shutil.copytree(FILES, folder, dirs_exist_ok=True)
    (folder / "gitignore").rename(folder / ".gitignore")
    # The schemas travel with the study so that the editor hints in its
    # files work without qualsite's source at hand.
    write_schemas(folder / "codebook" / ".schemas")
    return sorted(p for p in folder.rglob("*") if p.is_file())
