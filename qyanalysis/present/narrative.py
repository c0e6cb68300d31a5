"""Sentences written from results, in Chinese or English.

Nothing is computed here: counts of targets are those of
:func:`qyanalysis.contract.tallies.target_counts` (a county's own apart from
the city's), and every number is one the scorecard already holds,
worded by :mod:`qyanalysis.present.numbers` (one format per unit; a change
on the previous year named and signed as a change; 是 / 否 for yes/no facts)
through the one display rule of a row (:func:`qyanalysis.present.shown.shown_row`:
a value never reads equal to its threshold when its status says otherwise;
counts, forecasts of seats included, are whole).

The plain functions return plain text (data-derived strings unescaped; the
caller that writes HTML escapes). The ``*_markdown`` variants escape every
data-derived field (county names, plan quotes, notes) for
``IPython.display.Markdown``: HTML's ``< > & " '`` become entities and
Markdown's ``[ ] ( ) ` * _ \\ # | ~ ! { }`` numeric character references,
so neither a tag nor a link can be formed from data. ``$`` becomes ``\\$``
(Jupyter's math-protecting escape).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pandas as pd

from qyanalysis.contract.indicators import FLAG_UNIT, has_interval
from qyanalysis.contract.statuses import NOT_IN_SAMPLE, SAMPLE_NOT_GIVEN, TARGET_SCOPES, TARGET_STATUSES
from qyanalysis.contract.tallies import target_counts
from qyanalysis.present.counts import counts_sentence
from qyanalysis.present.labels import (
    check_lang,
    comparator_label,
    status_label,
    t,
)
from qyanalysis.present.numbers import (  # noqa: F401 - previous_value_unit is part of this module's API
    format_number,
    format_previous_value,
    previous_value_unit,
    target_label,
)
from qyanalysis.present.palette import STATUSES
from qyanalysis.present.shown import ShownRow, shown_row

# Statuses listed by name after the headline count, in this order.
LISTED_STATUSES: tuple[str, ...] = ("not_met", "at_risk", "on_track", "no_data")
# How many target names a summary lists per status (then "等" after them: the total is said before).
MAX_LISTED_TARGETS = 5
#: The statuses a page's answer puts first, in this order: what to act on.
ACT_FIRST_STATUSES: tuple[str, ...] = ("not_met", "at_risk")
#: How many targets the answer lists (then "n more" pointing to the items below).
MAX_ACT_FIRST = 8

_MARKDOWN_ESCAPES = str.maketrans({
    "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;",
    "[": "&#91;", "]": "&#93;", "(": "&#40;", ")": "&#41;", "`": "&#96;",
    "*": "&#42;", "_": "&#95;", "\\": "&#92;", "#": "&#35;", "|": "&#124;",
    "~": "&#126;", "!": "&#33;", "{": "&#123;", "}": "&#125;", "$": "\\$",
    "\n": " ", "\r": " ",
})

Escape = Callable[[str], str]


def escape_markdown(text: object) -> str:
    """Escape a data-derived string for Markdown that may contain inline HTML.

    >>> escape_markdown("[x](javascript:alert(1))")
    '&#91;x&#93;&#40;javascript:alert&#40;1&#41;&#41;'
    """
    return str(text).translate(_MARKDOWN_ESCAPES)


def _plain(text: object) -> str:
    return str(text)


def _is_missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value))


def _single(frame: pd.DataFrame, column: str) -> object:
    values = frame[column].dropna().unique()
    if len(values) != 1:
        found = sorted(map(str, values))
        raise ValueError(f"a summary needs exactly one {column}; the scorecard has {found}")
    return values[0]


def counts_parts(counts: pd.DataFrame) -> list[tuple[str, dict[str, int]]]:
    """The rows of a :func:`~qyanalysis.contract.tallies.target_counts` frame as ``(scope, counts)`` pairs."""
    return [(str(row["scope"]), {name: int(row[name]) for name in (*TARGET_STATUSES, "total")})
            for _, row in counts.iterrows()]


def _named(rows: pd.DataFrame, lang: str, esc: Escape, marked: bool) -> list[str]:
    """The targets of ``rows`` by name; ``marked``: each with whose it is (全市 / 本县区)."""
    rules = rows["rule"] if "rule" in rows else pd.Series("", index=rows.index)
    names = []
    for code, rule, level in zip(rows["indicator"], rules, rows["level"], strict=True):
        name = esc(target_label(str(code), lang, rule))
        names.append(t("counts.scope_mark", lang, name=name, scope=t(f"counts.scope.{level}", lang))
                     if marked else name)
    return names


def _listed(status: str, rows: pd.DataFrame, lang: str, esc: Escape, marked: bool) -> str:
    """"未达标共 8 项（本县区 7 项、全市 1 项）：a（本县区）、…等": the total said plainly (split by
    whose targets when ``marked``), then at most :data:`MAX_LISTED_TARGETS` names."""
    names = _named(rows, lang, esc, marked)
    shown = t("narrative.list_separator", lang).join(names[:MAX_LISTED_TARGETS])
    total = t("counts.count", lang, count=format_number(len(names), "count"))
    if marked:
        split = [t("counts.part", lang, status=t(f"counts.scope.{scope}", lang), count=format_number(n, "count"))
                 for scope in TARGET_SCOPES if (n := int((rows["level"] == scope).sum()))]
        total = t("counts.split", lang, total=total, parts=t("counts.part_separator", lang).join(split))
    key = "counts.listed_more" if len(names) > MAX_LISTED_TARGETS else "counts.listed"
    return t(key, lang, status=status_label(status, lang), total=total, names=shown)


def _summary(scorecard: pd.DataFrame, county_name: str, lang: str, esc: Escape) -> str:
    check_lang(lang)
    unknown = set(scorecard["status"].dropna()) - set(STATUSES)
    if unknown:
        raise ValueError(f"unknown status values {sorted(unknown)}")
    assessed = scorecard[scorecard["status"] != "not_applicable"]
    county = esc(county_name)
    if assessed.empty:
        year = _single(scorecard, "year") if not scorecard.empty else ""
        return t("narrative.summary_none", lang, county=county, year=year)
    year = _single(assessed, "year")
    counts = target_counts(scorecard)
    clauses = [t("counts.summary", lang, county=county, year=year,
                 counts=counts_sentence(counts_parts(counts), lang)) + t("narrative.full_stop", lang)]
    marked = scorecard["level"].nunique() > 1
    listed = [_listed(status, assessed[assessed["status"] == status], lang, esc, marked)
              for status in LISTED_STATUSES if (assessed["status"] == status).any()]
    if listed:
        clauses.append(_capital(t("counts.separator", lang).join(listed), lang) + t("narrative.full_stop", lang))
    return ("" if lang == "zh" else " ").join(clauses)


def _capital(text: str, lang: str) -> str:
    """An English sentence's first letter in capitals (a Chinese one as it is)."""
    return text[:1].upper() + text[1:] if lang == "en" else text


