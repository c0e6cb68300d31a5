"""The short county names a map carries (清城 / Qingcheng), kept apart from :mod:`qyanalysis.present.maps`
so that the runner can name a map's counties (for its cache key) without importing matplotlib."""

from __future__ import annotations

import pandas as pd

from qyanalysis.present.labels import check_lang

# Most counties a map shows: beyond this a tile is too small to read on a phone.
MAX_MAP_COUNTIES = 64
# Words left out of an English tile name ("Lianshan Zhuang and Yao Autonomous County" → "Lianshan").
ADMIN_WORDS_EN = frozenset({"district", "county", "city", "autonomous", "zhuang", "yao", "and", "banner"})


def tile_name(name_zh: str, short_zh: object, name_en: str, lang: str) -> str:
    """The short county name of a map label: ``short_zh`` (else ``name_zh``), or the English name
    without its administrative words ("Demo County 0001" → "Demo 0001")."""
    if check_lang(lang) == "zh":
        return str(short_zh) if isinstance(short_zh, str) and short_zh.strip() else str(name_zh)
    kept = [word for word in str(name_en).split() if word.lower() not in ADMIN_WORDS_EN]
    return " ".join(kept) or str(name_en)


def map_names(counties: pd.DataFrame, lang: str) -> dict[str, str]:
    """County code → map name for a registry table (``county_code, name_zh, short_zh, name_en``)."""
    return {str(row.county_code): tile_name(row.name_zh, row.short_zh, row.name_en, lang)
            for row in counties.itertuples(index=False)}
