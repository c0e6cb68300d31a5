"""Command-line options of ``qyanalysis run`` (README, “Command line”), declared once."""

from __future__ import annotations

import argparse
import os


def add_run_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``run`` options to ``parser``."""
    parser.add_argument("--data", default=None, help="data folder (default: the bundled demo data)")
    parser.add_argument("--out", default="reports", help="output folder (default: reports/)")
    parser.add_argument("--year", type=int, default=None, help="report year (default: latest in the data)")
    parser.add_argument("--county", nargs="+", action="extend", default=None, metavar="X",
                        help="counties (code or name) and/or 'city'; repeat or list several "
                             "(default: every county plus the city)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="parallel notebook workers (default: number of cores)")
    parser.add_argument("--force", action="store_true", help="re-run notebooks whose outputs are up to date")
    parser.add_argument("--lang", choices=("zh", "en"), action="append", default=None,
                        help="report language: zh in OUT/YEAR/, en in OUT/YEAR/en/; repeat for both in "
                             "one run (--lang zh --lang en; default zh)")
    parser.add_argument("--as-of", default="", metavar="YYYY-MM", dest="as_of",
                        help="the data's snapshot month (default: the latest monthly or quarterly period "
                             "of the indicators table)")
    parser.add_argument("--scheduler", default=None, metavar="ADDRESS",
                        help="run on a Dask distributed cluster, e.g. tcp://127.0.0.1:8786")
    parser.add_argument("--isolated", action="store_true",
                        help="a fresh kernel per notebook instead of warm reusable kernels")
    parser.add_argument("--timeout", type=float, default=600.0, help="per-cell timeout in seconds (default 600)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument("--notebook", nargs="+", action="extend", default=None, metavar="NAME",
                        help="only these notebooks (stems such as 01_party_leadership); repeat or list several")
    parser.add_argument("--pdf", action="store_true",
                        help="then print each county's and the city's PDF (as `qyanalysis pdf`)")
    parser.add_argument("--chromium", default=None, metavar="PATH",
                        help="the Chromium or Chrome to print with (default: chromium, chromium-browser or "
                             "google-chrome on PATH)")
    parser.add_argument("--notebooks-dir", default=None, metavar="DIR",
                        help="folder of the source notebooks "
                             "(default: $QYANALYSIS_NOTEBOOKS_DIR or notebooks/)")


def add_pdf_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``pdf`` options to ``parser``."""
    parser.add_argument("--out", default="reports", help="the rendered report folder (default: reports/)")
    parser.add_argument("--year", type=int, default=None, help="report year (default: the latest rendered)")
    parser.add_argument("--county", nargs="+", default=None, metavar="X",
                        help="counties (code or name) and/or 'city' (default: every rendered one)")
    parser.add_argument("--chromium", default=None, metavar="PATH",
                        help="the Chromium or Chrome to print with (default: chromium, chromium-browser or "
                             "google-chrome on PATH)")
    parser.add_argument("--force", action="store_true", help="print again PDFs that are up to date")
    parser.add_argument("--lang", choices=("zh", "en"), action="append", default=None,
                        help="print the pages of this language (zh: OUT/YEAR/, en: OUT/YEAR/en/); repeat for "
                             "both (default: every language rendered)")
    parser.add_argument("--item-per-sheet", action="store_true",
                        help="start every plan item on a new sheet (default: items follow one another)")
