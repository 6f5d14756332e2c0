"""Recall and precision of the parsers on one synthetic fixture per document shape.

The fixtures reproduce the shapes of real plans and profiles (issue 20) with invented
wording; `ingest_shapes.py` holds what a person would keep from each one.
"""

from __future__ import annotations

import pytest

from .ingest_shapes import PLAN_ITEMS, PROFILE_FACTS, score_fixture

RECALL = 0.95
PRECISION = 0.9


@pytest.mark.parametrize("name", sorted(PLAN_ITEMS))
def test_each_plan_shape_is_read_with_high_recall_and_precision(name):
    score = score_fixture(name)

    assert score.recall >= RECALL, str(score)
    assert score.precision >= PRECISION, str(score)


@pytest.mark.parametrize("name", sorted(PROFILE_FACTS))
def test_each_profile_shape_is_read_with_high_recall_and_precision(name):
    score = score_fixture(name)

    assert score.recall >= RECALL, str(score)
    assert score.precision >= PRECISION, str(score)
