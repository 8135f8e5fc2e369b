"""`liaison check` and `liaison eval guards`: the guards from the command line.

The guard package (and guardrails with it) is imported only by these commands' handlers, so the
other `liaison` commands start fast.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import make_url
from sqlalchemy.exc import DBAPIError

from app.config import Settings
from app.errors import InvalidInput
from app.guarding.schemas import CHANNELS, LOCALES

if TYPE_CHECKING:
    from guards import GuardContext, GuardReport

REPO_ROOT = Path(__file__).resolve().parents[2]
GUARD_SETS = REPO_ROOT / "evals" / "guards"


def _set_order(path: Path) -> tuple[bool, str, int]:
    """corpus first, then dev2, dev3 ... and holdout, holdout2 ... by number."""
    kind = path.stem.rstrip("0123456789")
    return kind != "corpus", kind, int(path.stem[len(kind) :] or 1)


# Every labelled set (holdout11 and holdout12 are the unseen ones; see docs/guards.md).
DEFAULT_CORPORA = sorted(
    (path for path in GUARD_SETS.glob("*.jsonl") if path.stem != "real_labels"), key=_set_order
)
DEFAULT_REAL = REPO_ROOT.parent / "shared" / "data" / "real_status_updates.jsonl"


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `check` and `eval guards` to the top-level subcommands."""
    check = commands.add_parser(
        "check",
        help="check a customer message with the guards",
        description="Exit status: 0 no blocking violation, 1 blocking violation, 2 usage error.",
    )
    check.add_argument("text", nargs="?", help="the message (default: read stdin)")
    check.add_argument("--channel", default="statuspage", choices=CHANNELS)
    check.add_argument("--locale", default="en", choices=LOCALES)
    check.add_argument(
        "--incident", type=int, metavar="ID", help="use this incident's catalog and record"
    )
    check.add_argument("--json", action="store_true", help="print the report as JSON")
    check.set_defaults(handler=cmd_check)

    evaluate = _eval_group(commands)
    guards = evaluate.add_parser(
        "guards", help="precision/recall of the guards per category and locale"
    )
    guards.add_argument(
        "--corpus",
        action="append",
        type=Path,
        metavar="FILE",
        help="labelled JSONL file; repeat for several (default: the sets in evals/guards/)",
    )
    guards.add_argument(
        "--real",
        type=Path,
        default=DEFAULT_REAL,
        metavar="PATH",
        help="real published updates (JSONL or its folder); skipped with a note when missing",
    )
    guards.set_defaults(handler=cmd_eval_guards)


def _eval_group(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
) -> argparse._SubParsersAction[argparse.ArgumentParser]:
    """The actions of `liaison eval`, creating the group unless another domain already did."""
    existing = commands.choices.get("eval")
    if existing is None:
        existing = commands.add_parser("eval", help="run offline evaluations")
    for action in existing._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    return existing.add_subparsers(dest="eval_command", required=True, metavar="SUITE")


def _read_text(args: argparse.Namespace) -> str:
    if args.text is not None and args.text != "-":
        return str(args.text)
    if sys.stdin is None or sys.stdin.isatty():
        raise InvalidInput("give the message as an argument or on stdin")
    # A shell pipe ends the text with a newline that is not part of the message.
    return sys.stdin.read().removesuffix("\n")


def _display_url(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def _load_context(settings: Settings, incident_id: int) -> GuardContext:
    from app.db import create_db_engine, create_session_factory
    from app.guarding.service import context_for_incident

    engine = create_db_engine(settings.database_url)
    try:
        with create_session_factory(engine)() as session:
            context = context_for_incident(session, incident_id)
    except DBAPIError as exc:
        raise InvalidInput(
            f"cannot read incident {incident_id} from {_display_url(settings.database_url)} "
            f"({type(exc.orig).__name__}); check LIAISON_DATABASE_URL or run `liaison migrate`"
        ) from exc
    finally:
        engine.dispose()
    assert context is not None
    return context


def cmd_check(args: argparse.Namespace, settings: Settings) -> int:
    """Check one message; exit 1 when a blocking violation is found."""
    from app.guarding.service import check_text, ensure_checkable, to_read

    text = _read_text(args)
    ensure_checkable(text)
    context = _load_context(settings, args.incident) if args.incident is not None else None
    report = check_text(text, channel=args.channel, locale=args.locale, context=context)
    if args.json:
        print(json.dumps(to_read(report).model_dump(mode="json"), ensure_ascii=False, indent=2))
    else:
        print(format_report(report))
    return 1 if report.blocking else 0


def format_report(report: GuardReport) -> str:
    """Violations as readable text: category, offending text, message and fix."""
    if not report.violations:
        return "no violations"
    lines: list[str] = []
    for violation in report.violations:
        kind = "blocking" if violation.blocking else "warning"
        start, end = violation.span
        lines.append(f"{violation.category} ({kind}) at {start}-{end}: {violation.text!r}")
        lines.append(f"  {violation.message}")
        if violation.fix is not None:
            lines.append(f"  fix: {violation.fix!r}" if violation.fix else "  fix: delete it")
    blocking = sum(violation.blocking for violation in report.violations)
    lines.append(f"{len(report.violations)} violation(s), {blocking} blocking")
    return "\n".join(lines)


def cmd_eval_guards(args: argparse.Namespace, settings: Settings) -> int:
    """Score the guards on labelled sets and real published updates."""
    from evals.guards_eval import evaluate_guards, format_guard_eval

    corpora: list[Path] = args.corpus or [path for path in DEFAULT_CORPORA if path.exists()]
    missing = [str(path) for path in corpora if not path.exists()]
    if missing:
        raise InvalidInput(f"corpus file not found: {', '.join(missing)}")
    try:
        result = evaluate_guards(corpora, args.real)
    except ValueError as error:
        raise InvalidInput(str(error)) from None
    print(format_guard_eval(result))
    return 0