def scorecard_summary(scorecard: pd.DataFrame, county_name: str, lang: str = "zh") -> str:
    """One paragraph on a county's scorecard for one year, as plain text.

    "清城区 2022 年本县区 45 项目标：达标 33 项、…；另有全市目标 19 项：达标 5 项、…。
    未达标共 8 项：a（本县区）、b（全市）、…等；…。" — the counts of
    :func:`counts_sentence` (the county's own targets, then the city's shown
    beside them); then the targets not met, at risk, on track or without
    data, each status with its total and at most :data:`MAX_LISTED_TARGETS`
    names, each name marked with whose target it is when the rows are of
    both (全市 / 本县区).

    Args:
        scorecard: Scorecard rows (``indicator, county_code, level, year, status`` used) of one year.
        county_name: Display name, inserted verbatim (plain text).
        lang: "zh" or "en".

    Raises:
        ValueError: Several years in the frame, an unknown status or language.
    """
    return _summary(scorecard, county_name, lang, _plain)


def scorecard_summary_markdown(scorecard: pd.DataFrame, county_name: str, lang: str = "zh") -> str:
    """:func:`scorecard_summary` with data-derived fields escaped for Markdown display."""
    return _summary(scorecard, county_name, lang, escape_markdown)


def act_first(scorecard: pd.DataFrame, lang: str = "zh", esc: Escape = _plain) -> list[str]:
    """What a page's reader acts on first, one line per target: the county's own targets before the city's,
    each scope's not met then at risk (in the scorecard's order), each with its value (an at-risk
    target's forecast when it has one), its target and how far it falls short in its own unit
    (:meth:`~qyanalysis.present.shown.ShownRow.shortfall_text`).

    "义务教育辍学率（未达标）：0.7 %，目标 ≤ 0.5 %，差 0.2 个百分点". Names are marked with whose target
    each is (全市 / 本县区) when the rows are of both. At most :data:`MAX_ACT_FIRST` lines.
    """
    check_lang(lang)
    rows = pd.concat([scorecard[scorecard["status"] == status] for status in ACT_FIRST_STATUSES])
    rows = rows.sort_values("level", key=lambda level: level.eq("city"), kind="stable")
    marked = scorecard["level"].nunique() > 1
    lines = []
    rows = rows.head(MAX_ACT_FIRST)
    for name, (_, row) in zip(_named(rows, lang, esc, False), rows.iterrows(), strict=True):
        shown = shown_row(row)
        column = "forecast" if row["status"] == "at_risk" and _field(row, "forecast") is not None else "value"
        value = shown.text(column, lang)
        value = t("act.forecast", lang, value=value) if column == "forecast" else value
        gap = shown.shortfall_text(column, lang)
        comparator = (t("comparator.flag", lang) if str(row["unit"]) == FLAG_UNIT
                      else comparator_label(str(row["comparator"]), lang))
        status = status_label(str(row["status"]), lang)
        if marked:
            status = t("act.whose", lang, scope=t(f"counts.scope.{row['level']}", lang), status=status)
        gap = t("act.gap", lang, gap=gap) if gap else ""
        lines.append(t("act.line", lang, indicator=name, status=status, value=value, comparator=comparator,
                       threshold=shown.text("threshold", lang), gap=gap))
    return lines


