"""The segment counter against the committed table of boundaries (tests/data/sms_segments.json)."""

import json
from pathlib import Path

import pytest

from services.messaging.segments import segment_count

TABLE = json.loads((Path(__file__).parent.parent / "data" / "sms_segments.json").read_text())
ROWS = TABLE["rows"]


def test_the_table_holds_at_least_sixty_strings_in_every_script():
    assert len(ROWS) >= 60
    names = " ".join(row["name"] for row in ROWS)
    for script in ("gsm", "extension", "french", "arabic", "pashto", "farsi", "sorani"):
        assert script in names
    for script in ("urdu", "tigrinya", "amharic", "emoji", "flag", "skin tone"):
        assert script in names


@pytest.mark.parametrize("row", ROWS, ids=[row["name"] for row in ROWS])
def test_segments_agree_with_the_table(row):
    text = "".join(part * times for part, times in row["parts"])
    count = segment_count(text)
    assert (count.encoding, count.segments) == (row["encoding"], row["segments"]), row["note"]
