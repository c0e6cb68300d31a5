"""The county registry: codes, names and aliases, and county normalisation.

The built-in registry is Qingyuan's (``qingyuan_counties.csv``, copied from the
shared reference: administrative division codes and the 2020 census
population, 七普公报第二号). A data folder may carry its own ``counties`` table,
which replaces it, so the same package serves any region.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the resolver (CountyNames) works without pandas; the registry's table needs it
    import pandas as pd

BUILTIN_COUNTIES_CSV = Path(__file__).with_name("qingyuan_counties.csv")
CITY_KIND = "city"
#: Words that name the city as a whole wherever a county is asked for (CLI, notebooks, API),
#: besides the city's own code and names in the registry.
CITY_WORDS = ("city", "全市")


def _fold(text: str) -> str:
    """Fold a name for matching: NFKC (full-width → half-width), trimmed, lower case, no inner spaces."""
    folded = unicodedata.normalize("NFKC", str(text)).strip().lower()
    return "".join(folded.split())


def _missing(value: object) -> bool:
    """None, NaN or pandas' NA, told apart without importing pandas."""
    if value is None:
        return True
    try:
        return bool(value != value)
    except TypeError:  # pandas.NA: a comparison with it is NA, which has no truth value
        return True


def short_english(name_en: object) -> str | None:
    """The place name of an English county name, its pinyin without the kind: "Qingcheng District" →
    "Qingcheng", "Liannan Yao Autonomous County" → "Liannan"; None for a name of one word or none."""
    words = str(name_en).split() if isinstance(name_en, str) else []
    return words[0] if len(words) > 1 else None


