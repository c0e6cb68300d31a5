"""Output formats of the report floor's frames (qyanalysis.report.exporters): one module each."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from qyanalysis.report import exporters, open_page
from qyanalysis.report.exporters import EXPORTERS, export, exporter, page_frames, shown_data
from qyanalysis.report.frames import labelled, spec_of


def _safe_frame() -> pd.DataFrame:
    # 3 persons is a small count (<5) and 10 its complement; 40 stays; the shares derived from them go too.
    frame = pd.DataFrame({"group": ["a", "b", "c"], "persons": [3.0, 10.0, 40.0], "share": [0.5, 0.25, 0.1]})
    return labelled(frame, "en", counts=("persons",), units={"share": "share"}, small_base="persons")


def test_the_data_of_a_frame_carries_marks_never_the_hidden_number_and_whole_persons():
    data = shown_data(_safe_frame())
    assert data["persons"].tolist() == ["<5", "[c]", 40]
    assert data["share"].tolist()[:2] == ["[c]", "[c]"] and data["share"].iloc[2] == pytest.approx(0.1)
    assert "3" not in data.astype("str").to_numpy().ravel().tolist()


def test_every_frame_of_a_page_as_csv(tmp_path):
    page = open_page("441826", 2022, "", "zh")
    frames = page_frames(page, "development")
    assert {"balance_cvs", "schools_short_of_balance", "location_gaps"} <= set(frames)
    written = export(frames, "csv", tmp_path)
    assert sorted(p.name for p in written) == sorted(f"{name}.csv" for name in frames)
    for name, frame in frames.items():
        read = pd.read_csv(tmp_path / f"{name}.csv", encoding="utf-8-sig", dtype="str", keep_default_na=False)
        assert list(read.columns) == [c for c in (spec_of(frame).columns or frame.columns) if c in frame]
        assert len(read) == len(frame)
    cvs = pd.read_csv(tmp_path / "balance_cvs.csv", encoding="utf-8-sig")
    assert cvs["value"].tolist() == pytest.approx(frames["balance_cvs"]["value"].tolist(), nan_ok=True)


def test_a_new_format_is_one_function_registered_by_name(tmp_path, monkeypatch):
    """What a format module holds (here JSON lines, in the test): the frames reach it through export()."""
    monkeypatch.setattr(exporters, "EXPORTERS", dict(EXPORTERS))

    @exporter("jsonl")
    def write_jsonl(frames, folder):
        path = folder / "frames.jsonl"
        path.write_text("".join(json.dumps({"frame": name, **row}, ensure_ascii=False) + "\n"
                                for name, frame in frames.items()
                                for row in shown_data(frame).astype("object").to_dict("records")))
        return [path]

    [path] = export({"groups": _safe_frame()}, "jsonl", tmp_path)
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    assert [row["persons"] for row in rows] == ["<5", "[c]", 40]
    with pytest.raises(ValueError, match="unknown export format 'xml'"):
        export({}, "xml", tmp_path)
