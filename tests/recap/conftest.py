"""Fixtures for the recap tests: the small election with Sirekap keys, the real-shaped test files."""

from pathlib import Path

import pytest

FILES = Path(__file__).resolve().parent / "files"


@pytest.fixture
def sirekap_election(small_election):
    """``small_election`` (6 TPS) whose paslon carry Jakarta 2024's Sirekap ids 1000023/24/25."""
    for c in small_election.candidates.all():
        c.sirekap_key = str(1000022 + c.number)
        c.save()
    return small_election


@pytest.fixture
def pres_election(small_election):
    """``small_election`` with the presidential ids 100025/26/27 (for pages in the presidential shape)."""
    for c in small_election.candidates.all():
        c.sirekap_key = str(100024 + c.number)
        c.save()
    return small_election
