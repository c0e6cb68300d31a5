"""Target attainment: the scorecard (docs/design.md; rules: docs/methods.md).

``evaluate`` is the pure core (registry × measure frame → scorecard rows);
``scorecard`` wires a dataset to it through ``qyanalysis.measures.compute_all``.

Status rule, per (target, county or city):

* ``not_applicable`` — the measure frame's note starts with ``not_applicable``
  (e.g. no school with 5 or more disabled pupils), or the rule does not apply
  (item 27 where the previous year's temporary-teacher ratio is <= 5 %).
* ``no_data`` — the value (or a threshold that depends on data) is absent or
  NaN. Never a zero.
* ``on_track`` / ``at_risk`` — the latest value of the year is an in-year
  period (``YYYY-MM`` cumulative or ``YYYY-Qn``, before month 12): the
  year-end is forecast (``qyanalysis.verdicts.forecast``; counts only, other units
  carry the latest value forward) and the target is ``on_track`` when the
  point forecast meets the threshold, ``at_risk`` otherwise. The 80 %
  prediction interval is reported in ``forecast_low``/``forecast_high`` for
  the reader to judge the risk; it does not change the status.
* ``met`` / ``not_met`` — a year-end value (annual, or month 12) compared
  with the threshold.

Comparisons are inclusive as written in the registry (以上 → ``>=``, 以下 →
``<=``) and robust to float error: a tolerance of 1e-9 (relative above 1) is
granted in the target's favour, so 0.50 against ``>= 0.50`` and 0.005
against ``<= 0.005`` are met while 0.5000001 against ``<= 0.50`` is not.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from qyanalysis import settings
from qyanalysis.verdicts.rules import (
    KEY,
    NOT_APPLICABLE,
    TOLERANCE,
    as_of_month,
    change_values,
    current_values,
    item27_values,
    prepare_measures,
    previous_values,
    row_complete,
    snapshot,
    task_progress,
    unit_values,
)
from qyanalysis.contract import indicators
from qyanalysis.contract.comparators import compare
from qyanalysis.contract.statuses import NOT_IN_SAMPLE, SAMPLE_NOT_GIVEN
from qyanalysis.verdicts.forecast import probability_of_meeting
from qyanalysis.verdicts.targets import load_targets, target_rows

if TYPE_CHECKING:
    from qyanalysis.dataset import Dataset

STATUSES = ("met", "not_met", "on_track", "at_risk", "no_data", "not_applicable")
SCORECARD_COLUMNS = (
    "target_id", "item", "indicator", "county_code", "year", "value", "comparator", "threshold", "status",
    "section", "theme", "unit", "period", "previous_value", "ci_low", "ci_high", "forecast", "forecast_low",
    "forecast_high", "numerator", "denominator", "quote", "note",
    "scope", "rule", "level", "threshold_source", "label_zh", "label_en",
    "p_meet", "as_of", "coverage", "scope_note",
)
_FLOAT_COLUMNS = ("value", "threshold", "previous_value", "ci_low", "ci_high", "forecast", "forecast_low",
                  "forecast_high", "numerator", "denominator", "p_meet", "forecast_sd", "months_observed",
                  "units_reporting", "units_expected")


def coverage_noun(codes: pd.Series) -> pd.Series:
    """What the coverage of each indicator counts: " teachers" (roster inputs), " groups" (survey), " schools"."""
    def noun(code: str) -> str:
        entry = indicators.CATALOGUE.get(code)
        tables = {i.split(".", 1)[0] for i in (entry.inputs if entry is not None else ())}
        return " teachers" if "teachers" in tables else " groups" if "survey" in tables else " schools"

    return codes.map({code: noun(code) for code in codes.unique()}).astype("str")


def coverage_text(frame: pd.DataFrame) -> pd.Series:
    """``"k of n counties"`` (city rows built from counties) or ``"k of n schools"`` (teachers, groups), then
    ``"; missing: …"`` naming the incomplete units; "" when every unit reports."""
    k, n = frame["units_reporting"], frame["units_expected"]
    partial = (k < n).to_numpy()
    what = np.where(frame["origin"].eq("city_aggregate"), " counties", coverage_noun(frame["indicator"]))
    missing = frame.get("units_missing", pd.Series("", index=frame.index)).fillna("").astype("str")
    text = (k.round().astype("Int64").astype("str") + " of " + n.round().astype("Int64").astype("str")
            + pd.Series(what, index=frame.index) + np.where(missing.ne(""), "; missing: " + missing, ""))
    return text.where(partial, "").astype("str")


def year_closed(frame: pd.DataFrame) -> np.ndarray:
    """Rows whose year is over: the as-of month given is at or past December (without one, the data's own
    latest month decides, as before).

    The one in-year rule: before the year's end an in-year value gives ``on_track``/``at_risk``
    (a cumulative flow forecast to December, a stock carried forward; item 34 from its tasks'
    due months). At or past the year's end nothing is in-year any more: a stock's latest value is
    its value (``met``/``not_met``), and a cumulative flow without its year-end figure is final
    only where the count so far already decides the target; otherwise ``no_data`` ("no year-end
    figure"). Item 34 follows the same rule through its count of completed tasks.
    """
    return frame["months_known"].to_numpy(dtype="float64") >= 12 if "months_known" in frame else np.zeros(
        len(frame), dtype=bool)


def status_of(frame: pd.DataFrame) -> pd.Series:
    """Status of each scorecard row (see the module docstring for the rule)."""
    incomplete = ~row_complete(frame).to_numpy()
    # a rule that does not apply by the data (item 27 at <= 5 %) is known only from complete inputs
    not_applicable = ((frame["note"].str.startswith(NOT_APPLICABLE).to_numpy() & ~incomplete)
                      | ~frame["applies"].to_numpy(dtype=bool))
    missing = (frame["value"].isna() | frame["threshold"].isna()).to_numpy()
    meets = compare(frame["value"], frame["comparator"], frame["threshold"])
    upper = frame["comparator"].isin([">=", ">"]).to_numpy()
    lower = frame["comparator"].isin(["<=", "<"]).to_numpy()
    # A sum of non-negative counts only grows as units (or months) are added; item 27's cut is a
    # difference of two years' counts, not such a sum.
    monotone = (frame["unit"].eq("count").to_numpy() & (frame["value"].fillna(0) >= 0).to_numpy()
                & frame["rule"].ne("item27").to_numpy())
    reached = monotone & upper & meets
    exceeded = monotone & lower & ~meets
    in_year = frame["in_year"].to_numpy(dtype=bool)
    flow = in_year & frame["indicator"].isin(list(indicators.CUMULATIVE_FLOWS)).to_numpy()
    closed = year_closed(frame)
    likely = frame["p_meet"].to_numpy(dtype="float64") >= settings.ON_TRACK_PROBABILITY - TOLERANCE
    carried_meets = compare(frame["forecast"], frame["comparator"], frame["threshold"])
    status = np.select(
        [not_applicable, missing, (incomplete | flow) & reached, (incomplete | flow) & exceeded, incomplete,
         flow & closed, flow & likely, flow, in_year & ~closed & carried_meets, in_year & ~closed, meets],
        ["not_applicable", "no_data", "met", "not_met", "no_data",
         "no_data", "on_track", "at_risk", "on_track", "at_risk", "met"],
        default="not_met",
    )
    return pd.Series(status, index=frame.index, dtype="str")


def _all_counties_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """City rows of ``all_counties`` targets without a city value: reduce the county rows.

    Over the counties where the target applies: not_met if any county fails;
    met if all meet; at_risk if any is at risk; on_track if all are met or on
    track; else no_data (some county lacks data). not_applicable when it
    applies to no county. The value shown is the worst county value (the
    minimum for ``>``/``>=``, else the maximum). The note counts the counties by
    the statuses it names: "k of n counties met, j on track, i at risk" — a
    county on track (an in-year value) is not counted as met.
    """
    is_rule = frame["rule"] == "all_counties"
    city = frame[is_rule & (frame["level"] == "city") & frame["origin"].ne("city_input")]
    if city.empty:
        return frame
    counties = frame[is_rule & (frame["level"] == "county")]
    applicable = counties["status"] != "not_applicable"
    signed = counties["value"].where(counties["comparator"].isin([">=", ">"]), -counties["value"])
    flags = pd.DataFrame({"target_id": counties["target_id"], "rows": 1, "n": applicable.astype(int),
                          "_signed": signed.where(applicable)})
    for status in ("met", "not_met", "at_risk", "on_track"):
        flags[status] = (counties["status"] == status).astype(int)
    tally = flags.groupby("target_id").agg(
        rows=("rows", "sum"), n=("n", "sum"), met=("met", "sum"), not_met=("not_met", "sum"),
        at_risk=("at_risk", "sum"), on_track=("on_track", "sum"), worst=("_signed", "min")).reset_index()
    tally = city[["target_id", "comparator"]].merge(tally, on="target_id", how="left")
    tally = tally.fillna({c: 0 for c in ("rows", "n", "met", "not_met", "at_risk", "on_track")})
    status = np.select(
        [tally["rows"] == 0, tally["n"] == 0, tally["not_met"] > 0, tally["met"] == tally["n"],
         tally["at_risk"] > 0, tally["met"] + tally["on_track"] == tally["n"]],
        ["no_data", "not_applicable", "not_met", "met", "at_risk", "on_track"], default="no_data")
    worst = tally["worst"].where(tally["comparator"].isin([">=", ">"]), -tally["worst"])
    index = city.index
    out = frame.copy()
    out.loc[index, "status"] = status
    out.loc[index, "value"] = worst.to_numpy()
    met, n = tally["met"].astype(int).astype(str), tally["n"].astype(int).astype(str)
    on_track, at_risk = tally["on_track"].astype(int).astype(str), tally["at_risk"].astype(int).astype(str)
    note = (met + " of " + n + " counties met, " + on_track + " on track, " + at_risk
            + " at risk; the worst county value is shown")
    out.loc[index, "note"] = note.to_numpy()
    out.loc[index, ["numerator", "denominator", "ci_low", "ci_high", "previous_value"]] = np.nan
    return out


def evaluate(targets: pd.DataFrame, measure_frame: pd.DataFrame, county_codes: Sequence[str],
             city_code: str | None, year: int, overrides: pd.DataFrame | None = None, *,
             alpha: float = 0.2, temporary_denominator: str | None = None, as_of: str | None = None,
             tasks: pd.DataFrame | None = None) -> pd.DataFrame:
    """Score targets against a measure frame.

    Args:
        targets: The registry (:func:`qyanalysis.verdicts.targets.load_targets`).
        measure_frame: The tidy measure frame (docs/design.md).
        county_codes: Counties whose rows are wanted; city values are
            aggregated over these counties (pass every county of the region
            for a city row: its coverage is counted against them).
        city_code: The city code, or None for no city rows.
        year: The year scored (``year − 1`` is read for changes and item 27).
        overrides: A ``targets_override`` table, or None.
        alpha: 1 − coverage of the forecast interval (0.2 → 80 %).
        temporary_denominator: Item-27 ratio denominator, ``established_plus_temporary``
            or ``established`` (default: ``settings.TEMPORARY_RATIO_DENOMINATOR``).
        as_of: The data's snapshot month ``YYYY-MM`` (None: ``year`` is complete).
            Periods after it are ignored; before December cumulative flows are
            forecast and item 34 reads the tasks' due months.
        tasks: The ``tasks`` table (item 34 in-year), or None.

    Returns:
        One row per (target, county or city), columns
        :data:`SCORECARD_COLUMNS`, sorted by item, target_id, county_code.
    """
    codes = [str(c) for c in county_codes]
    rows = target_rows(targets, codes, city_code, overrides)
    units = codes + ([str(city_code)] if city_code is not None else [])
    months_known = as_of_month(as_of, year)
    prepared = snapshot(prepare_measures(measure_frame, units, [year - 1, year]), year, months_known)
    values = unit_values(prepared, codes, city_code)
    parts = []
    simple = rows[rows["rule"].isin(["absolute", "all_counties", "tasks"])]
    parts.append(simple.merge(current_values(values, year, alpha), on=KEY, how="left", validate="m:1")
                 .merge(previous_values(values, year), on=KEY, how="left", validate="m:1"))
    change = rows[rows["rule"] == "change_vs_previous"]
    if not change.empty:
        parts.append(change.merge(change_values(values, year, change["indicator"].unique()), on=KEY,
                                  how="left", validate="m:1"))
    item27 = rows[rows["rule"] == "item27"]
    if not item27.empty:
        share = item27.set_index("county_code")["threshold"]
        cut = item27.drop(columns=["threshold"]).merge(
            item27_values(values, year, share, temporary_denominator), on="county_code", how="left",
            validate="m:1")
        cut["note"] = cut["note"].fillna(f"no temporary/established teacher counts for {year - 1}")
        parts.append(cut)
    frame = pd.concat(parts, ignore_index=True)
    for column in _FLOAT_COLUMNS:
        frame[column] = pd.to_numeric(frame.get(column), errors="coerce").astype("float64")
    for column in ("period", "note", "origin"):
        frame[column] = frame.get(column, pd.Series(index=frame.index, dtype="str")).fillna("").astype("str")
    frame["in_year"] = frame.get("in_year", pd.Series(False, index=frame.index)).fillna(False).astype(bool)
    frame["applies"] = frame["applies"].fillna(True).astype(bool)
    frame["months_known"] = np.nan if as_of is None else months_known  # no as-of month: the data's own
    frame["coverage"] = coverage_text(frame)
    frame["p_meet"] = probability_of_meeting(frame["forecast"], frame["forecast_sd"], frame["months_observed"],
                                             frame["value"], frame["comparator"], frame["threshold"])
    frame.loc[~frame["in_year"] | ~frame["indicator"].isin(list(indicators.CUMULATIVE_FLOWS)), "p_meet"] = np.nan
    frame["status"] = status_of(frame)
    frame = _closed_rows(frame, year)
    frame = _excused_rows(frame)
    frame = _sample_notes(frame)
    frame = _task_rows(frame, task_progress(tasks, codes, city_code, year, months_known), months_known)
    frame = _all_counties_rows(frame)
    frame["year"] = int(year)
    frame["as_of"] = "" if as_of is None else str(as_of)
    frame = frame.sort_values(["item", "target_id", "county_code"], kind="stable").reset_index(drop=True)
    out = frame.loc[:, list(SCORECARD_COLUMNS)]
    out["item"] = out["item"].astype("int64")
    out["section"] = out["section"].astype("int64")
    out["year"] = out["year"].astype("int64")
    return out


def _closed_rows(frame: pd.DataFrame, year: int) -> pd.DataFrame:
    """In-year rows of a closed year (:func:`year_closed`): no forecast; an undecided flow says what is missing."""
    closed = year_closed(frame) & frame["in_year"].to_numpy(dtype=bool)
    if not closed.any():
        return frame
    out = frame.copy()
    out.loc[closed, ["forecast", "forecast_low", "forecast_high", "p_meet"]] = np.nan
    out.loc[closed, "in_year"] = False
    undecided = closed & out["status"].eq("no_data").to_numpy()
    said = f"no year-end figure for {year}, last reported " + out.loc[undecided, "period"]
    note = out.loc[undecided, "note"]
    out.loc[undecided, "note"] = np.where(note.eq(""), said, note + "; " + said)
    return out


def _excused_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows a ``targets_override`` excuses (``applies = 否``): not_applicable, the override's source in the note;
    a county left off an existing sampling list: "not_applicable: not in the sample"."""
    excused = ~frame["applies"]
    if not excused.any():
        return frame
    out = frame.copy()
    out.loc[excused, "note"] = ("not_applicable: the target does not bind this county ("
                                + out.loc[excused, "threshold_source"] + ")")
    outside = excused & frame["sample_note"].eq(NOT_IN_SAMPLE)
    out.loc[outside, "note"] = NOT_IN_SAMPLE
    return out


def _sample_notes(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows of a target that binds only sampled counties, when no sampling list was given: say so in the note."""
    unlisted = frame["sample_note"].fillna("").eq(SAMPLE_NOT_GIVEN) & frame["status"].ne("not_applicable")
    if not unlisted.any():
        return frame
    out = frame.copy()
    note = out.loc[unlisted, "note"]
    out.loc[unlisted, "note"] = np.where(note.eq(""), SAMPLE_NOT_GIVEN, note + "; " + SAMPLE_NOT_GIVEN)
    return out


def _task_rows(frame: pd.DataFrame, progress: pd.DataFrame, months_known: int) -> pd.DataFrame:
    """Item 34 before December: the tasks' states decide, not the count so far.

    Completed ≥ target → ``met``; else no overdue task and completed + not yet
    due ≥ target → ``on_track``; else ``at_risk``. A complete year keeps the
    ``met``/``not_met`` of the count. The note gives the three numbers.
    """
    rows = frame.index[(frame["rule"] == "tasks") & ~frame["status"].isin(["not_applicable"])]
    if rows.empty or progress.empty:
        return frame
    out = frame.copy()
    state = out.loc[rows, ["county_code", "threshold", "comparator"]].merge(
        progress, on="county_code", how="left", validate="m:1").set_index(rows)
    known = state["completed"].notna()
    note = ("tasks: " + state["completed"].fillna(0).astype(int).astype(str) + " completed, "
            + state["not_yet_due"].fillna(0).astype(int).astype(str) + " not yet due, "
            + state["overdue"].fillna(0).astype(int).astype(str) + " overdue")
    out.loc[rows[known], "note"] = note[known]
    if months_known >= 12:
        return out
    value = out.loc[rows, "value"].fillna(state["completed"])
    done = compare(value, state["comparator"], state["threshold"])
    reachable = compare(state["completed"] + state["not_yet_due"], state["comparator"], state["threshold"])
    status = np.where(done, "met", np.where(reachable & (state["overdue"] == 0), "on_track", "at_risk"))
    status = np.where(known | out.loc[rows, "value"].notna().to_numpy(), status, "no_data")
    out.loc[rows, "status"] = status
    out.loc[rows, "value"] = value
    out.loc[rows, "in_year"] = True
    return out


def scorecard(dataset: Dataset, county: object, year: int | None = None, as_of: str | None = None) -> pd.DataFrame:
    """The scorecard of one county, of the city, or of every county.

    Args:
        dataset: A loaded dataset.
        county: A county code or any of its names; ``"city"`` (or the city's
            code or name) for the city-scope rows, aggregated from the
            counties; None for every county's rows plus the city rows.
        year: Year scored (default: the dataset's latest census year).
        as_of: Snapshot month ``YYYY-MM`` (default: :attr:`Dataset.as_of`, the
            latest in-year period of ``indicators``).

    Returns:
        The frame of :func:`evaluate`, columns :data:`SCORECARD_COLUMNS`.

    Raises:
        qyanalysis.UsageError: an unknown county or a malformed ``as_of``.
    """
    from qyanalysis.errors import UsageError
    from qyanalysis.measures import compute_all

    registry = dataset.counties
    year = dataset.latest_year if year is None else int(year)
    as_of = dataset.as_of if as_of is None else str(as_of)
    try:
        as_of_month(as_of, year)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    city_code = registry.city_code
    if county is None:
        codes, keep_level = registry.codes, None
    else:
        code = registry.resolve(county)
        if code == city_code:
            codes, keep_level = registry.codes, "city"
        else:
            codes, city_code, keep_level = [code], None, "county"
    frame = evaluate(load_targets(), compute_all(dataset), codes, city_code, year, dataset.targets_override,
                     as_of=as_of, tasks=dataset.tasks)
    if keep_level is not None:
        frame = frame[frame["level"] == keep_level].reset_index(drop=True)
    return frame


def unit_rows(every: pd.DataFrame, unit: str, city_code: str | None) -> pd.DataFrame:
    """The rows :func:`scorecard` gives for one county or the city, taken from its every-county frame.

    ``scorecard(dataset, None)`` scores every county and the city in one
    pass; each unit's rows are computed from that unit's values alone (the
    city's from all counties, as its own scorecard does), so the slice equals
    ``scorecard(dataset, unit)`` row for row (tested). Several pages or
    scorecards from one dataset are thus scored once, not once per unit.

    Args:
        every: ``scorecard(dataset, None, year, as_of)``.
        unit: A county code, or the city code.
        city_code: The registry's city code (None when it has none).
    """
    if city_code is not None and unit == city_code:
        rows = every[every["level"] == "city"]
    else:
        rows = every[(every["level"] == "county") & (every["county_code"] == unit)]
    return rows.reset_index(drop=True)

