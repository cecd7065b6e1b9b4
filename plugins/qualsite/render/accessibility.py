"""What the Accessibility page needs beyond the study: the contact as a link."""

from __future__ import annotations

import re
from dataclasses import dataclass

#: An email address as people write one; anything else with a scheme is a
#: web address, and anything else is shown as it is written.
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@dataclass(frozen=True, slots=True)
class Contact:
    text: str  # as study.yml has it
    href: str | None  # mailto: or the web address; None: shown as text


def contact_link(contact: str | None) -> Contact | None:
    """``study.yml``'s contact, with the link a reader can follow."""
    if not contact:
        return None
    text = " ".join(contact.split())
    if _EMAIL.fullmatch(text):
        return Contact(text, f"mailto:{text}")
    if text.startswith(("https://", "http://")):
        return Contact(text, text)
    return Contact(text, None)
