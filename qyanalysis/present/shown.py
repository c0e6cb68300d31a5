"""The one display rule of a scorecard row's numbers: what is printed never contradicts the row's status.

:func:`shown_row` decides how a row's value, threshold, forecast and
intervals are printed; every page table (:mod:`qyanalysis.present.tables`),
sentence (:mod:`qyanalysis.present.narrative`), chart label
(:mod:`qyanalysis.present.charts_targets`) and workbook cell
(:mod:`qyanalysis.present.workbook`) takes its numbers from it, and the PDF
prints the pages. The rule:

1. **Counts are whole numbers.** A row whose unit is ``count`` (persons,
   schools, rooms, seats … — the catalogue's ``counts``) prints whole numbers,
   forecasts and intervals included. A threshold becomes the whole number its
   inclusive rule implies (:func:`whole_threshold`): "≥ 71.29 人" is met by 72
   persons or more and prints "≥ 72 人"; "≤ x" prints ⌊x⌋, "> x" ⌊x⌋, "< x" ⌈x⌉.
   A value or forecast is rounded to the nearest whole number, unless that
   would read on the wrong side of the printed threshold; then it goes to the
   whole number on its own side (:func:`whole_number`).
2. **Other numbers take the decimals they need.** A row prints its unit's
   decimals (:data:`qyanalysis.present.numbers.DEFAULT_DECIMALS`: one for a
   percentage or points), then one more at a time, until the printed value
   compared with the printed threshold reads as the row says
   (:func:`compared_decimals`): a ``met`` row reads met, a ``not_met`` row
   reads not met, any other row (and a forecast) reads as its numbers compare
   with the scorecard's tolerance. So 0.5 % against "≤ 0.5 %" is met, and
   0.504 % against it prints "0.504 % | ≤ 0.500 %", never "0.5 % | ≤ 0.5 %".
   The value, threshold, forecast and intervals of one row share the decimals.

A row without a threshold or comparator (a measure, a gap row's value without
a standard) prints its unit's decimals, counts whole.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from qyanalysis.contract.comparators import compare
from qyanalysis.contract.indicators import FLAG_UNIT
from qyanalysis.present.numbers import (
    DEFAULT_DECIMALS,
    MINUS,
    PERCENT_UNITS,
    SIGNED_UNITS,
    counted_noun,
    format_number,
    format_range,
    format_value,
    is_level_change,
    value_unit,
)

#: The numbers of a scorecard row printed in the row's value unit.
ROW_NUMBERS = ("value", "threshold", "forecast", "forecast_low", "forecast_high", "ci_low", "ci_high")
#: The numbers of a row read against its threshold (a value and its forecast).
COMPARED = ("value", "forecast")
#: At most this many decimals (in the printed scale) are ever printed.
MAX_DECIMALS = 12
#: How a printed comparison reads, exactly, on the printed digits.
READS: dict[str, Callable[[object, object], bool]] = {
    ">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt, "==": operator.eq}
#: The unit a shortfall is printed in, where it differs from the row's: a difference of percentages is in points.
GAP_UNITS = {"share": "pp", "rate": "pp", "change": "pp"}
# Statuses that say whether the value meets its threshold.
VERDICTS = {"met": True, "not_met": False}
# A threshold this close to a whole number (relative above 1) is that whole number (float error).
WHOLE_TOLERANCE = 1e-9


def _number(value: object) -> float | None:
    """``value`` as a float, None when missing or not a number."""
    if value is None or value is pd.NA:
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def parse_digits(text: str) -> Decimal:
    """Printed digits back to their number: "−1,234.50" → Decimal("-1234.50") (the sign, separators dropped)."""
    return Decimal(text.replace(MINUS, "-").replace(",", "").replace("+", ""))


def holds(number: float, comparator: str, threshold: float) -> bool:
    """Whether ``number <comparator> threshold`` holds as the scorecard compares (its float tolerance)."""
    return bool(compare(pd.Series([number]), pd.Series([comparator]), pd.Series([threshold]))[0])


def whole_threshold(threshold: float, comparator: str) -> float:
    """The whole-number threshold a count's inclusive rule implies.

    A count is whole, so "≥ 71.29 persons" is met exactly by 72 or more:
    ``>=`` → ⌈x⌉; ``<=`` → ⌊x⌋ (at most 71.29 persons is at most 71);
    ``>`` → ⌊x⌋ (more than 71.29 is more than 71); ``<`` → ⌈x⌉ (fewer than
    71.29 is fewer than 72); ``==`` (or an unknown comparator) → the nearest.
    A threshold within float error of a whole number is that number.
    """
    nearest = float(round(threshold))
    if abs(threshold - nearest) <= WHOLE_TOLERANCE * max(1.0, abs(threshold)):
        return nearest
    if comparator in (">=", "<"):
        return float(math.ceil(threshold))
    if comparator in ("<=", ">"):
        return float(math.floor(threshold))
    return nearest


def whole_number(number: float, comparator: str | None = None, threshold: float | None = None,
                 meets: bool | None = None) -> float:
    """A count printed whole: the nearest whole number, on the side of the (whole) threshold it is on.

    When ``number`` rounded would read otherwise than ``meets`` against
    ``threshold`` (0.6 persons rounded to 1 against "≤ 0"), the floor or
    ceiling that reads as it does is taken.
    """
    nearest = float(round(number))
    if comparator not in READS or threshold is None or meets is None:
        return nearest
    for candidate in (nearest, float(math.floor(number)), float(math.ceil(number))):
        if READS[comparator](candidate, threshold) == meets:
            return candidate
    return nearest


def compared_decimals(unit: str, comparator: str | None, threshold: float | None,
                      readings: list[tuple[float, bool]]) -> int | None:
    """The fewest decimals at which every (number, meets) of ``readings`` reads right against ``threshold``.

    None (the unit's own decimals) when they already do, or when there is
    nothing to compare; else one more decimal at a time from the unit's
    default, up to :data:`MAX_DECIMALS`.
    """
    if comparator not in READS or threshold is None or not readings or unit not in DEFAULT_DECIMALS:
        return None
    steps = [None, *range(DEFAULT_DECIMALS[unit] + 1, MAX_DECIMALS + 1)]
    for decimals in steps:
        line = parse_digits(format_number(threshold, unit, decimals=decimals))
        if all(READS[comparator](parse_digits(format_number(n, unit, decimals=decimals)), line) == meets
               for n, meets in readings):
            return decimals
    return MAX_DECIMALS


@dataclass(frozen=True)
class ShownRow:
    """A scorecard row's numbers as printed (:func:`shown_row`).

    Attributes:
        unit: The unit printed (:func:`qyanalysis.present.numbers.value_unit`).
        counts: The measure word's noun of a count ("persons"), "".
        signed: Whether numbers carry a sign (a change of a level).
        decimals: Decimals in the printed scale; None = the unit's own.
        numbers: Column → the number printed (a count's threshold whole, as
            the inclusive rule implies); None when missing.
        comparator: The row's comparator ("" when it has none).
    """

    unit: str
    counts: str
    signed: bool
    decimals: int | None
    numbers: Mapping[str, float | None]
    comparator: str = ""

    def digits(self, column: str) -> str:
        """The digits of ``column`` without the unit (a compact cell, a parsed-back check)."""
        return format_number(self.numbers.get(column), self.unit, self.signed, decimals=self.decimals)

    def text(self, column: str, lang: str = "zh") -> str:
        """``column`` worded with its unit and measure word: "0.55 %", "≥"-side "72 人" …"""
        return format_value(self.numbers.get(column), self.unit, lang, counts=self.counts, signed=self.signed,
                            decimals=self.decimals)

    def range_text(self, low: str, high: str, lang: str = "zh") -> str:
        """The interval between two columns ("21,731–28,331 个"), the unit written once."""
        return format_range(self.numbers.get(low), self.numbers.get(high), self.unit, lang, counts=self.counts,
                            signed=self.signed, decimals=self.decimals)

    def shortfall(self, column: str = "value") -> float | None:
        """How far the printed ``column`` falls short of the printed threshold, in the row's stored scale.

        The difference of the two printed numbers, so that a reader who subtracts them finds it:
        96.2 % against "≥ 97.0 %" is 0.008 (0.8 points). None when the printed number reads as meeting
        the threshold, when either is missing, or for a yes/no fact.
        """
        number, line = self.numbers.get(column), self.numbers.get("threshold")
        if number is None or line is None or self.unit == FLAG_UNIT or self.comparator not in READS:
            return None
        printed, limit = parse_digits(self.digits(column)), parse_digits(self.digits("threshold"))
        if printed == limit or READS[self.comparator](printed, limit):
            return None
        scale = 100 if self.unit in PERCENT_UNITS or self.unit in SIGNED_UNITS else 1
        return float(abs(limit - printed)) / scale

    def shortfall_text(self, column: str = "value", lang: str = "zh") -> str:
        """:meth:`shortfall` worded in its unit ("0.8 个百分点", "12 人"; a difference of percentages is in
        points); "" when there is none."""
        gap = self.shortfall(column)
        if gap is None:
            return ""
        unit = GAP_UNITS.get(self.unit, self.unit)
        return format_value(gap, unit, lang, counts=self.counts, decimals=self.decimals).removeprefix("+")


def _meets(row: Mapping[str, object] | pd.Series, column: str, number: float, comparator: str,
           threshold: float) -> bool:
    """What the row says of ``column`` against its threshold: the status for a value, else the comparison."""
    status = str(row.get("status", ""))
    if column == "value" and status in VERDICTS:
        return VERDICTS[status]
    return holds(number, comparator, threshold)


def shown_row(row: Mapping[str, object] | pd.Series) -> ShownRow:
    """How one scorecard row's numbers are printed: the one display rule (module docstring).

    Args:
        row: A scorecard row or mapping with ``unit`` and any of
            :data:`ROW_NUMBERS`; ``indicator``, ``rule``, ``comparator`` and
            ``status`` when it has them (a gap row: ``comparator`` alone).
    """
    indicator = row.get("indicator", "")
    code = indicator if isinstance(indicator, str) else ""
    rule = row.get("rule", "")
    rule = rule if isinstance(rule, str) else ""
    unit = value_unit(code, str(row["unit"]), rule) if code else str(row["unit"])
    counts = counted_noun(code) if code else ""
    signed = is_level_change(code, rule) if code else False
    raw = {column: _number(row.get(column)) for column in ROW_NUMBERS}
    comparator = str(row.get("comparator", ""))
    threshold = raw["threshold"]
    if unit == FLAG_UNIT or comparator not in READS or threshold is None:
        compared: list[tuple[str, float, bool]] = []
    else:
        compared = [(c, raw[c], _meets(row, c, raw[c], comparator, threshold))  # type: ignore[misc]
                    for c in COMPARED if raw[c] is not None]
    if unit != "count":
        decimals = compared_decimals(unit, comparator, threshold, [(n, m) for _, n, m in compared])
        return ShownRow(unit, counts, signed, decimals, raw, comparator)
    return ShownRow(unit, counts, signed, 0, _whole_numbers(raw, comparator, compared), comparator)


def _whole_numbers(raw: Mapping[str, float | None], comparator: str,
                   compared: list[tuple[str, float, bool]]) -> dict[str, float | None]:
    """A count row's numbers as printed: the threshold by its inclusive rule, the compared numbers on their
    side of it, every other number the nearest whole one."""
    threshold = raw["threshold"]
    line = None if threshold is None else whole_threshold(threshold, comparator)
    numbers = {c: None if n is None else float(round(n)) for c, n in raw.items()}
    numbers["threshold"] = line
    for column, number, meets in compared:
        numbers[column] = whole_number(number, comparator, line, meets)
    return numbers


def threshold_text(threshold: object, indicator: str | None, unit: str, lang: str = "zh",
                   comparator: object = "") -> str:
    """A threshold alone (a chart's line) by the same rule: a count's whole-number line, its measure word.

    Without a comparator a count's threshold is rounded to the nearest whole number.
    """
    row = {"indicator": indicator or "", "unit": unit, "threshold": threshold, "comparator": comparator}
    return shown_row(row).text("threshold", lang)
