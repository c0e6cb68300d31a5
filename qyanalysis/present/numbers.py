"""How every number is printed: one format per unit, on every page, table, sentence and chart.

:func:`format_value` is the one function that turns a value into text for a
reader; tables (:mod:`qyanalysis.present.tables`), sentences
(:mod:`qyanalysis.present.narrative`), chart labels and axis ticks, the report
views and the index pages all call it (or :func:`format_number`, its bare
digits, for axis ticks under a unit-bearing axis label). Formats by unit
(``contract.indicators`` documents the units):

=====================  ======================  ==========================
unit                   value                   printed (zh / en)
=====================  ======================  ==========================
share, rate            0.8523                  85.2 %
pp (points)            −0.005                  −0.5 个百分点 / −0.5 pp
change (relative)      −0.05                   −5.0 %
count                  1234 (persons)          1,234 人 / 1,234 persons (whole)
yuan                   1234567                 1,234,567 元 / 1,234,567 yuan
m2                     1234.5                  1,234.5 平方米 / 1,234.5 m²
ratio                  0.452                   0.452
per100, m2_per_student 4.2                     4.20
years (an age)         42.25                   42.2 岁 / 42.2 years
flag (yes/no)          1 / 0                   是 / 否 — Yes / No
=====================  ======================  ==========================

Negative numbers carry the minus sign U+2212 (−); a change is signed (+ / −).
Missing values print "—".

A scorecard row's value, threshold, forecast and intervals are printed through
:func:`qyanalysis.present.shown.shown_row`, the one display rule built on these
formats: it passes ``decimals`` where a value and its threshold would otherwise
read equal (or on the wrong side) and makes a count's threshold the whole
number its inclusive bound implies.

A scorecard row of a ``change_vs_previous`` target whose indicator is a level
(e.g. ``temporary_teachers_count``) holds a *change*, not the level: its name
is the indicator's with "较上年变化" / "change on previous year"
(:func:`target_label`), and its value, threshold and forecast are printed
signed in the unit of a change (:func:`value_unit`: shares and rates become
percentage points, counts stay counts): "公办中小学临聘教师数较上年变化 −13 人".
"""

from __future__ import annotations

import math

from qyanalysis.contract.indicators import CATALOGUE, FLAG_UNIT, change_base

MINUS = "\u2212"  # the typographic minus sign
MISSING = "—"
# Units whose values are fractions shown as percentages.
PERCENT_UNITS = ("share", "rate")
# Units that are changes: always printed with a sign.
SIGNED_UNITS = ("pp", "change")
# Units printed with thousands separators.
GROUPED_UNITS = ("count", "yuan", "yuan_per_student", "m2", "years")
#: Decimals each unit prints by default, in the printed scale (percent for shares, rates and changes,
#: points for pp); a ratio prints a third decimal only when it is not 0, an amount of yuan two
#: only when it is not whole. :mod:`qyanalysis.present.shown` adds decimals where a value and its threshold
#: would otherwise read equal (or on the wrong side).
DEFAULT_DECIMALS = {"share": 1, "rate": 1, "pp": 1, "change": 1, "count": 0, "yuan": 0, "yuan_per_student": 0,
                    "m2": 1, "years": 1, "ratio": 3, "per100": 2, "m2_per_student": 2}
CHANGE_RULE = "change_vs_previous"


