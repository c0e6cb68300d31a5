"""Labelled frames: what a table builder returns, a notebook shows and a view draws.

A table builder (``qyanalysis.report.tables``) returns a plain
:class:`pandas.DataFrame` of numbers, already safe to share: person counts of
1 to ``SUPPRESSION_THRESHOLD − 1`` and the complementary cells that would give
them away are set to missing, and so is every value computed from a hidden
count. What the page needs to show it is kept in ``frame.attrs["qy"]``, a
:class:`FrameSpec`: the language, a title, the columns shown and their headers
(from the catalogue), a unit per value column, which cells disclosure control
hid and how ("<5" or "[c]"), and a note.

In a notebook the frame displays itself as the house table (the IPython
formatter :func:`install_display` registers, called by ``open_page``): the
researcher sees a worded, escaped table in the shared HTML and the numbers
behind it in ``frame`` itself. A frame without a spec displays as pandas does.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import pandas as pd

from qyanalysis.disclosure import (  # noqa: F401 - is_small_count re-exported for the table builders
    MIN_DENOMINATOR,
    is_small_count,
)
from qyanalysis.present.labels import check_lang, t
from qyanalysis.present.numbers import format_value
from qyanalysis.present.suppression import (
    SECONDARY_MARK,
    SMALL_BASE_MARKERS,
    small_count_label,
    suppress_counts,
)
from qyanalysis.present.tables import html_table, table_texts

SPEC_KEY = "qy"


@dataclass(frozen=True)
class FrameSpec:
    """How a labelled frame is shown (kept in ``frame.attrs["qy"]``).

    Attributes:
        lang: "zh" or "en".
        title: Heading shown above the table ("" = none).
        columns: Columns shown, in order (empty = every column).
        headers: Header text of columns the catalogue has no label for.
        units: Value column → unit code (``share``, ``ratio``, ``count``, ``text`` …).
        counts: Columns counting persons (disclosure control applied).
        hidden: Column → {row label: mark} of cells hidden by disclosure control
            ("<5" for a small count, "[c]" for a complementary or derived cell).
        small_base: Column → row labels whose share rests on fewer than
            ``MIN_DENOMINATOR`` persons (shown with the small-base marker).
        note: A sentence shown under the table ("" = none).
        empty_text: Shown instead of an empty table (default: the no-data line).
        statuses: Shown column → the column of status codes its cells are coloured and marked by
            (default: the ``status`` column by itself).
        titles: Shown column → the column of each cell's full text (its tooltip).
        failing: Column → row labels whose value fails its standard (marked; never a hidden cell).
        header_notes: Column → a second header line (the standard the column's values are held to).
        header_titles: Column → the full name behind a short header (its tooltip).
        grid: Shown as a compact status grid (:func:`qyanalysis.present.tables.html_table`).
    """

    lang: str
    title: str = ""
    columns: tuple[str, ...] = ()
    headers: Mapping[str, str] = field(default_factory=dict)
    units: Mapping[str, str] = field(default_factory=dict)
    counts: tuple[str, ...] = ()
    hidden: Mapping[str, Mapping[object, str]] = field(default_factory=dict)
    small_base: Mapping[str, tuple] = field(default_factory=dict)
    note: str = ""
    empty_text: str = ""
    statuses: Mapping[str, str] | None = None
    titles: Mapping[str, str] = field(default_factory=dict)
    failing: Mapping[str, tuple] = field(default_factory=dict)
    header_notes: Mapping[str, str] = field(default_factory=dict)
    header_titles: Mapping[str, str] = field(default_factory=dict)
    grid: bool = False


def spec_of(frame: pd.DataFrame) -> FrameSpec | None:
    """The frame's :class:`FrameSpec`, or None for a plain frame."""
    spec = frame.attrs.get(SPEC_KEY)
    return spec if isinstance(spec, FrameSpec) else None


def _hidden_counts(frame: pd.DataFrame, counts: Sequence[str],
                   row_groups: str | Sequence[str] | None) -> pd.DataFrame:
    """Disclosure marks of the count cells: "<5", "[c]" or "" (shown), same index and columns as ``counts``."""
    columns = list(counts)
    rounded = frame[columns].astype("float64").round()
    groups = None
    if row_groups is not None:
        keys = [row_groups] if isinstance(row_groups, str) else list(row_groups)
        rounded = rounded.assign(_group=frame.groupby(keys, sort=False, dropna=False).ngroup().to_numpy())
        groups = "_group"
    shown = suppress_counts(rounded, columns, row_groups=groups)[columns]
    marks = {small_count_label(), SECONDARY_MARK}
    return shown.where(shown.isin(marks), "")


def labelled(frame: pd.DataFrame, lang: str, *, title: str = "", columns: Sequence[str] = (),
             headers: Mapping[str, str] | None = None, units: Mapping[str, str] | None = None,
             counts: Sequence[str] = (), links: Mapping[str, Sequence[str]] | None = None,
             small_base: str | None = None, row_groups: str | Sequence[str] | None = None,
             note: str = "", empty_text: str = "", statuses: Mapping[str, str] | None = None,
             titles: Mapping[str, str] | None = None, failing: Mapping[str, Sequence[object]] | None = None,
             header_notes: Mapping[str, str] | None = None, header_titles: Mapping[str, str] | None = None,
             grid: bool = False) -> pd.DataFrame:
    """A frame made safe to share and labelled for display: the one exit of every table builder.

    Person counts (rounded to whole persons) of 1–4 and their complementary
    cells (:func:`qyanalysis.present.suppression.suppress_counts`) become missing; so
    does every value column computed from a hidden count (``links[column]``,
    default: every count column) — it could give the count back. Which cells
    were hidden, and how, is kept for the display.

    Args:
        frame: Numbers, one row per line of the table.
        lang: "zh" or "en".
        title: Heading above the table.
        columns: Columns shown, in order (default: all).
        headers: Header text for columns without a catalogue label.
        units: Value column → unit code; ``"text"`` for words.
        counts: Columns counting persons.
        links: Column → the count columns it derives from (default for value columns: every count
            column; a text column is hidden only when listed here: words that give a count back).
        small_base: Count column the shares and rates rest on (small-base marker under 30).
        row_groups: Column(s) splitting the rows into separate tables for the complementary rule.
        note: Sentence under the table.
        empty_text: Shown instead of an empty table.
        statuses: Shown column → its column of status codes (cells coloured and marked by status).
        titles: Shown column → its column of full texts (each cell's tooltip).
        failing: Column → one flag per row, true where the value fails its standard by the rule that
            judges it (``<NA>`` counts as not failing); a hidden cell is never marked.
        header_notes: Column → a second header line (its standard).
        header_titles: Column → the full name behind a short header (its tooltip).
        grid: Show the table as a compact status grid.

    Returns:
        A copy with hidden cells missing and ``attrs["qy"]`` set.
    """
    check_lang(lang)
    units, links = dict(units or {}), dict(links or {})
    out = frame.copy()
    hidden: dict[str, dict[object, str]] = {}
    count_list = [c for c in counts if c in out]
    if count_list and not out.empty:
        marks = _hidden_counts(out, count_list, row_groups)
        for column in count_list:
            cells = marks[column][marks[column] != ""]
            if not cells.empty:
                hidden[column] = dict(cells.items())
        for column in dict.fromkeys([*units, *links]):
            # a text column is hidden only when ``links`` says it derives from a count (words giving it back)
            if column in count_list or column not in out or (units.get(column) == "text" and column not in links):
                continue
            linked = [c for c in links.get(column, count_list) if c in hidden]
            labels = set().union(*(hidden[c].keys() for c in linked)) if linked else set()
            if labels:
                hidden[column] = dict.fromkeys((label for label in out.index if label in labels), SECONDARY_MARK)
    small: dict[str, tuple] = {}
    if small_base is not None and small_base in out:
        base = out[small_base] < MIN_DENOMINATOR
        for column, unit in units.items():
            rests_on_counts = bool(list(links.get(column, count_list)))
            if unit in ("share", "rate") and rests_on_counts:  # not a reference figure linked to no count
                rows = out.index[base & out[column].notna()]
                small[column] = tuple(rows)
    for column, cells in hidden.items():
        if units.get(column) == "text":  # words: the mark in place of the text
            out[column] = out[column].astype("object")
            out.loc[list(cells), column] = SECONDARY_MARK
        else:
            out[column] = out[column].astype("float64")
            out.loc[list(cells), column] = float("nan")
    fails = {}
    for column, flags in (failing or {}).items():
        flagged = pd.Series(pd.array(list(flags), dtype="boolean"), index=out.index).fillna(False)
        cells = hidden.get(column, {})
        fails[column] = tuple(label for label in out.index[flagged.to_numpy(dtype=bool)]
                              if label not in cells)
    out.attrs = {SPEC_KEY: FrameSpec(lang=lang, title=title, columns=tuple(columns), headers=dict(headers or {}),
                                     units=units, counts=tuple(count_list), hidden=hidden, small_base=small,
                                     note=note, empty_text=empty_text,
                                     statuses=None if statuses is None else dict(statuses),
                                     titles=dict(titles or {}), failing=fails,
                                     header_notes=dict(header_notes or {}),
                                     header_titles=dict(header_titles or {}), grid=grid)}
    return out


def with_spec(frame: pd.DataFrame, **changes: object) -> pd.DataFrame:
    """The frame with its spec changed (e.g. ``title=``, ``columns=``); a copy."""
    spec = spec_of(frame)
    if spec is None:
        raise ValueError("the frame has no display spec; build it with labelled()")
    out = frame.copy()
    out.attrs = {SPEC_KEY: replace(spec, **changes)}
    return out


def display_texts(frame: pd.DataFrame, spec: FrameSpec) -> pd.DataFrame:
    """The frame's count and value columns as display words: hidden cells marked, numbers in their units.

    Person counts are shown rounded to whole persons (disclosure control judges the rounded count).
    """
    out = frame.copy()
    for column in [*spec.counts, *spec.units]:
        if column not in out:
            continue
        unit = "count" if column in spec.counts else spec.units[column]
        marks = spec.hidden.get(column, {})
        small = set(spec.small_base.get(column, ()))
        words = []
        for label, value in zip(frame.index, frame[column], strict=True):
            if label in marks:
                words.append(marks[label])
                continue
            if unit == "text":
                text = str(value)
            else:  # persons are shown whole (apportioned teachers of combined schools are fractional)
                number = None if pd.isna(value) else float(value)
                text = format_value(round(number) if number is not None and column in spec.counts else number,
                                    unit, spec.lang)
            words.append(text + SMALL_BASE_MARKERS[spec.lang] if label in small else text)
        out[column] = pd.Series(words, index=frame.index, dtype="object")
    return out


def frame_texts(frame: pd.DataFrame) -> pd.DataFrame:
    """A labelled frame as the words of its page table: the shown columns under their headers, each cell as
    the page prints it (hidden cells by their mark), every cell a string — for the CSV and Excel downloads.
    """
    spec = spec_of(frame)
    if spec is None:
        raise ValueError("the frame has no display spec; build it with labelled()")
    columns = [c for c in (spec.columns or tuple(frame.columns)) if c in frame]
    return table_texts(display_texts(frame, spec), spec.lang, columns=columns, headers=dict(spec.headers),
                       header_notes=dict(spec.header_notes))


def frame_html(frame: pd.DataFrame) -> str:
    """A labelled frame as the page shows it: escaped title, house table (or the no-data line), note."""
    spec = spec_of(frame)
    if spec is None:
        raise ValueError("the frame has no display spec; build it with labelled()")
    parts = [f"<h2>{html.escape(spec.title)}</h2>"] if spec.title else []
    if frame.empty:
        parts.append(f"<p>{html.escape(spec.empty_text or t('report.no_data_table', spec.lang))}</p>")
    else:
        columns = [c for c in (spec.columns or tuple(frame.columns)) if c in frame]
        positions = {label: i for i, label in enumerate(frame.index)}
        failing = {c: [positions[label] for label in labels]
                   for c, labels in spec.failing.items() if c in columns}
        numbers = [c for c in columns if c in spec.counts or spec.units.get(c, "text") != "text"]
        parts.append(html_table(display_texts(frame, spec), spec.lang, columns=columns,
                                headers=dict(spec.headers), statuses=spec.statuses, titles=dict(spec.titles),
                                failing=failing, header_notes=dict(spec.header_notes),
                                header_titles=dict(spec.header_titles), grid=spec.grid, numbers=numbers))
    if spec.note:
        parts.append(f"<p>{html.escape(spec.note)}</p>")
    return "".join(parts)


def _frame_formatter(frame: pd.DataFrame) -> str | None:
    """IPython ``text/html`` printer: the house table for a labelled frame, pandas' own HTML otherwise."""
    if spec_of(frame) is not None:
        return frame_html(frame)
    return frame._repr_html_()


def _figure_formatter(fig) -> bytes | tuple[bytes, dict[str, str]]:
    """IPython ``image/png`` printer for a matplotlib figure: the house PNG (as the pages embed it), with
    the figure's title as the output's ``alt`` metadata (the page's ``<img alt>``)."""
    from qyanalysis.present.style import figure_alt, png_bytes

    alt = figure_alt(fig)
    png = png_bytes(fig)
    return (png, {"alt": alt}) if alt else png


def install_display() -> None:
    """Make labelled frames display as house tables and figures as house PNGs in this IPython kernel.

    Does nothing outside IPython (plain Python, tests without a shell).
    """
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is a dependency
        return
    shell = get_ipython()
    if shell is None:
        return
    from matplotlib.figure import Figure

    formatters = shell.display_formatter.formatters
    formatters["text/html"].for_type(pd.DataFrame, _frame_formatter)
    formatters["image/png"].for_type(Figure, _figure_formatter)
