"""The DynamoDB item codec: plain values in, the same plain values out (numbers not as Decimal)."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jam_core.tables.dynamo import from_attribute, from_item, to_attribute, to_item

values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats(allow_nan=False, allow_infinity=False).filter(lambda f: not f.is_integer())
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=15,
)


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.dictionaries(st.text(min_size=1, max_size=8), values, max_size=6))
def test_round_trip(item: dict[str, Any]) -> None:
    assert from_item(to_item(item)) == item


def test_numbers_come_back_as_int_or_float() -> None:
    assert from_attribute({"N": "42"}) == 42 and isinstance(from_attribute({"N": "42"}), int)
    assert from_attribute({"N": "1.5"}) == 1.5
    assert from_attribute({"N": "3.0"}) == 3 and isinstance(from_attribute({"N": "3.0"}), int)
    assert from_attribute({"NS": ["2", "1"]}) == [1, 2]
    assert from_attribute({"SS": ["b", "a"]}) == ["a", "b"]


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, b"bytes", object()])
def test_values_dynamodb_cannot_hold_are_refused(value: Any) -> None:
    with pytest.raises((ValueError, TypeError)):
        to_attribute(value)


def test_unsupported_attribute_types_are_refused() -> None:
    with pytest.raises(TypeError, match="B"):
        from_attribute({"B": b"\x00"})