def _is_missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return math.isnan(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True


def _grouped(number: float, decimals: int) -> str:
    """Thousands separators and ``decimals`` decimals, unsigned."""
    return f"{abs(number):,.{decimals}f}"


def _digits(number: float, unit: str, decimals: int | None = None) -> str:
    """The unsigned digits of ``number`` for ``unit``; ``decimals`` (in the printed scale) overrides the unit's."""
    if decimals is not None and unit != FLAG_UNIT:
        scaled = abs(number) * 100 if unit in PERCENT_UNITS or unit in SIGNED_UNITS else abs(number)
        return _grouped(scaled, decimals) if unit in GROUPED_UNITS else f"{scaled:.{decimals}f}"
    if unit in PERCENT_UNITS or unit in SIGNED_UNITS:
        return f"{abs(number) * 100:.1f}"
    if unit == "count":  # persons, schools, rooms, seats … are whole
        return _grouped(number, 0)
    if unit in ("yuan", "yuan_per_student"):
        return _grouped(number, 0 if number.is_integer() else 2)
    if unit in ("m2", "years"):
        return _grouped(number, 1)
    if unit == "ratio":
        return f"{abs(number):.3f}".removesuffix("0")
    if unit in ("per100", "m2_per_student"):
        return f"{abs(number):.2f}"
    if unit == FLAG_UNIT:
        return f"{abs(number):g}"
    raise KeyError(f"no number format for unit {unit!r}")


def format_number(value: object, unit: str, signed: bool = False, *, decimals: int | None = None) -> str:
    """A number worded for its unit, without the unit's suffix (axis ticks, compact cells).

    share / rate: percent, one decimal (0.8523 → "85.2"); pp: percentage
    points, signed, one decimal (−0.005 → "−0.5"); change: percent, signed,
    one decimal; count: thousands separators, whole (the nearest; the
    side of a threshold is kept by :mod:`qyanalysis.present.shown`); yuan,
    yuan_per_student: thousands separators, no decimals when whole (else two); m2, years (an age): thousands separators, one decimal;
    ratio: two decimals, a third when it is not zero (0.452 stays "0.452" so a
    value is never rounded onto its threshold); per100, m2_per_student: two
    decimals; flag: "1" / "0" (:func:`format_value` words it). Negative
    numbers take "−" (U+2212); ``signed`` (or a pp / change unit) adds "+" to
    positive ones. Missing → "—". ``decimals`` prints that many decimals
    instead, in the printed scale (percent, points): the scorecard-row rule
    (:func:`qyanalysis.present.shown.shown_row`) passes it.

    Raises:
        KeyError: A unit with no format.
    """
    if _is_missing(value):
        return MISSING
    number = float(value)  # type: ignore[arg-type]
    digits = _digits(number, unit, decimals)
    if number < 0 and digits.strip("0.,") != "":
        return MINUS + digits
    if (signed or unit in SIGNED_UNITS) and number > 0 and digits.strip("0.,") != "":
        return "+" + digits
    return digits


def format_value(value: object, unit: str, lang: str = "zh", *, counts: str = "", signed: bool = False,
                 decimals: int | None = None) -> str:
    """A number worded for its unit, with the unit's suffix: the one display format of a value.

    >>> format_value(1234567, "yuan", "zh")
    '1,234,567 元'
    >>> format_value(0.8523, "share", "en")
    '85.2 %'

    Args:
        value: The number (None / NaN → "—").
        unit: A catalogue unit (``contract.indicators``).
        lang: "zh" or "en".
        counts: For a count, what is counted (``Indicator.counts``: "persons" →
            "人" / "persons"); "" prints the bare number.
        signed: Print "+" before a positive number (a change).
        decimals: Decimals in the printed scale instead of the unit's (:func:`format_number`).

    Raises:
        KeyError: A unit or noun with no label.
    """
    from qyanalysis.present.labels import t

    if _is_missing(value):
        return MISSING
    if unit == FLAG_UNIT:
        return flag_text(float(value), lang)  # type: ignore[arg-type]
    text = format_number(value, unit, signed, decimals=decimals)
    if unit == "count" and counts:
        return f"{text} {t(f'noun.{counts}', lang)}"
    return text + t(f"suffix.{unit}", lang)


def format_range(low: object, high: object, unit: str, lang: str = "zh", *, counts: str = "",
                 signed: bool = False, decimals: int | None = None) -> str:
    """An interval "low–high" with the unit written once, after the upper end: "19,000–23,000 个", "48.1–56.4 %".

    Either end missing → "—".
    """
    if _is_missing(low) or _is_missing(high):
        return MISSING
    upper = format_value(high, unit, lang, counts=counts, signed=signed, decimals=decimals)
    if unit == FLAG_UNIT:
        return f"{format_value(low, unit, lang)}–{upper}"
    return f"{format_number(low, unit, signed, decimals=decimals)}–{upper}"


def flag_text(value: float, lang: str = "zh") -> str:
    """是 / 否 (Yes / No) for a yes/no indicator: 1 → yes, 0 → no; any other value → its digits."""
    from qyanalysis.present.labels import t

    if value == 1:
        return t("flag.yes", lang)
    if value == 0:
        return t("flag.no", lang)
    return f"{value:g}"


def counted_noun(indicator: str) -> str:
    """What an indicator's count counts ("persons", "schools" …), "" when unknown or not a count."""
    entry = CATALOGUE.get(indicator)
    return entry.counts if entry is not None and entry.unit == "count" else ""


def is_level_change(indicator: str, rule: object) -> bool:
    """True when a scorecard row holds the change of a level indicator (not the level itself).

    A ``change_vs_previous`` target on a level code (``temporary_teachers_count``,
    ``kindergarten_teacher_certified_share``) carries the difference against
    the previous year in ``value``; a ``*_change`` code (``myopia_rate_change``)
    already names a change.
    """
    if str(rule) != CHANGE_RULE:
        return False
    return change_base(indicator)[0] == indicator


def value_unit(indicator: str, unit: str, rule: object = "") -> str:
    """Unit in which a scorecard row's value, threshold and forecast are printed.

    The row's own unit, except for the change of a level share or rate, which
    is printed in percentage points ("pp"): a 2-point rise of a 90 % share is
    "+2.0 个百分点", not "2.0 %".
    """
    if is_level_change(indicator, rule) and unit in PERCENT_UNITS:
        return "pp"
    return unit


def format_indicator_value(value: object, indicator: str, unit: str, lang: str = "zh", rule: object = "") -> str:
    """A value of ``indicator`` as a scorecard row of ``rule`` holds it, in :func:`value_unit`, signed for changes.

    >>> format_indicator_value(-13.0, "temporary_teachers_count", "count", "zh", "change_vs_previous")
    '−13 人'
    """
    change = is_level_change(indicator, rule)
    return format_value(value, value_unit(indicator, unit, rule), lang, counts=counted_noun(indicator),
                        signed=change)


def format_indicator_range(low: object, high: object, indicator: str, unit: str, lang: str = "zh",
                           rule: object = "") -> str:
    """:func:`format_range` for the interval of a scorecard row's value (see :func:`format_indicator_value`)."""
    return format_range(low, high, value_unit(indicator, unit, rule), lang, counts=counted_noun(indicator),
                        signed=is_level_change(indicator, rule))


def previous_value_unit(indicator: str, unit: str) -> str:
    """Unit of a scorecard row's ``previous_value``: the level of the base indicator, never a change.

    For a change target (``myopia_rate_change``, unit ``pp``) the previous
    value is the base indicator's level (``myopia_rate``, a rate):
    ``qyanalysis.contract.indicators.change_base`` names the base.
    """
    base, _kind = change_base(indicator)
    return CATALOGUE[base].unit if base != indicator else unit


def format_previous_value(value: object, indicator: str, unit: str, lang: str = "zh") -> str:
    """A row's ``previous_value`` (last year's level of the base indicator), with its measure word."""
    return format_value(value, previous_value_unit(indicator, unit), lang,
                        counts=counted_noun(change_base(indicator)[0]))


def target_label(indicator: str, lang: str = "zh", rule: object = "") -> str:
    """The name of the number a scorecard row holds: the indicator's, or its change on the previous year.

    >>> target_label("temporary_teachers_count", "zh", "change_vs_previous")
    '公办中小学临聘教师数较上年变化'
    """
    from qyanalysis.present.labels import indicator_label, t

    label = indicator_label(indicator, lang)
    return t("label.change_on_previous", lang, label=label) if is_level_change(indicator, rule) else label
