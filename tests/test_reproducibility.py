"""Same inputs, same bytes: the demo generator, the data hash and the scorecard do not depend on the
process (hash seed, import order) they run in."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from qyanalysis.demo import generate_demo_data
from qyanalysis.io import load_dataset

REPO = Path(__file__).resolve().parents[1]


def fresh_env(hash_seed: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env["PYTHONHASHSEED"] = hash_seed
    env["MPLBACKEND"] = "Agg"
    return env


def digests(folder: Path) -> dict[str, str]:
    files = sorted(p for p in folder.iterdir() if p.is_file())
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def test_demo_data_generated_twice_has_the_same_data_hash(tmp_path):
    first = generate_demo_data(tmp_path / "first")
    # The second run in a fresh process with another hash seed: set iteration order must not leak in.
    done = subprocess.run([sys.executable, "-m", "qyanalysis", "demo-data", str(tmp_path / "second")],
                          capture_output=True, text=True, cwd=REPO, env=fresh_env("4242"), timeout=300)
    assert done.returncode == 0, done.stderr
    second = tmp_path / "second"
    assert digests(first) == digests(second)
    hash_first, hash_second = load_dataset(first).data_hash, load_dataset(second).data_hash
    assert len(hash_first) == 64 and hash_first == hash_second


# One fresh process per hash seed writes the scorecard of every county and two charts of one county.
SCRIPT = (
    "import io, sys, qyanalysis as qy\n"
    "from qyanalysis.present.charts import target_chart, cv_chart\n"
    "dataset = qy.load_dataset(sys.argv[1])\n"
    "text = qy.scorecard(dataset, None, 2022).to_csv(index=False)\n"
    "open(sys.argv[2], 'w', encoding='utf-8', newline='').write(text)\n"
    "card = qy.scorecard(dataset, '441826', 2022)\n"
    "out = io.BytesIO()\n"
    "for fig in (target_chart(card[card['section'] == 2].dropna(subset=['value']), 'zh'),\n"
    "            cv_chart(card[card['indicator'].str.startswith('balance_cv_')], 'en')):\n"
    "    fig.savefig(out, format='png', metadata={'Software': None})\n"
    "open(sys.argv[3], 'wb').write(out.getvalue())\n"
)


@pytest.mark.slow
def test_scorecard_csv_and_figures_are_byte_identical_across_fresh_processes(tmp_path):
    scorecards, figures = [], []
    for seed in ("0", "1234567"):
        csv, png = tmp_path / f"scorecard-{seed}.csv", tmp_path / f"figures-{seed}.png"
        done = subprocess.run([sys.executable, "-c", SCRIPT, str(REPO / "data" / "demo"), str(csv), str(png)],
                              capture_output=True, text=True, cwd=tmp_path, env=fresh_env(seed), timeout=600)
        assert done.returncode == 0, done.stderr[-2000:]
        scorecards.append(csv.read_bytes())
        figures.append(png.read_bytes())
    assert scorecards[0].count(b"\n") > 100  # one row per county target, not an empty frame
    assert scorecards[0] == scorecards[1]
    assert figures[0] == figures[1] and len(figures[0]) > 10_000
