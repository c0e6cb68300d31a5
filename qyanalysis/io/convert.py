"""Text → typed values, one function per declared kind (``contract/columns.py``).

Each converter takes a text column ("" = empty) and returns the typed values,
the mask of missing cells and the problems found, each as a mask of rows and
a function that words the problem for one cell. Converters never raise on bad
data and never stop at the first bad cell.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from qyanalysis.contract.columns import YEAR_MAX, YEAR_MIN, Column
from qyanalysis.contract.counties import CountyRegistry
from qyanalysis.io.text import fold_series, missing_mask, nfkc_series, short

NUMBER_PATTERN = r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
THOUSANDS_PATTERN = r"[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?%?"
TRUE_WORDS = ("true", "1", "1.0", "是", "yes", "y", "t", "有", "√")
FALSE_WORDS = ("false", "0", "0.0", "否", "no", "n", "f", "无", "×")
CATEGORY_SYNONYMS = {"≥": ">=", "≤": "<=", "=": "==", "≧": ">=", "≦": "<="}
BOOL_EXPECTED = "expected true/false, 1/0, 是/否 or yes/no"
PERIOD_EXPECTED = "expected empty (annual), YYYY-MM (e.g. 2022-06) or YYYY-Qn (e.g. 2022-Q2)"
# "." is not a month separator: Excel turns 2022.10 into 2022.1, which would read as January.
_MONTH = r"^(\d{4})\s*[-/年]\s*(\d{1,2})\s*(?:月)?(?:[-/]0?1(?:日)?)?$"
_QUARTER = r"^(\d{4})\s*(?:[-/ ]|年)?\s*(?:q|第)\s*([1-4一二三四])\s*(?:季度)?$"
_QUARTER_ZH = {"一": "1", "二": "2", "三": "3", "四": "4"}


@dataclass
class Problem:
    """Cells with one kind of problem.

    Attributes:
        mask: True for the rows that have it.
        describe: Words the problem for one cell, given its text as written.
    """

    mask: np.ndarray
    describe: Callable[[str], str]


@dataclass
class Converted:
    """The typed values of one column and what went wrong.

    Attributes:
        values: Typed values (NaN / NA where missing or invalid).
        missing: True where the cell holds no value.
        problems: Every problem found, by kind of problem.
        percent: True where a number was written with a % sign (numbers only).
        yes_no: True where a ``number`` cell held a yes/no word (是/否, yes/no,
            true/false), read as 1/0; whether the indicator takes one is
            checked against the catalogue (``io.checks``).
    """

    values: pd.Series
    missing: np.ndarray
    problems: list[Problem] = field(default_factory=list)
    percent: np.ndarray | None = None
    yes_no: np.ndarray | None = None


def expectation(column: Column) -> str:
    """What a valid cell of ``column`` looks like, in words."""
    unit = f" ({column.unit})" if column.unit and column.kind != "year" else ""
    if column.kind == "category":
        return "one of: " + ", ".join(column.allowed) if column.allowed else "a code of the catalogue"
    return {
        "id": "an identifier",
        "text": "a text",
        "county": "a county code or name",
        "count": f"a whole number >= 0{unit}",
        "amount": f"a number >= 0{unit}",
        "number": "a number (rates as 0.85 or '85%')",
        "year": f"a whole calendar year between {YEAR_MIN} and {YEAR_MAX}",
        "bool": BOOL_EXPECTED.removeprefix("expected "),
        "period": PERIOD_EXPECTED.removeprefix("expected "),
    }[column.kind]


def _cast_float(text: pd.Series, keep: np.ndarray) -> np.ndarray:
    """Cast the cells where ``keep`` to float64 with Arrow (NaN elsewhere); raises ``ArrowInvalid``."""
    strings = pa.array(text.astype("str"), type=pa.large_string(), from_pandas=True)
    kept = pc.if_else(pa.array(keep), strings, pa.scalar(None, pa.large_string()))
    return np.array(pc.cast(kept, pa.float64()).to_numpy(zero_copy_only=False), dtype="float64")


def _floats(text: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Float values and the mask of cells that are numbers ("" is not).

    Fast path: one Arrow cast of every non-empty cell, accepted when it
    succeeds and gives only finite values; otherwise each cell is matched
    against ``NUMBER_PATTERN`` first so that every bad cell is found.
    """
    filled = (text != "").to_numpy(dtype=bool)
    try:
        values = _cast_float(text, filled)
        if np.isfinite(values[filled]).all():
            return values, filled
    except pa.ArrowInvalid:
        pass
    ok = text.str.fullmatch(NUMBER_PATTERN).to_numpy(dtype=bool)
    return _cast_float(text, ok), ok


