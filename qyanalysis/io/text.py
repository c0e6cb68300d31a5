"""Text helpers shared by the readers and the validation: folding, cleaning, cell rendering.

Everything is read as text first (docs/data-dictionary.md) and converted per declared
kind afterwards, so that every conversion error can name its row.
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

# Cell contents read as "missing" (besides the empty cell): the dashes and
# slashes statistical sheets print for "not applicable", and the spellings
# that Parquet/Excel exports give to missing values. Compared after folding.
MISSING_TOKENS = ("-", "--", "—", "——", "–", "/", "na", "n/a", "nan", "null", "none", "<na>")
_MISSING_TOKEN_SET = frozenset(MISSING_TOKENS)

# A row whose label cell starts with one of these is a total row (合计 …).
TOTAL_ROW_PATTERN = r"^(?:合计|总计|小计|共计|总合计|total|subtotal|grandtotal)"
# Cheap test on the raw text before folding: every total label contains 计 or "total".
TOTAL_ROW_PREFILTER = r"计|[Tt][Oo][Tt][Aa][Ll]|ｔ|Ｔ"

MESSAGE_VALUE_CHARS = 40
# ASCII whitespace, spelled out: after NFKC no other spaces remain, and an explicit class keeps
# pandas on its fast Arrow (RE2) regex path, where `\s` would fall back to Python.
_WHITESPACE = r"[ \t\n\r\f\v]+"


def fold(text: object) -> str:
    """Fold a header or code for matching: NFKC (full-width → half-width), lower case, no whitespace.

    >>> fold(" Ｓｃｈｏｏｌ _ID ")
    'school_id'
    """
    folded = unicodedata.normalize("NFKC", str(text)).strip().lower()
    return "".join(folded.split())


def nfkc_series(values: pd.Series) -> pd.Series:
    """NFKC-normalise and trim a text column (vectorised, Arrow-backed when possible)."""
    text = values.astype("str")
    non_ascii = ~text.str.isascii().fillna(True).to_numpy(dtype=bool)
    if non_ascii.any():
        text = text.str.normalize("NFKC")
    return text.str.strip().fillna("")


def fold_series(values: pd.Series) -> pd.Series:
    """Vectorised :func:`fold` for values (lower case, NFKC, inner whitespace removed)."""
    text = nfkc_series(values).str.lower()
    if text.str.contains(_WHITESPACE, regex=True).any():
        text = text.str.replace(_WHITESPACE, "", regex=True)
    return text


def missing_mask(cleaned: pd.Series) -> np.ndarray:
    """True where a cleaned (NFKC, trimmed) cell holds no value: empty or a missing token."""
    # Tokens match in any letter case ("NaN", "N/A"): every cell lowered at once (Arrow), not one by one.
    token = cleaned.str.lower().isin(_MISSING_TOKEN_SET) if cleaned.dtype != "object" else cleaned.map(
        lambda value: isinstance(value, str) and value.lower() in _MISSING_TOKEN_SET)
    return (cleaned == "").to_numpy(dtype=bool) | token.to_numpy(dtype=bool)


def short(value: object) -> str:
    """A cell value made safe for a one-line message (no newlines, at most 40 characters)."""
    text = " ".join(str(value).split())
    if len(text) > MESSAGE_VALUE_CHARS:
        text = text[: MESSAGE_VALUE_CHARS - 1] + "…"
    return text


def number_text(value: float) -> str:
    """Render a number for a message: 12 rather than 12.0, 0.85 rather than 0.8500000001."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return f"{value:.10g}"


