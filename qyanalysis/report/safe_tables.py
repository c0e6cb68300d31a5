"""Safe tables for the report views: person counts suppressed, derived values hidden with them, all escaped.

Shared by the staffing, funding, task and quality views. Counts of persons (rounded to
whole persons) of 1 to ``SUPPRESSION_THRESHOLD − 1`` show as "<5", the
complementary cells as "[c]" (:mod:`qyanalysis.disclosure`); a value computed
from a hidden count is hidden with it; shares on a small base are marked.
Headings and paragraphs are escaped here too, so that a data-derived string
never reaches the page as HTML.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

import pandas as pd
from IPython.display import HTML, display

from qyanalysis import disclosure
from qyanalysis.disclosure import MIN_DENOMINATOR, SECONDARY_MARK, SMALL_BASE_MARKERS, small_count_label
from qyanalysis.present.labels import t
from qyanalysis.present.numbers import format_range, format_value
from qyanalysis.present.tables import html_table
from qyanalysis.report.page import Page


def heading(text: str, level: int = 2) -> None:
    """An escaped heading."""
    display(HTML(f"<h{level}>{html.escape(text)}</h{level}>"))


def paragraph(text: str) -> None:
    """An escaped paragraph."""
    display(HTML(f"<p>{html.escape(text)}</p>"))


def hidden_marks() -> set[str]:
    """Display strings of counts hidden by disclosure control: primary ("<5") and complementary ("[c]")."""
    return {small_count_label(), SECONDARY_MARK}


def is_small_count(counts: pd.Series) -> pd.Series:
    """True where a count of persons, rounded, is 1 to ``SUPPRESSION_THRESHOLD − 1`` (read at call time)."""
    rounded = counts.round()
    return (rounded > 0) & (rounded < disclosure.SUPPRESSION_THRESHOLD)


def suppressed_counts(frame: pd.DataFrame, count_columns: Sequence[str],
                      row_groups: str | Sequence[str] | None = None) -> pd.DataFrame:
    """Person counts after disclosure control, as display strings ("<5", "[c]" or the number).

    Counts are rounded to whole persons first (apportioned teachers of combined
    schools are fractional), then :func:`qyanalysis.disclosure.suppress_counts`
    applies the primary and secondary rules; ``row_groups`` splits the rows into
    separate tables for the column margins (e.g. one table per stage).
    """
    columns = list(count_columns)
    rounded = frame[columns].round()
    if row_groups is not None:
        keys = [row_groups] if isinstance(row_groups, str) else list(row_groups)
        rounded = rounded.assign(_group=frame.groupby(keys, sort=False, dropna=False).ngroup().to_numpy())
    groups = "_group" if row_groups is not None else None
    shown = disclosure.suppress_counts(rounded, columns, row_groups=groups)
    return shown[columns]


def display_frame(frame: pd.DataFrame, count_columns: Sequence[str], value_units: Mapping[str, str],
                  lang: str, *, links: Mapping[str, Sequence[str]] | None = None,
                  small_base: str | None = None,
                  row_groups: str | Sequence[str] | None = None) -> pd.DataFrame:
    """A table made safe and worded: person counts suppressed, derived values hidden with them.

    Counts (rounded to whole persons) of 1–4 show as "<5", complementary cells
    as "[c]" (:mod:`qyanalysis.disclosure`). A value column (a ratio, share or
    interval computed from counts) is worded in its unit (``value_units``;
    ``"text"`` = already words) and shown as "[c]" in every row where one of
    its counts (``links[column]``, default every count column) is hidden — the
    count could be recomputed from it. Shares and rates resting on fewer than
    ``MIN_DENOMINATOR`` (30) persons of ``small_base`` carry the small-base
    marker (not a value linked to no count, such as a reference figure).

    Args:
        frame: Numbers (not strings), one row per displayed line.
        count_columns: Columns counting persons.
        value_units: Value column → unit code (``share``, ``ratio``, ``per100``, ``text`` …).
        lang: "zh" or "en".
        links: Value column → the count columns it derives from.
        small_base: Count column each share rests on, for the small-base marker.
        row_groups: Column(s) splitting the rows into separate tables (margins).

    Returns:
        A copy whose count and value columns are display strings.
    """
    counts = list(count_columns)
    out = frame.copy()
    hidden = pd.DataFrame(index=frame.index)
    if counts:
        shown = suppressed_counts(frame, counts, row_groups)
        hidden = shown.isin(hidden_marks())
        for column in counts:
            words = pd.Series([format_value(v, "count", lang) for v in frame[column].round()],
                              index=frame.index, dtype="str")
            out[column] = words.where(~hidden[column], shown[column])
    for column, unit in value_units.items():
        text = frame[column].astype("str") if unit == "text" else pd.Series(
            [format_value(v, unit, lang) for v in frame[column]], index=frame.index, dtype="str")
        linked = list((links or {}).get(column, counts))
        if small_base is not None and unit in ("share", "rate") and linked:
            small = (frame[small_base] < MIN_DENOMINATOR) & frame[column].notna()
            text = text.where(~small, text + SMALL_BASE_MARKERS[lang])
        masked = hidden[linked].any(axis=1) if linked else pd.Series(False, index=frame.index)
        out[column] = text.where(~masked, SECONDARY_MARK)
    return out


def interval_text(low: pd.Series, high: pd.Series, unit: str, lang: str) -> pd.Series:
    """"low–high" in ``unit`` for each row; "—" when either end is missing."""
    words = [format_range(lo, hi, unit, lang) if pd.notna(lo) and pd.notna(hi)
             else t("value.missing", lang) for lo, hi in zip(low, high, strict=True)]
    return pd.Series(words, index=low.index, dtype="str")


def show_safe_table(page: Page, frame: pd.DataFrame, columns: Sequence[str],
                    headers: Mapping[str, str]) -> None:
    """An already safe, worded frame as an escaped table (or the no-data line)."""
    if frame.empty:
        paragraph(t("report.no_data_table", page.lang))
        return
    display(HTML(html_table(frame, page.lang, columns=list(columns), headers=dict(headers))))
