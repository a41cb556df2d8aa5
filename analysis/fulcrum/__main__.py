"""python3 -m fulcrum report A.h5 [B.h5 ...] -o report.html"""
import argparse
import sys

from .report import report


def main(argv=None):
    parser = argparse.ArgumentParser(prog="fulcrum", description="fulcrum results in Python")
    commands = parser.add_subparsers(dest="command", required=True)
    make_report = commands.add_parser("report", help="write one self-contained HTML report comparing result files")
    make_report.add_argument("results", nargs="+", help="HDF5 result files")
    make_report.add_argument("-o", "--output", default="report.html")
    make_report.add_argument("--title", default="fulcrum report")
    arguments = parser.parse_args(argv)
    try:
        output, figures = report(arguments.results, arguments.output, arguments.title)
    except (OSError, KeyError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"Report with {len(figures)} figures written to {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
