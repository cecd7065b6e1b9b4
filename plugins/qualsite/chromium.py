"""Finding a Chromium (or Chrome) to print with."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

INSTALL_HINT = (
    "install Chromium (Debian/Ubuntu: apt-get install chromium) or Google Chrome, "
    "or name the browser with QUALSITE_CHROMIUM"
)
_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")


def find_chromium() -> str | None:
    """QUALSITE_CHROMIUM, then Debian's /usr/bin/chromium, then the PATH."""
    configured = os.environ.get("QUALSITE_CHROMIUM")
    if configured:
        return configured if Path(configured).is_file() else None
    if Path("/usr/bin/chromium").is_file():
        return "/usr/bin/chromium"
    for name in _NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def headless_arguments(profile: Path) -> list[str]:
    """Chromium without a window, without the background traffic it sends on
    its own, in a throw-away profile."""
    arguments = [
        "--headless",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        arguments.append("--no-sandbox")  # Chromium refuses to sandbox as root
    return arguments
