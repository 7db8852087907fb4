#!/usr/bin/env python3
"""Build the Laoshan bilingual fact sheet: content/ → site/.

    python build.py [--content DIR] [--out DIR] [--sources DIR] [--base-url URL] [--strict] [--pdf]
    python build.py check [...]      validate only, write nothing
    python build.py serve [...]      build, serve on 127.0.0.1, rebuild and reload on change
    python build.py coverage --sources DIR [--content DIR] [--list all] [--strict]
                                     list the numbers of each article no quotation cites and no waiver covers
"""

from __future__ import annotations

import argparse
import signal
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Parse the command line; argparse exits with status 2 on a usage error."""
    parser = argparse.ArgumentParser(prog="build.py", description=__doc__.splitlines()[0])
    parser.add_argument("command", nargs="?", choices=("build", "check", "serve", "coverage"), default="build",
                        help="build (default), check (validate only), serve (build, serve, rebuild on change) "
                             "or coverage (which numbers of the articles are cited, waived or unaccounted)")
    parser.add_argument("--content", type=Path, default=ROOT / "content", help="content folder (default: content/)")
    parser.add_argument("--out", type=Path, default=ROOT / "site", help="output folder (default: site/)")
    parser.add_argument("--sources", type=Path, default=None,
                        help="folder of the article texts; verify every quotation against them")
    parser.add_argument("--base-url", default=None,
                        help="absolute address the site is hosted at, for canonical/hreflang/sitemap")
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    parser.add_argument("--pdf", action="store_true", help="also make a PDF per language (needs the [pdf] extra)")
    parser.add_argument("--port", type=int, default=8000, help="port for serve (default 8000)")
    parser.add_argument("--list", choices=("unaccounted", "all"), default="unaccounted",
                        help="numbers coverage lists: unaccounted (default) or all, with how each is accounted for")
    args = parser.parse_args(argv)
    if args.base_url and not args.base_url.startswith(("http://", "https://")):
        parser.error("--base-url must be an absolute http(s) address, e.g. https://user.github.io/repo/")
    if args.command == "coverage" and args.sources is None:
        parser.error("coverage needs --sources DIR, the folder of the article texts")
    if args.sources is not None and not args.sources.is_dir():
        parser.error(f"--sources: {args.sources} is not a folder")
    return args


def run(args: argparse.Namespace) -> int:
    """Run the pipeline once; print errors and the summary line; return the exit status."""
    from factsheet.model import ContentErrors
    from factsheet.pipeline import build
    from factsheet.write import OutputRefused

    started = time.perf_counter()
    try:
        result = build(args.content, ROOT / "templates", ROOT / "locale", args.sources, args.base_url,
                       out_dir=None if args.command == "check" else args.out, strict=args.strict,
                       pdf=args.pdf)
    except ContentErrors as exc:
        for error in exc.errors:
            print(f"error: {error}", file=sys.stderr)
        print(f"Failed: {len(exc.errors)} error(s); nothing written.", file=sys.stderr)
        return 1
    except OutputRefused as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Interrupted; the previous site is unchanged.", file=sys.stderr)
        return 130
    except Exception:  # noqa: BLE001 - the last line of defence: a bug, reported as one
        print(f"internal error (a bug in the generator, please report it with this line): "
              f"{traceback.format_exc(limit=-1).strip().splitlines()[-1]}", file=sys.stderr)
        return 70
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for line in result.report:
        print(line)
    elapsed = time.perf_counter() - started
    print(result.summary(elapsed, None if args.command == "check" else args.out))
    return 0


def run_coverage(args: argparse.Namespace) -> int:
    """Print each article's numbers no quotation cites and no waiver covers, and the counts; return the exit status."""
    from factsheet.coverage import check_coverage, unaccounted_errors
    from factsheet.model import ContentErrors

    started = time.perf_counter()
    try:
        coverage = check_coverage(args.content, args.sources)
    except ContentErrors as exc:
        for error in exc.errors:
            print(f"error: {error}", file=sys.stderr)
        print(f"Failed: {len(exc.errors)} error(s).", file=sys.stderr)
        return 1
    statuses = ("cited", "waived", "unaccounted")
    totals = dict.fromkeys(statuses, 0)
    for article in coverage.articles:
        print(article.file)
        for number in article.numbers:
            if args.list == "all" or number.status == "unaccounted":
                found, by = number.expression, " ".join((number.status, ", ".join(number.by))).strip()
                print(f"  {found.line:>4}  {found.text}  {found.context()}" + (f"  ({by})" if args.list == "all" else ""))
        counts = {status: article.count(status) for status in statuses}
        totals = {status: totals[status] + counts[status] for status in statuses}
        print(f"{article.source}: {len(article.numbers)} numbers found, {counts['cited']} cited, "
              f"{counts['waived']} waived, {counts['unaccounted']} unaccounted")
    elapsed = time.perf_counter() - started
    print(f"All articles: {sum(totals.values())} numbers found, {totals['cited']} cited, "
          f"{totals['waived']} waived, {totals['unaccounted']} unaccounted; {len(coverage.warnings)} warnings "
          f"in {elapsed:.2f} s")
    if args.strict:
        errors = unaccounted_errors(coverage) + list(coverage.warnings)
        for error in errors:
            print(f"error: {error}", file=sys.stderr)
        if errors:
            print(f"Failed: {len(errors)} error(s).", file=sys.stderr)
            return 1
    for warning in coverage.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return 0


def rebuild_in_place(args: argparse.Namespace):
    """Return serve's build: the first one whole, then only what each change touched (factsheet.incremental)."""
    from factsheet.incremental import Rebuilder
    from factsheet.model import ContentErrors
    from factsheet.write import OutputRefused

    rebuilder = Rebuilder(args.content, ROOT / "templates", ROOT / "locale", args.sources, args.base_url, args.out,
                          args.strict)

    def rebuild(state) -> int:  # serve's State: which pages are open, and how to show them early
        started = time.perf_counter()
        try:
            report = rebuilder.build(state.viewed(), state.show)
        except ContentErrors as exc:
            for error in exc.errors:
                print(f"error: {error}", file=sys.stderr)
            print(f"Failed: {len(exc.errors)} error(s); the last good site is still served.", file=sys.stderr)
            return 1
        except OutputRefused as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        for warning in report.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        print(f"Built {report.files} files: {report.rendered} pages rendered, {report.written} files written, "
              f"{len(report.warnings)} warnings in {time.perf_counter() - started:.2f} s → {args.out}")
        return 0

    return rebuild


def _terminated(signum, frame) -> None:
    """Turn SIGTERM into KeyboardInterrupt, so that a build stopped by it removes its staging folder."""
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if argv is None:
        signal.signal(signal.SIGTERM, _terminated)
    if args.command == "serve":
        from factsheet.serve import serve

        return serve(args.out, args.port, rebuild_in_place(args), [args.content, ROOT / "templates", ROOT / "locale"])
    if args.command == "coverage":
        return run_coverage(args)
    return run(args)


if __name__ == "__main__":  # the factsheet modules are imported where used, after `generated_code_kept`
    from factsheet.speed import exit_now, generated_code_kept

    exit_now(main, generated_code_kept())
