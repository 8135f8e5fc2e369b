"""`liaison eval ...` and `liaison replay`: registered into app/cli.py's parser by `register`."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

EVALS_DIR = Path(__file__).parent
DEFAULT_INCIDENTS = EVALS_DIR / "incidents"
DEFAULT_GUARDS_CORPUS = EVALS_DIR / "guards" / "corpus.jsonl"
DEFAULT_REPORTS_DIR = Path("evals") / "reports"


def register(commands: Any) -> Any:
    """Add `eval run` and `replay`; returns the `eval` group so others add `eval guards` etc."""
    evaluate = commands.add_parser("eval", help="offline evaluation of drafts, guards and signals")
    eval_commands = evaluate.add_subparsers(dest="eval_command", required=True, metavar="ACTION")

    run = eval_commands.add_parser(
        "run", help="replay recorded incidents through an embedded service and score every draft"
    )
    run.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help=f"incident files or directories (default {DEFAULT_INCIDENTS})",
    )
    run.add_argument("--model", help="model to draft with (default: the service's default)")
    run.add_argument("--out", type=Path, help="output directory (default evals/reports/<UTC time>)")
    run.add_argument("--baseline", type=Path, help="an earlier results.json to compare with")
    run.add_argument(
        "--fail-on-regression",
        action="store_true",
        help="exit 1 when a score worsens beyond its tolerance in evals/thresholds.yaml",
    )
    run.add_argument(
        "--check-thresholds",
        action="store_true",
        help="exit 1 when a score misses its absolute bound in evals/thresholds.yaml",
    )
    run.add_argument(
        "--thresholds", type=Path, help="thresholds file (default evals/thresholds.yaml)"
    )
    run.add_argument("--jobs", type=int, default=1, help="incidents replayed in parallel")
    run.add_argument(
        "--guards-corpus",
        type=Path,
        action="append",
        metavar="FILE",
        help=f"labelled guard corpus to score (repeatable; default {DEFAULT_GUARDS_CORPUS})",
    )
    run.add_argument(
        "--no-guards", action="store_true", help="skip scoring the guards on a labelled corpus"
    )
    run.set_defaults(handler=cmd_eval_run)

    replay = commands.add_parser(
        "replay", help="replay one recorded incident against a running service, in (scaled) time"
    )
    replay.add_argument("file", type=Path, metavar="FILE", help="a recorded incident YAML file")
    replay.add_argument("--url", required=True, help="base URL, e.g. http://127.0.0.1:8000")
    replay.add_argument("--token", required=True, help="a liaison (or admin) token")
    replay.add_argument(
        "--ic-token", help="token of the incident's IC for status changes (default --token)"
    )
    replay.add_argument("--ic", help="principal name to make the incident's IC")
    replay.add_argument(
        "--speed", type=float, default=1.0, help="time acceleration (60: a minute per second)"
    )
    replay.add_argument("--model", help="model to draft with at each checkpoint")
    replay.add_argument("--no-drafts", action="store_true", help="do not ask for drafts")
    replay.set_defaults(handler=cmd_replay)
    return eval_commands


def cmd_eval_run(args: argparse.Namespace, settings: object) -> int:
    """Replay, score, and write results.json, cases.jsonl and report.html."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    from evals.dataset import DatasetError, load_incidents
    from evals.replay import ApiError, DraftingUnavailable
    from evals.results import build_results, case_record, load_baseline, write_outputs
    from evals.runner import run_incidents
    from evals.thresholds import DEFAULT_THRESHOLDS, compare, load_thresholds, missed_minimums

    console = Console(stderr=True)
    paths: list[Path] = args.paths or [DEFAULT_INCIDENTS]
    try:
        incidents = load_incidents(paths)
        thresholds = load_thresholds(args.thresholds or DEFAULT_THRESHOLDS)
        baseline = load_baseline(args.baseline) if args.baseline else None
    except (DatasetError, OSError, ValueError) as error:
        console.print(f"[red]error:[/red] {error}")
        return 2
    if not incidents:
        console.print(f"[red]error:[/red] no recorded incidents in {', '.join(map(str, paths))}")
        return 2
    if args.fail_on_regression and baseline is None:
        console.print("[red]error:[/red] --fail-on-regression needs --baseline FILE")
        return 2
    out: Path = args.out or DEFAULT_REPORTS_DIR / datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    total = sum(len(incident.checkpoints) for incident in incidents)
    progress = Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    )
    with progress:
        task = progress.add_task(f"drafting ({len(incidents)} incidents)", total=total)
        try:
            result = run_incidents(
                incidents,
                model=args.model,
                jobs=max(1, args.jobs),
                on_checkpoint=lambda: progress.advance(task),
            )
        except DraftingUnavailable as error:
            console.print(f"[red]error:[/red] the service cannot draft: {error}")
            return 2
        except ApiError as error:
            console.print(f"[red]error:[/red] the replay failed: {error}")
            return 2
    guards = None
    corpora: list[Path] = [] if args.no_guards else (args.guards_corpus or [DEFAULT_GUARDS_CORPUS])
    if corpora:
        from evals.guards_eval import evaluate_guards
        from evals.results import guards_section

        console.print(f"scoring guards on {', '.join(map(str, corpora))}")
        guards = guards_section(evaluate_guards(corpora))
    document = build_results(
        result,
        paths=[str(path) for path in paths],
        guards=guards,
        guard_corpora=[str(path) for path in corpora],
    )
    changes = compare(document["summary"], baseline, thresholds) if baseline is not None else None
    missed = missed_minimums(document["summary"], thresholds)
    if result.cases and any(case.error for case in result.cases):
        missed.append(f"{document['run']['errors']} checkpoint(s) got no draft")
    document = build_results(
        result,
        paths=[str(path) for path in paths],
        guards=guards,
        guard_corpora=[str(path) for path in corpora],
        changes=changes,
        baseline_path=str(args.baseline) if args.baseline else None,
        missed=missed,
    )
    write_outputs(out, document, result.cases)
    _write_report(out, document, [case_record(case) for case in result.cases])
    _print_summary(console, document)
    console.print(f"wrote {out}/results.json, cases.jsonl, report.html")
    status = 0
    if args.check_thresholds and missed:
        for line in missed:
            console.print(f"[red]threshold missed:[/red] {line}")
        status = 1
    if args.fail_on_regression and changes is not None:
        for change in changes:
            if change.regressed:
                console.print(
                    f"[red]regression:[/red] {change.score} {change.baseline} -> {change.current}"
                )
                status = 1
    return status