def name_lookup(rows: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """Folded code, full, short and English names and aliases (``;``-separated) → county code; the first wins.

    The English place name alone (:func:`short_english`: "Qingcheng") is a name too where no other row
    shares it.
    """
    rows = list(rows)
    lookup: dict[str, str] = {}
    for row in rows:
        names = [row.get("county_code"), row.get("name_zh"), row.get("name_en"), row.get("short_zh")]
        aliases = row.get("aliases")
        if isinstance(aliases, str):
            names += aliases.split(";")
        for name in names:
            if isinstance(name, str) and name.strip():
                lookup.setdefault(_fold(name), str(row["county_code"]))
    shorts = [(_fold(s), str(row["county_code"])) for row in rows if (s := short_english(row.get("name_en")))]
    counted = Counter(name for name, _ in shorts)
    for name, code in shorts:
        if counted[name] == 1:
            lookup.setdefault(name, code)
    return lookup


def city_code_of(rows: Iterable[Mapping[str, Any]]) -> str | None:
    """The code of the first row whose ``kind`` is the city, or None."""
    return next((str(row["county_code"]) for row in rows if row.get("kind") == CITY_KIND), None)


class CountyNames(ABC):
    """The one county resolver: names, codes and city words → codes.

    Works on plain rows (``records``), so that the batch runner can resolve
    ``--county`` from its cache without pandas; :class:`CountyRegistry` is one.
    """

    @abstractmethod
    def records(self) -> list[dict[str, Any]]:
        """The registry's rows as dicts: ``county_code``, ``name_zh``, ``name_en``, ``short_zh``, ``kind``, …"""

    @property
    def codes(self) -> list[str]:
        """County codes, sorted (the city excluded)."""
        return list(self._codes)

    @cached_property
    def _codes(self) -> tuple[str, ...]:
        """County codes, computed once (a registry is frozen)."""
        return tuple(sorted(str(row["county_code"]) for row in self.records() if row.get("kind") != CITY_KIND))

    @cached_property
    def city_code(self) -> str | None:
        """Code of the prefecture-level city, when the registry has one."""
        return city_code_of(self.records())

    @cached_property
    def _lookup(self) -> dict[str, str]:
        return name_lookup(self.records())

    def normalise(self, value: object) -> str | None:
        """Return the county code for a code, full, short or English name; None if unknown.

        >>> CountyRegistry.builtin().normalise("清城")
        '441802'
        """
        if _missing(value):
            return None
        text = str(value)
        if isinstance(value, (int, float)) and float(value).is_integer():
            text = str(int(value))
        return self._lookup.get(_fold(text))

    def is_city_word(self, text: object) -> bool:
        """True for a word of :data:`CITY_WORDS` (any letter case or width) or the city's own code or name."""
        if text is None:
            return False
        folded = _fold(str(text))
        return folded in {_fold(w) for w in CITY_WORDS} or (
            self.city_code is not None and self._lookup.get(folded) == self.city_code)

    def resolve(self, text: object) -> str:
        """The county code for ``text`` (code, full, short or English name), or the city code for the city.

        The one resolver of the package: the command line, the runner, the
        notebooks' page, the scorecard and the tasks all use it.

        >>> CountyRegistry.builtin().resolve("全市")
        '441800'

        Raises:
            UsageError: an unknown county, or a city word when the registry has no city row.
        """
        from qyanalysis.errors import UsageError

        if self.is_city_word(text):
            if self.city_code is None:
                raise UsageError("this region's county registry has no city row")
            return self.city_code
        code = self.normalise(text)
        if code is None:
            raise UsageError(f"unknown county {text!r}: give a code, a Chinese or English name, or 'city'; "
                             f"{self.valid_names()}")
        return code

    def valid_names(self, limit: int = 30) -> str:
        """The counties a name may give, for an error message: "one of 清城区 / 清城 / Qingcheng District
        (441802), …" (the first ``limit`` counties, then how many more)."""
        rows = [row for row in self.records() if row.get("kind") != CITY_KIND]
        shown = []
        for row in rows[:limit]:
            given = (row.get("name_zh"), row.get("short_zh"), row.get("name_en"))
            names = dict.fromkeys(str(n) for n in given if isinstance(n, str) and n.strip())
            shown.append(f"{' / '.join(names)} ({row['county_code']})")
        more = f" and {len(rows) - limit} more" if len(rows) > limit else ""
        return "one of " + ", ".join(shown) + more


@dataclass(frozen=True)
class CountyRegistry(CountyNames):
    """Counties of one region and the city (prefecture) they belong to.

    Attributes:
        table: One row per unit with ``county_code, name_zh, name_en, short_zh,
            kind, population_2020_census, aliases``; the row whose ``kind`` is
            ``city`` (if any) is the prefecture itself.
    """

    table: pd.DataFrame

    @classmethod
    def builtin(cls) -> "CountyRegistry":
        """The built-in Qingyuan registry."""
        import pandas as pd

        return cls.from_frame(pd.read_csv(BUILTIN_COUNTIES_CSV, dtype={"county_code": str}))

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> "CountyRegistry":
        """Build a registry from a ``counties`` table (see ``columns.COUNTIES``)."""
        import pandas as pd

        table = frame.copy()
        table["county_code"] = table["county_code"].astype(str).str.strip()
        for col in ("short_zh", "kind", "aliases"):
            if col not in table:
                table[col] = pd.NA
        table["kind"] = table["kind"].fillna("county")
        keep = ["county_code", "name_zh", "name_en", "short_zh", "kind", "aliases"]
        if "population_2020_census" in table:
            keep.append("population_2020_census")
        return cls(table[keep].reset_index(drop=True))

    @property
    def counties(self) -> pd.DataFrame:
        """The county-level units (the city row excluded), sorted by code."""
        return self.table[self.table["kind"] != CITY_KIND].sort_values("county_code").reset_index(drop=True)

    def records(self) -> list[dict[str, Any]]:
        """The table's rows as dicts, missing cells as None."""
        return self.table.astype(object).where(self.table.notna(), None).to_dict(orient="records")

    def normalise_series(self, values: pd.Series) -> pd.Series:
        """Vectorised :meth:`normalise`: unknown values become ``<NA>``."""
        import pandas as pd

        uniques = pd.unique(values.astype("object"))
        mapping = {u: self.normalise(u) for u in uniques}
        return values.astype("object").map(mapping).astype("string")

    def name(self, code: str, lang: str = "zh") -> str:
        """Display name of a county (or the city) in ``lang`` ("zh" or "en")."""
        row = self.table[self.table["county_code"] == code]
        if row.empty:
            raise KeyError(f"unknown county code {code!r}")
        return str(row["name_en" if lang == "en" else "name_zh"].iloc[0])