def act_first_markdown(scorecard: pd.DataFrame, lang: str = "zh") -> str:
    """:func:`act_first` as a page's answer: a heading with the total, one bullet per target (data-derived
    fields escaped), "n more" when the list is cut; one sentence when nothing is not met or at risk."""
    total = int(scorecard["status"].isin(ACT_FIRST_STATUSES).sum())
    if total == 0:
        return t("act.none", lang)
    lines = act_first(scorecard, lang, escape_markdown)
    text = f"**{t('act.heading', lang, count=format_number(total, 'count'))}**\n\n"
    text += "\n".join(f"- {line}" for line in lines)
    if total > len(lines):
        text += "\n\n" + t("act.more", lang, count=format_number(total - len(lines), "count"))
    return text


def _field(row: pd.Series, name: str) -> object:
    value = row.get(name)
    return None if _is_missing(value) else value


def _plan_words(row: pd.Series, lang: str) -> str:
    """What the plan asks, in the page's language: the plan's own sentence (``quote``) on a Chinese page, the
    target's English statement (``label_en``) on an English one ("" when the row has none)."""
    value = _field(row, "quote" if lang == "zh" else "label_en")
    return str(value).strip() if value is not None else ""


def _target_sentence(row: pd.Series, lang: str, esc: Escape) -> str:
    check_lang(lang)
    unit = str(row["unit"])
    code, rule = str(row["indicator"]), row.get("rule", "")
    shown = shown_row(row)
    indicator = esc(target_label(code, lang, rule))
    status = str(row["status"])
    if status == "not_applicable":
        parts = [t("narrative.target_not_applicable", lang, indicator=indicator)]
    else:
        comparator = (t("comparator.flag", lang) if unit == FLAG_UNIT
                      else comparator_label(str(row["comparator"]), lang))
        target = {"comparator": comparator, "threshold": shown.text("threshold", lang)}
        if status == "no_data" or _field(row, "value") is None:
            parts = [t("narrative.target_no_data", lang, indicator=indicator, **target)]
        else:
            parts = [t("narrative.target", lang, indicator=indicator, status=status_label(status, lang),
                       value=shown.text("value", lang), **target)]
        parts += _optional_clauses(row, shown, lang)
    note = note_text(row.get("note"), lang)
    if note:
        parts.append(t("narrative.note", lang, note=esc(note)) + t("narrative.full_stop", lang))
    quote = _plan_words(row, lang)
    if quote:
        parts.append(t("narrative.quote", lang, quote=esc(quote)))
    return ("" if lang == "zh" else " ").join(parts)


