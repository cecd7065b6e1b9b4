"""A record's field lines, kept small (qualsite.fields.FieldLines), read as
the dict they replace."""

from __future__ import annotations

import pickle

from qualsite.fields import FieldLines, Origin

LINES = {"id": 12, "categories": 13, "categories[0]": 14, "text": 15}


def test_field_lines_read_as_a_dict_of_them() -> None:
    lines = FieldLines(LINES, 11)
    assert lines == LINES and dict(lines) == LINES and list(lines) == list(LINES)
    assert lines["text"] == 15 and lines.get("memo") is None and "categories[0]" in lines
    assert len(lines) == 4 and "memo" not in lines
    assert pickle.loads(pickle.dumps(lines)) == LINES
    assert lines.with_line("participant", 2) == {**LINES, "participant": 2}
    origin = Origin("codebook/excerpts/p1.yml", 11, lines)
    assert origin.at("categories", 0).line == 14 and origin.at("memo").line == 11


def test_records_with_the_same_fields_share_their_names() -> None:
    first, second = FieldLines(LINES, 11), FieldLines({k: v + 40 for k, v in LINES.items()}, 51)
    assert first._index is second._index and first._steps == second._steps
