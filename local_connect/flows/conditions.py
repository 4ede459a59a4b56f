"""Condition operators of the Flow Language, evaluated as Connect does (first matching branch wins).

The operators are the catalog's (catalog.json "operators"): Equals is exact string equality, the Text*
operators read the value as text, the Number* operators are false when either side is not a number.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from local_connect.flows.model import ConditionBranch


def _number(value: Any) -> float | None:
    try:
        return float(str(value).strip())
    except (TypeError, ValueError):
        return None


def matches(operator: str, value: str, operands: Sequence[Any]) -> bool:
    """Does `value` satisfy the condition for any of its operands?"""
    for operand in operands:
        text = str(operand)
        if operator == "Equals":
            if value == text:
                return True
        elif operator == "TextStartsWith":
            if value.startswith(text):
                return True
        elif operator == "TextEndsWith":
            if value.endswith(text):
                return True
        elif operator == "TextContains":
            if text in value:
                return True
        else:
            left, right = _number(value), _number(text)
            if left is None or right is None:
                continue
            if (
                (operator == "NumberLessThan" and left < right)
                or (operator == "NumberLessOrEqualTo" and left <= right)
                or (operator == "NumberGreaterThan" and left > right)
                or (operator == "NumberGreaterOrEqualTo" and left >= right)
            ):
                return True
    return False


def first_match(branches: Sequence[ConditionBranch], value: str) -> int | None:
    """Index of the first condition branch `value` satisfies, or None."""
    for index, branch in enumerate(branches):
        if matches(branch.condition.operator, value, branch.condition.operands):
            return index
    return None
