"""Fast tier (real spaCy pipeline): a model sentence that turns round who did what to whom."""

from __future__ import annotations

import pytest

from qa.direction import reversed_claim
from vectorstore.nlp import pipeline

IRAN_SUPPLIES = "Iran has sold more than two thousand drones to Russia, the report said."
RUSSIA_RECEIVES = "Russia received hundreds of drones from Iran last year."


@pytest.mark.parametrize(
    ("sentence", "sources", "turned"),
    [
        ("Russia supplied drones to Iran.", [IRAN_SUPPLIES], True),
        ("Iran supplied drones to Russia.", [IRAN_SUPPLIES], False),
        ("Iran supplied drones to Russia.", [RUSSIA_RECEIVES], False),  # "received from" is the same edge
        ("Russia sent drones to Iran.", [RUSSIA_RECEIVES], True),
        ("Iran received drones from Russia.", [IRAN_SUPPLIES], True),
        ("Iran sanctioned the EU.", ["The EU sanctioned seven Iranian individuals and Iran."], True),
        # the source says both ways: not reversed
        ("Russia supplied drones to Iran.", [IRAN_SUPPLIES, "Russia supplied jets to Iran."], False),
        ("Drones were launched overnight.", [IRAN_SUPPLIES], False),  # no edge claimed
        ("Russia supplied drones to Iran.", ["Drones were launched overnight."], False),  # nothing stated
    ],
)
def test_reversed_claim(sentence: str, sources: list[str], turned: bool) -> None:
    assert (reversed_claim(sentence, sources, pipeline()) is not None) is turned