def parse_numbers(cleaned: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Parse numbers written as text: "1,234", "85%" (→ 0.85), "1e3".

    Returns:
        ``(values, percent, bad)``: float values (NaN where not a number),
        where a % sign was used, and where a non-empty cell is not a number.
    """
    text = cleaned
    commas = text.str.contains(",", regex=False).to_numpy(dtype=bool)
    if commas.any():
        thousands = commas & text.str.fullmatch(THOUSANDS_PATTERN).to_numpy(dtype=bool)
        text = text.where(~thousands, text.str.replace(",", "", regex=False))
    percent = text.str.endswith("%").to_numpy(dtype=bool)
    if percent.any():
        text = text.where(~percent, text.str.slice(0, -1).str.strip())
    values, ok = _floats(text)
    values[percent] /= 100.0
    bad = ~ok & (cleaned != "").to_numpy(dtype=bool)
    return values, percent & ok, bad


def plain_numbers(raw: pd.Series) -> tuple[np.ndarray, np.ndarray] | None:
    """Fast path for the usual column: every cell empty or a plain number that Arrow casts.

    Returns:
        ``(values, missing)`` when every non-empty cell casts to a finite float
        as written (no spaces, commas, % signs, full-width digits or missing
        tokens, which make the cast fail), else None. On such columns the full
        cleaning of :func:`parse_numbers` would give the same values.
    """
    filled = (raw != "").to_numpy(dtype=bool)
    try:
        values = _cast_float(raw, filled)
    except pa.ArrowInvalid:
        return None
    if not np.isfinite(values[filled]).all():
        return None
    return values, ~filled


def _numeric(column: Column, raw: pd.Series, allow_percent: bool) -> Converted:
    plain = plain_numbers(raw)
    if plain is not None:
        values, missing = plain
        percent = bad = np.zeros(len(raw), dtype=bool)
    else:
        cleaned = nfkc_series(raw)
        missing = missing_mask(cleaned)
        cleaned = cleaned.where(~missing, "")
        values, percent, bad = parse_numbers(cleaned)
    expected = expectation(column)
    yes_no = np.zeros(len(raw), dtype=bool)
    if column.kind == "number" and bad.any():
        values, yes_no, bad = _yes_no_words(raw, values, bad)
    problems = [Problem(bad, lambda t: f"'{short(t)}' is not a number; expected {expected}")]
    if not allow_percent and percent.any():
        values[percent] = np.nan
        problems.append(Problem(percent, lambda t: f"'{short(t)}' is a percentage; expected {expected}"))
    if column.kind in ("count", "amount"):
        negative = values < 0
        problems.append(Problem(negative, lambda t: f"negative value {short(t)}; expected {expected}"))
        if column.kind == "count":
            fractional = ~negative & (np.mod(values, 1) != 0) & np.isfinite(values)
            problems.append(Problem(fractional,
                                    lambda t: f"{short(t)} is not a whole number; expected {expected}"))
    return Converted(pd.Series(values, index=raw.index), missing, problems, percent, yes_no)


def _yes_no_words(raw: pd.Series, values: np.ndarray, bad: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Read the non-numeric cells that are yes/no words (是 → 1, 否 → 0); the rest stay bad."""
    folded = fold_series(raw)
    words = [w for w in TRUE_WORDS + FALSE_WORDS if not w[0].isdigit()]
    yes_no = bad & folded.isin(words).to_numpy(dtype=bool)
    is_true = folded.isin(TRUE_WORDS).to_numpy(dtype=bool)
    values = values.copy()
    values[yes_no] = np.where(is_true[yes_no], 1.0, 0.0)
    return values, yes_no, bad & ~yes_no


def _year(column: Column, raw: pd.Series, check_range: bool) -> Converted:
    converted = _numeric(column, raw, allow_percent=False)
    values = converted.values.to_numpy()
    expected = expectation(column)
    fractional = np.isfinite(values) & (np.mod(values, 1) != 0)
    converted.problems.append(Problem(fractional,
                                      lambda t: f"{short(t)} is not a whole year; expected {expected}"))
    if check_range:
        outside = ~fractional & ((values < YEAR_MIN) | (values > YEAR_MAX))
        converted.problems.append(Problem(outside,
                                          lambda t: f"implausible year {short(t)}; expected {expected}"))
    return converted


def _bool(column: Column, raw: pd.Series) -> Converted:
    cleaned = fold_series(raw)
    missing = missing_mask(cleaned)
    is_true = cleaned.isin(TRUE_WORDS).to_numpy(dtype=bool)
    is_false = cleaned.isin(FALSE_WORDS).to_numpy(dtype=bool)
    values = pd.array(np.where(is_true, True, False), dtype="boolean")
    values[~(is_true | is_false)] = pd.NA
    bad = ~(is_true | is_false | missing)
    return Converted(pd.Series(values, index=raw.index), missing,
                     [Problem(bad, lambda t: f"'{short(t)}' is not a yes/no value; {BOOL_EXPECTED}")])


def category_key(raw: pd.Series) -> pd.Series:
    """Fold category spellings: NFKC, lower case, spaces and hyphens → "_", ≥ → >=.

    Folded once per distinct value (categories repeat), then mapped back.
    """
    codes, uniques = pd.factorize(raw.astype("str"), use_na_sentinel=True)
    text = nfkc_series(pd.Series(uniques, dtype="str")).str.lower()
    text = text.str.replace(r"[ \t\n\r\f\v\-]+", "_", regex=True).replace(CATEGORY_SYNONYMS)
    folded = np.append(text.to_numpy(dtype=object), "")  # code -1 (missing) → ""
    return pd.Series(folded[codes], index=raw.index, dtype="str")


def _category(column: Column, raw: pd.Series, allowed: tuple[str, ...] | None) -> Converted:
    allowed = column.allowed if allowed is None else allowed
    key = category_key(raw)
    missing = missing_mask(key)
    ok = key.isin(allowed).to_numpy(dtype=bool)
    values = key.where(ok).astype("str")
    expected = "expected one of: " + ", ".join(allowed)
    bad = ~ok & ~missing
    return Converted(values, missing, [Problem(bad, lambda t: f"unknown value '{short(t)}'; {expected}")])


def _period(column: Column, raw: pd.Series) -> Converted:
    cleaned = nfkc_series(raw).str.lower()
    missing = missing_mask(cleaned)
    month = cleaned.str.extract(_MONTH)
    quarter = cleaned.str.extract(_QUARTER)
    month_number = pd.to_numeric(month[1], errors="coerce")
    is_month = month_number.between(1, 12).to_numpy(dtype=bool)
    is_quarter = quarter[0].notna().to_numpy(dtype=bool)
    values = pd.Series("", index=raw.index, dtype="str")
    if is_month.any():
        formatted = month[0] + "-" + month_number.fillna(0).astype(int).astype(str).str.zfill(2)
        values = values.where(~is_month, formatted)
    if is_quarter.any():
        values = values.where(~is_quarter, quarter[0] + "-Q" + quarter[1].replace(_QUARTER_ZH))
    bad = ~(missing | is_month | is_quarter)
    return Converted(values, missing, [Problem(bad, lambda t: f"bad period '{short(t)}'; {PERIOD_EXPECTED}")])


def _identifier(raw: pd.Series, fold_width: bool) -> Converted:
    cleaned = nfkc_series(raw) if fold_width else raw.astype("str").str.strip().fillna("")
    missing = missing_mask(cleaned)
    return Converted(cleaned.where(~missing).astype("str"), missing)


def county_choices(registry: CountyRegistry, limit: int = 8) -> str:
    """The first counties of a registry, for messages: "441802 清城区, 441803 清新区, …"."""
    table = registry.table.sort_values("county_code")
    shown = [f"{c} {n}" for c, n in zip(table["county_code"], table["name_zh"])][:limit]
    more = f", … ({len(table)} in all)" if len(table) > limit else ""
    return ", ".join(shown) + more


def convert_county(raw: pd.Series, registry: CountyRegistry) -> Converted:
    """County code, full, short or English name → 6-digit ``county_code`` (docs/data-dictionary.md)."""
    cleaned = nfkc_series(raw)
    missing = missing_mask(cleaned)
    mapping = {u: registry.normalise(u) for u in pd.unique(cleaned[~missing])}
    codes = cleaned.map(mapping).astype("str")
    bad = codes.isna().to_numpy(dtype=bool) & ~missing
    choices = county_choices(registry)
    return Converted(codes, missing, [Problem(
        bad, lambda t: f"unknown county '{short(t)}'; expected a county code, full, short or English name "
                       f"({choices})")])


def convert_column(column: Column, raw: pd.Series, *, check_year_range: bool = True,
                   allowed: tuple[str, ...] | None = None) -> Converted:
    """Convert one text column to the type its declaration asks for (county excepted).

    Args:
        column: The declaration.
        raw: The cells as text ("" = empty).
        check_year_range: Apply ``YEAR_MIN``..``YEAR_MAX`` to a year column
            (off for birth years, which an age rule checks instead).
        allowed: Allowed values of a category column when not declared
            (the indicator catalogue).
    """
    kind = column.kind
    if kind in ("count", "amount", "number"):
        return _numeric(column, raw, allow_percent=kind == "number")
    if kind == "year":
        return _year(column, raw, check_year_range)
    if kind == "bool":
        return _bool(column, raw)
    if kind == "category":
        return _category(column, raw, allowed)
    if kind == "period":
        return _period(column, raw)
    if kind in ("id", "text"):
        return _identifier(raw, fold_width=kind == "id")
    raise ValueError(f"{column.name}: kind {kind!r} has no converter")