# Machine notes of the measure frame and the scorecard, worded for readers: (pattern, label key).
# A label key of None drops the note (bookkeeping such as "input"); an unmatched note is shown as is.
_NOTE_PATTERNS: tuple[tuple[re.Pattern[str], str | None], ...] = tuple(
    (re.compile(pattern), key) for pattern, key in (
        (r"^(input|city_sum)$", None),
        (r"^city: sum of (?P<k>\d+) of (?P<n>\d+) counties$", "note.city_sum"),
        (r"^city: pooled numerator/denominator of (?P<k>\d+) of (?P<n>\d+) counties$", "note.city_pooled"),
        (r"^city: sum of (?P<k>\d+) of (?P<n>\d+) counties; missing or incomplete: (?P<missing>[\d, ]+)$",
         "note.city_sum_partial"),
        (r"^city: pooled numerator/denominator of (?P<k>\d+) of (?P<n>\d+) counties; "
         r"missing or incomplete: (?P<missing>[\d, ]+)$", "note.city_pooled_partial"),
        (r"^tasks: (?P<done>\d+) completed, (?P<open>\d+) not yet due, (?P<late>\d+) overdue$", "note.tasks"),
        (r"^not_applicable: the target does not bind this county \((?P<source>.*)\)$", "note.excused"),
        (rf"^{SAMPLE_NOT_GIVEN}$", "note.sample_not_given"),
        (rf"^{NOT_IN_SAMPLE}$", "note.not_in_sample"),
        (r"^(?P<k>\d+) of (?P<n>\d+) counties met, (?P<on_track>\d+) on track, (?P<at_risk>\d+) at risk; "
         r"the worst county value is shown$",
         "note.all_counties"),
        (r"^(?P<year>\d{4}) temporary ratio (?P<ratio>[\d.]+) % > 5% \((?P<base>\w+)\);",
         "note.item27_applies"),
        (r"^not_applicable: (?P<year>\d{4}) temporary ratio (?P<ratio>[\d.]+) % <= 5% \((?P<base>\w+)\)$",
         "note.item27_not_applicable"),
        (r"^not_applicable: no school with 5\+ disabled pupils$", "note.no_resource_room_school"),
        (r"^single_school$", "note.single_school"),
        (r"^no year-end figure for (?P<year>\d{4}), last reported (?P<period>[\d-]+Q?\d*)$", "note.no_year_end"),
        (r"^class_size_average$", "note.class_size_average"),
    ))
# Several machine notes of one row are joined with this separator (e.g. "single_school; class_size_average").
NOTE_SEPARATOR = "; "


def note_text(note: object, lang: str = "zh") -> str | None:
    """A scorecard note in the reader's language; None when there is nothing to say.

    Known machine notes (city aggregation, the item-27 working, not-applicable
    reasons) are worded from the catalogue; bookkeeping notes ("input") are
    dropped; any other note is returned unchanged (plain text: escape it). A
    note that is not known as a whole but joins several notes with
    :data:`NOTE_SEPARATOR` is worded part by part.
    """
    if note is None or _is_missing(note) or not str(note).strip():
        return None
    text = str(note).strip()
    worded = _known_note(text, lang)
    if worded is not False:
        return worded
    if NOTE_SEPARATOR in text:
        parts = [note_text(part, lang) for part in text.split(NOTE_SEPARATOR)]
        return t("narrative.clause_separator", lang).join(p for p in parts if p) or None
    return text