def cell_to_text(value: object) -> str:
    """Render one spreadsheet cell as text: whole floats without ".0", dates as ISO dates.

    >>> cell_to_text(2022.0), cell_to_text(0.85), cell_to_text(None), cell_to_text(True)
    ('2022', '0.85', '', 'true')
    """
    if value is None:
        return ""
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if isinstance(value, float | np.floating):
        if math.isnan(value):
            return ""
        return str(int(value)) if float(value).is_integer() else repr(float(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


# Python's repr of a float (what :func:`cell_to_text` gives) uses plain decimal notation from 1e-4 up to
# 1e16; Arrow's float → string cast agrees with it digit for digit from 1e-4 up to 1e10 and writes an
# exponent outside, so only the cells outside that band are rendered by numpy (repr-exact, slower).
_ARROW_FLOAT_TEXT_RANGE = (1e-4, 1e10)
# Whole floats at or beyond 2**63 do not fit int64; they are rendered in Python (str(int(v))).
_INT64_LIMIT = 2.0**63


def _int_text(values: np.ndarray) -> np.ndarray:
    """Whole numbers (int64 or whole floats below 2**63) as decimal text, via Arrow's cast."""
    return np.asarray(pc.cast(pa.array(values.astype(np.int64)), pa.string()).to_numpy(zero_copy_only=False),
                      dtype=object)


def float_column_text(floats: np.ndarray) -> np.ndarray:
    """Render float64 values exactly as :func:`cell_to_text` does, vectorised.

    Whole values → integer text ("2022"), NaN → "", others → Python's repr
    ("0.85", "1e-05", "inf"). Returns an object array of str.
    """
    out = np.full(len(floats), "", dtype=object)
    finite = np.isfinite(floats)
    magnitude = np.abs(floats, where=finite, out=np.zeros_like(floats))
    whole = finite & (np.mod(floats, 1, where=finite, out=np.ones_like(floats)) == 0)
    small_whole = whole & (magnitude < _INT64_LIMIT)
    if small_whole.any():
        out[small_whole] = _int_text(floats[small_whole])
    for pos in np.flatnonzero(whole & ~small_whole):
        out[pos] = str(int(floats[pos]))
    fractional = ~whole & ~np.isnan(floats)
    low, high = _ARROW_FLOAT_TEXT_RANGE
    in_band = fractional & (magnitude >= low) & (magnitude < high)
    if in_band.any():
        out[in_band] = np.asarray(pc.cast(pa.array(floats[in_band]), pa.string())
                                  .to_numpy(zero_copy_only=False), dtype=object)
    outside = fractional & ~in_band
    if outside.any():
        out[outside] = floats[outside].astype(str).astype(object)
    return out


def arrow_to_text(column: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray | None:
    """Text of an Arrow column as :func:`cell_to_text` renders its cells ("" for null), vectorised.

    Returns:
        A string array, or None for types without a vectorised rendering
        (dates, decimals, binary, nested types …).
    """
    kind = column.type
    if pa.types.is_dictionary(kind):
        return arrow_to_text(pc.cast(column, kind.value_type))
    if pa.types.is_boolean(kind):
        return pc.fill_null(pc.if_else(column, "true", "false"), "")
    if pa.types.is_integer(kind):
        return pc.fill_null(pc.cast(column, pa.large_string()), "")
    if pa.types.is_floating(kind):
        floats = np.asarray(pc.cast(column, pa.float64()).to_numpy(zero_copy_only=False), dtype="float64")
        return pa.array(float_column_text(floats), type=pa.large_string())
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return pc.fill_null(column, "")
    return None


def _object_text(values: pd.Series) -> pd.Series:
    """Any other column: :func:`cell_to_text` once per distinct value, then mapped back."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    rendered = np.array([cell_to_text(u) for u in uniques] + [""], dtype=object)
    return pd.Series(rendered[codes], index=values.index, dtype="str")


def column_to_text(values: pd.Series) -> pd.Series:
    """Render a typed column (Parquet) as text, exactly as :func:`cell_to_text` renders its cells.

    Vectorised (Arrow compute) for bool, integer, float and string columns,
    numpy or Arrow-backed, nullable or not; other dtypes render each distinct
    value once in Python. Missing values become "".
    """
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        return values.dt.strftime("%Y-%m-%d").astype("str").fillna("")
    try:
        text = arrow_to_text(pa.array(values, from_pandas=True))
    except pa.ArrowException:  # invalid, mistyped or unsupported for Arrow: render value by value
        text = None
    if text is None:
        return _object_text(values)
    return pd.Series(pd.array(text, dtype="str"), index=values.index)
