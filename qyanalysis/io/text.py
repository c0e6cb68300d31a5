"""Text helpers shared by the readers and the validation: folding, cleaning, cell rendering.

Everything is read as text first (CONTRACT.md §1) and converted per declared
kind afterwards, so that every conversion error can name its row.
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata

import numpy as np
import pandas as pd

# Cell contents read as "missing" (besides the empty cell): the dashes and
# slashes statistical sheets print for "not applicable", and the spellings
# that Parquet/Excel exports give to missing values. Compared after folding.
MISSING_TOKENS = ("-", "--", "—", "——", "–", "/", "na", "n/a", "nan", "null", "none", "<na>")
_MISSING_SPELLINGS = sorted({v for t in MISSING_TOKENS for v in (t, t.upper(), t.title(), t.capitalize())})

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
    return (cleaned == "").to_numpy(dtype=bool) | cleaned.isin(_MISSING_SPELLINGS).to_numpy(dtype=bool)


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


def column_to_text(values: pd.Series) -> pd.Series:
    """Render a typed column (Parquet) as text, the same way :func:`cell_to_text` renders cells."""
    if pd.api.types.is_bool_dtype(values.dtype):
        return values.map({True: "true", False: "false"}).astype("str").fillna("")
    if pd.api.types.is_integer_dtype(values.dtype):
        return values.astype("str").fillna("").replace("<NA>", "")
    if pd.api.types.is_float_dtype(values.dtype):
        floats = values.astype("float64").to_numpy()
        finite = np.isfinite(floats)
        whole = finite & (np.mod(floats, 1, where=finite, out=np.ones_like(floats)) == 0)
        out = values.astype("str").to_numpy(dtype=object)
        out[whole] = floats[whole].astype(np.int64).astype(str)
        out[np.isnan(floats)] = ""
        return pd.Series(out, index=values.index, dtype="str")
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        return values.dt.strftime("%Y-%m-%d").astype("str").fillna("")
    return values.map(cell_to_text, na_action="ignore").astype("str").fillna("")
