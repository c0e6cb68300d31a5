"""The ``qyanalysis`` command (README, “Command line”).

Exit codes: 0 all done; 1 some notebooks failed; 2 bad usage or invalid data
(nothing written). No traceback ever reaches the user for expected failures.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from qyanalysis.errors import DataValidationError, QyAnalysisError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse that exits with 2 and a one-line message (its default too, made explicit)."""

    def error(self, message: str) -> None:  # pragma: no cover - argparse glue
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _cmd_validate(args: argparse.Namespace) -> int:
    from qyanalysis.opening import load_dataset

    dataset = load_dataset(args.data_dir)
    for issue in dataset.warnings:
        print(f"warning: {issue}", file=sys.stderr)
    n_schools = len(dataset.schools)
    print(f"{args.data_dir}: valid — {n_schools} school rows, {len(dataset.indicators)} indicator rows, "
          f"{len(dataset.counties.codes)} counties, years {dataset.years[0]}–{dataset.years[-1]}"
          + (" (synthetic demonstration data)" if dataset.is_demo else ""))
    return EXIT_OK


def _cmd_template(args: argparse.Namespace) -> int:
    from qyanalysis.io.templates import write_template

    path = write_template(Path(args.out))
    print(f"wrote {path}")
    return EXIT_OK


def _cmd_demo_data(args: argparse.Namespace) -> int:
    from qyanalysis.demo import generate_demo_data

    out = generate_demo_data(Path(args.out_dir), n_counties=args.counties, seed=args.seed)
    print(f"wrote synthetic demonstration data to {out}")
    return EXIT_OK


def _cmd_targets(args: argparse.Namespace) -> int:
    from qyanalysis.verdicts.targets import load_targets

    load_targets().to_csv(sys.stdout, index=False, lineterminator="\n")
    return EXIT_OK


def _cmd_import_census(args: argparse.Namespace) -> int:
    from qyanalysis.io.census import import_census

    census, written = import_census(args.source, args.out, mapping=args.mapping, year=args.year,
                                    with_dir=args.with_dir)
    for issue in census.problems:
        print(f"warning: {issue}", file=sys.stderr)
    years = sorted(census.schools["year"].unique())
    print(f"read {len(census.schools)} schools ({', '.join(str(int(y)) for y in years)}), "
          f"{len(census.provenance)} figures traced in provenance.csv; wrote {len(written)} files to {args.out}")
    return EXIT_OK


def _cmd_export_census(args: argparse.Namespace) -> int:
    from qyanalysis.errors import UsageError
    from qyanalysis.opening import load_dataset
    from qyanalysis.io.census_export import export_census
    from qyanalysis.io.census_forms import PREFIX, generation_of_year

    dataset = load_dataset(args.data)
    years = args.year or None
    for year in years or []:
        if generation_of_year(year) != args.form_year:
            raise UsageError(f"--year {year} files {PREFIX[generation_of_year(year)]} forms, not "
                             f"{PREFIX[args.form_year]} (--form-year {args.form_year}); expected a year "
                             f"{'<= 2020' if args.form_year == '2018' else '>= 2021'}")
    written = export_census(dataset.schools, Path(args.out), args.form_year, years)
    print(f"wrote {len(written)} per-school workbooks ({PREFIX[args.form_year]} forms) to {args.out}")
    return EXIT_OK


def _cmd_run(args: argparse.Namespace) -> int:
    from qyanalysis.runner import run_from_cli

    return run_from_cli(args)


def _cmd_pdf(args: argparse.Namespace) -> int:
    from qyanalysis.runner.pdf import pdf_from_cli

    return pdf_from_cli(args)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``qyanalysis`` command."""
    parser = _Parser(prog="qyanalysis", description="Reports on the Qingyuan 2022 education work plan.")
    from qyanalysis import __version__

    parser.add_argument("--version", action="version", version=f"qyanalysis {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("validate", help="check a data folder against the contract")
    p.add_argument("data_dir", help="folder with schools, indicators, … (CSV, XLSX or Parquet)")
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser("template", help="write the Excel input template (Chinese headers)")
    p.add_argument("out", help="path of the .xlsx to write")
    p.set_defaults(func=_cmd_template)

    p = sub.add_parser("demo-data", help="write the synthetic demonstration dataset")
    p.add_argument("out_dir")
    p.add_argument("--counties", type=int, default=None,
                   help="make a synthetic region of N counties (default: Qingyuan's 8)")
    p.add_argument("--seed", type=int, default=2022, help="random seed (default 2022)")
    p.set_defaults(func=_cmd_demo_data)

    p = sub.add_parser("targets", help="print the plan's target registry as CSV")
    p.set_defaults(func=_cmd_targets)

    p = sub.add_parser("import-census", help="read the statistics system's exports (基础基/教基) into a data folder")
    p.add_argument("source", help="folder or zip of per-school workbooks, or a school-per-row export (.xlsx)")
    p.add_argument("--out", required=True, help="data folder to write (schools.csv, provenance.csv, …)")
    p.add_argument("--mapping", default=None, help="the bureau's own mapping CSV (adds or overrides rows)")
    p.add_argument("--year", type=int, default=None, help="census year where the workbooks do not state it")
    p.add_argument("--with", dest="with_dir", default=None,
                   help="data folder whose other tables (indicators, tasks, counties …) are copied and whose "
                        "schools table gives the fields the forms do not hold")
    p.set_defaults(func=_cmd_import_census)

    p = sub.add_parser("export-census", help="write a dataset as per-school workbooks of the statistics forms")
    p.add_argument("--data", required=True, help="data folder (the demo included)")
    p.add_argument("--out", required=True, help="folder for OUT/YEAR/COUNTY/<school>.xlsx")
    p.add_argument("--form-year", required=True, choices=("2018", "2021"), help="form generation: 2018 (基础基) or 2021 (教基)")
    p.add_argument("--year", type=int, action="append", default=[], help="census year(s) to write (default: all of the generation)")
    p.set_defaults(func=_cmd_export_census)

    p = sub.add_parser("run", help="render the reports (every county and the city by default)")
    from qyanalysis.runner.options import add_run_arguments

    add_run_arguments(p)
    p.set_defaults(func=_cmd_run)

    p = sub.add_parser("pdf", help="print a rendered report folder: one A4 PDF per county, one for the city")
    from qyanalysis.runner.options import add_pdf_arguments

    add_pdf_arguments(p)
    p.set_defaults(func=_cmd_pdf)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit code."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except DataValidationError as exc:
        for issue in exc.errors:
            print(str(issue), file=sys.stderr)
        print(f"{len(exc.errors)} problem(s); nothing was written.", file=sys.stderr)
        return EXIT_USAGE
    except QyAnalysisError as exc:
        print(f"qyanalysis: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except (FileNotFoundError, NotADirectoryError, PermissionError) as exc:
        print(f"qyanalysis: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("qyanalysis: interrupted", file=sys.stderr)
        return 130