def _write_report(out: Path, document: dict[str, Any], cases: list[dict[str, Any]]) -> None:
    from evals.report import render_report

    # Render from the JSON form so the page shows exactly what results.json holds.
    cases = json.loads(json.dumps(cases, ensure_ascii=False))
    (out / "report.html").write_text(render_report(document, cases), encoding="utf-8")


def _print_summary(console: Any, document: dict[str, Any]) -> None:
    from rich.table import Table

    from evals.scorers import SUMMARY_KEYS

    changes = document.get("baseline", {}).get("changes", {})
    table = Table(title="summary")
    table.add_column("score")
    table.add_column("value", justify="right")
    if changes:
        table.add_column("change", justify="right")
    for score in SUMMARY_KEYS:
        value = document["summary"][score]
        row = [score, "–" if value is None else f"{value:g}"]
        if changes:
            delta = changes[score]["change"]
            flag = " !" if changes[score]["regressed"] else ""
            row.append("–" if delta is None else f"{delta:+g}{flag}")
        table.add_row(*row)
    console.print(table)
    grouping = document.get("grouping")
    if grouping:
        console.print(
            f"grouping: ARI {grouping['ari']} NMI {grouping['nmi']} "
            f"noise_rate {grouping['noise_rate']} {grouping.get('note', '')}"
        )


def cmd_replay(args: argparse.Namespace, settings: object) -> int:
    """Replay one recorded incident against a running service."""
    import httpx

    from evals.dataset import DatasetError, load_incident
    from evals.replay import ApiError, LiaisonApi, replay_live

    try:
        incident = load_incident(args.file)
    except DatasetError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.speed <= 0:
        print("error: --speed must be positive", file=sys.stderr)
        return 2

    async def go() -> int:
        async with httpx.AsyncClient(base_url=args.url, timeout=120) as client:
            api = LiaisonApi(client, args.token, args.ic_token or args.token)
            return await replay_live(
                api,
                incident,
                speed=args.speed,
                ic=args.ic,
                drafts=not args.no_drafts,
                model=args.model,
                say=lambda line: print(line, flush=True),
            )

    try:
        incident_id = asyncio.run(go())
    except (ApiError, httpx.HTTPError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"replayed {incident.id} as incident {incident_id}", file=sys.stderr)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the eval commands alone (the `liaison` console script is the usual way)."""
    parser = argparse.ArgumentParser(prog="liaison")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    status: int = args.handler(args, None)
    return status