def _known_note(text: str, lang: str) -> str | None | bool:
    """The worded note (None when it is dropped), or False when no pattern knows it."""
    for pattern, key in _NOTE_PATTERNS:
        match = pattern.match(text)
        if match:
            if key is None:
                return None
            fields = match.groupdict()
            if "base" in fields:
                fields["base"] = t(f"note.base.{fields['base']}", lang)
            return t(key, lang, **fields)
    return False


def _optional_clauses(row: pd.Series, shown: ShownRow, lang: str) -> list[str]:
    """Interval, previous year and forecast clauses, for whichever the row holds.

    ``shown`` words the row's numbers (:func:`qyanalysis.present.shown.shown_row`, the one display rule).
    """
    clauses = []
    if _field(row, "scope_note") == "city_target":
        clauses.append(t("narrative.city_target", lang))
    if _field(row, "coverage"):
        key = "narrative.coverage" if row.get("status") == "no_data" else "narrative.coverage_final"
        clauses.append(t(key, lang, coverage=coverage_label(str(row["coverage"]), lang)))
    if (has_interval(str(row.get("indicator", ""))) and _field(row, "ci_low") is not None
            and _field(row, "ci_high") is not None):
        clauses.append(t("narrative.interval", lang, interval=shown.range_text("ci_low", "ci_high", lang)))
    if _field(row, "previous_value") is not None:
        previous = format_previous_value(row["previous_value"], str(row["indicator"]), str(row["unit"]), lang)
        clauses.append(t("narrative.previous", lang, previous=previous))
    if all(_field(row, name) is not None for name in ("forecast", "forecast_low", "forecast_high")):
        clauses.append(t("narrative.forecast", lang, forecast=shown.text("forecast", lang),
                         interval=shown.range_text("forecast_low", "forecast_high", lang)))
    if _field(row, "p_meet") is not None:
        clauses.append(t("narrative.p_meet", lang, probability=f"{round(float(row['p_meet']) * 100):d} %"))
    return clauses


def coverage_label(coverage: str, lang: str = "zh") -> str:
    """The scorecard's ``coverage`` ("2 of 8 counties", "37 of 40 schools; missing: 4418020012 …") in words."""
    match = re.match(r"^(?P<k>\d+) of (?P<n>\d+) (?P<what>counties|schools|teachers|groups)"
                     r"(?:; missing: (?P<missing>.+))?$", coverage)
    if not match:
        return coverage
    counted = t(f"coverage.{match['what']}", lang, k=match["k"], n=match["n"])
    return t("coverage.missing", lang, coverage=counted, missing=match["missing"]) if match["missing"] else counted


def target_sentence(row: pd.Series, lang: str = "zh") -> str:
    """One target in words, as plain text: value, threshold, status, then the plan's sentence.

    "公办幼儿园在园幼儿占比:52.3 %(目标:不低于 50.0 %),达标。… 计划原文:“…”"
    Interval, previous-year and forecast clauses are added when the row has
    them; a ``no_data`` row says so instead of showing a value.

    Args:
        row: One scorecard row (``indicator, unit, value, comparator, threshold,
            status``; optional ``ci_low, ci_high, previous_value, forecast,
            forecast_low, forecast_high, note, quote``).
        lang: "zh" or "en".
    """
    return _target_sentence(row, lang, _plain)


def target_sentence_markdown(row: pd.Series, lang: str = "zh") -> str:
    """:func:`target_sentence` with data-derived fields escaped for Markdown display."""
    return _target_sentence(row, lang, escape_markdown)


def narrative_markdown(scorecard: pd.DataFrame, county_name: str, lang: str = "zh") -> str:
    """The summary paragraph then one bullet per target, escaped for ``IPython.display.Markdown``.

    Args:
        scorecard: One county's scorecard rows for one year, in display order.
        county_name: Display name (escaped here).
        lang: "zh" or "en".
    """
    bullets = [f"- {target_sentence_markdown(row, lang)}" for _, row in scorecard.iterrows()]
    return "\n".join([scorecard_summary_markdown(scorecard, county_name, lang), "", *bullets])
