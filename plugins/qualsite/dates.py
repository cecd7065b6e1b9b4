"""The one date a build may depend on, so that builds are reproducible.

``SOURCE_DATE_EPOCH`` (the reproducible-builds convention, also honoured by
MkDocs) fixes it; otherwise it is today's date, at day precision like
MkDocs' sitemap, so that two builds of the same input on one day are
byte-identical.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone


def build_date() -> datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
    now = datetime.now(tz=timezone.utc)
    return now.replace(hour=0, minute=0, second=0, microsecond=0)
