"""The `liaison` command line: serve, worker, migrate, tokens (and more as domains add them)."""

import argparse
import sys
from collections.abc import Callable, Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings, get_settings
from app.db import create_db_engine, create_session_factory, run_migrations
from app.errors import AppError
from app.guarding.cli import register as register_guarding

Handler = Callable[[argparse.Namespace, Settings], int]


def _session_factory(settings: Settings) -> sessionmaker[Session]:
    return create_session_factory(create_db_engine(settings.database_url))


def cmd_migrate(args: argparse.Namespace, settings: Settings) -> int:
    """Apply database migrations."""
    run_migrations(settings.database_url)
    print(f"database is up to date: {_display_url(settings.database_url)}", file=sys.stderr)
    return 0


def cmd_token_create(args: argparse.Namespace, settings: Settings) -> int:
    """Create a token; print only the token on stdout."""
    from app.auth import create_token

    run_migrations(settings.database_url)
    factory = _session_factory(settings)
    with factory() as session, session.begin():
        token = create_token(session, name=args.name, role=args.role)
    print(token)
    return 0


def cmd_token_revoke(args: argparse.Namespace, settings: Settings) -> int:
    """Revoke every token of a principal."""
    from app.auth import revoke_tokens

    factory = _session_factory(settings)
    with factory() as session, session.begin():
        count = revoke_tokens(session, name=args.name)
    print(f"revoked {count} token(s) of {args.name}", file=sys.stderr)
    return 0


def cmd_chat_link(args: argparse.Namespace, settings: Settings) -> int:
    """Link a principal to a chat user id (or unlink it with --unlink)."""
    from pydantic import ValidationError

    from app.chat.schemas import ChatUserLink
    from app.chat.service import set_chat_user

    try:
        chat_user_id = (
            None if args.unlink else ChatUserLink(chat_user_id=args.chat_user).chat_user_id
        )
    except ValidationError as exc:
        print(f"error: {exc.errors()[0]['msg']}", file=sys.stderr)
        return 2
    run_migrations(settings.database_url)
    factory = _session_factory(settings)
    with factory() as session, session.begin():
        set_chat_user(session, args.name, chat_user_id, actor="cli")
    what = f"linked to chat user {chat_user_id}" if chat_user_id else "unlinked from chat"
    print(f"principal {args.name} {what}", file=sys.stderr)
    return 0


def _display_url(url: str) -> str:
    from sqlalchemy import make_url

    return make_url(url).render_as_string(hide_password=True)


def _first_start_hint(settings: Settings, first_start: bool) -> str:
    base = f"http://{settings.host}:{settings.port}"
    lines = [
        f"Liaison is starting on {base} (database: {_display_url(settings.database_url)})",
        f"API docs: {base}/docs",
    ]
    if first_start:
        lines += [
            "",
            "First start: no tokens exist yet. Create one in another terminal:",
            "  TOKEN=$(.venv/bin/liaison token create --name oncall-ic --role ic)",
            "Then open an incident:",
            f'  curl -s -X POST {base}/v1/incidents -H "Authorization: Bearer $TOKEN" \\',
            "       -H 'Content-Type: application/json' \\",
            '       -d \'{"title": "Delayed SMS notifications", "ic": "oncall-ic"}\'',
        ]
    return "\n".join(lines)


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    """Migrate, then serve the API with uvicorn."""
    import uvicorn

    from app.auth import Principal
    from app.main import create_app

    if args.host:
        settings.host = args.host
    if args.port:
        settings.port = args.port
    run_migrations(settings.database_url)
    factory = _session_factory(settings)
    with factory() as session:
        first_start = (session.scalar(select(func.count()).select_from(Principal)) or 0) == 0
    print(_first_start_hint(settings, first_start), file=sys.stderr, flush=True)
    uvicorn.run(
        create_app(settings), host=settings.host, port=settings.port, log_level=settings.log_level
    )
    return 0


def cmd_worker(args: argparse.Namespace, settings: Settings) -> int:
    """Deliver approved messages to the configured sinks until stopped (or once, with --once)."""
    import signal
    import threading

    from app.db import create_read_session_factory
    from app.publishing.worker import Worker

    run_migrations(settings.database_url)
    engine = create_db_engine(settings.database_url)
    try:
        worker = Worker(
            create_session_factory(engine),
            settings,
            read_session_factory=create_read_session_factory(engine),
        )
    except ValueError as exc:  # a sink is unknown or misconfigured
        engine.dispose()
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        if args.once:
            count = worker.drain()
            print(f"attempted {count} publication(s)", file=sys.stderr)
            return 0
        stop = threading.Event()

        def _stop(signum: int, frame: object) -> None:
            stop.set()
            worker.wakeup.set()

        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)
        print(
            f"publishing worker {worker.worker_id} delivering to "
            f"{', '.join(settings.publish_sinks)}",
            file=sys.stderr,
            flush=True,
        )
        worker.run_forever(stop)
        return 0
    finally:
        worker.close()
        engine.dispose()


def cmd_eval_signals(args: argparse.Namespace, settings: Settings) -> int:
    """Score report grouping against the gold `group` labels."""
    from pathlib import Path

    from app.signals.embedding import load_embedder
    from evals.dataset import DatasetError, load_incidents
    from evals.signals_eval import evaluate_grouping, format_grouping_eval

    try:
        incidents = load_incidents([Path(path) for path in args.paths])
    except DatasetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    result = evaluate_grouping(incidents, load_embedder(), min_reports=settings.signal_min_reports)
    print(format_grouping_eval(result))
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="liaison", description="Guarded, IC-approved customer messages during incidents."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="migrate and start the HTTP API")
    serve.add_argument("--host", help="bind address (default LIAISON_HOST or 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (default LIAISON_PORT or 8000)")
    serve.set_defaults(handler=cmd_serve)

    worker = commands.add_parser(
        "worker", help="deliver approved messages (run several for throughput; any database)"
    )
    worker.add_argument("--once", action="store_true", help="deliver what is due, then exit")
    worker.set_defaults(handler=cmd_worker)

    migrate = commands.add_parser("migrate", help="apply database migrations")
    migrate.set_defaults(handler=cmd_migrate)

    token = commands.add_parser("token", help="manage API tokens")
    token_commands = token.add_subparsers(dest="token_command", required=True, metavar="ACTION")
    create = token_commands.add_parser("create", help="create a token (printed once on stdout)")
    create.add_argument("--name", required=True, help="principal name, e.g. oncall-ic")
    create.add_argument(
        "--role", required=True, choices=["admin", "ic", "liaison", "viewer"], help="role"
    )
    create.set_defaults(handler=cmd_token_create)
    revoke = token_commands.add_parser("revoke", help="revoke every token of a principal")
    revoke.add_argument("--name", required=True)
    revoke.set_defaults(handler=cmd_token_revoke)

    chat = commands.add_parser("chat", help="chat (Slack-compatible) integration")
    chat_commands = chat.add_subparsers(dest="chat_command", required=True, metavar="ACTION")
    link = chat_commands.add_parser(
        "link", help="act as principal NAME when chat user CHAT_USER uses /liaison or buttons"
    )
    link.add_argument("--name", required=True, help="principal name, e.g. oncall-ic")
    target = link.add_mutually_exclusive_group(required=True)
    target.add_argument("--chat-user", help="chat user id, e.g. U0123ABCD")
    target.add_argument("--unlink", action="store_true", help="remove the principal's link")
    link.set_defaults(handler=cmd_chat_link)

    from evals.cli import register as register_evals

    eval_commands = register_evals(commands)
    register_guarding(commands)
    signals = eval_commands.add_parser("signals", help="score report grouping (ARI, NMI, noise)")
    signals.add_argument(
        "paths",
        nargs="*",
        default=["evals/incidents"],
        metavar="PATH",
        help="recorded incident files or folders (default evals/incidents)",
    )
    signals.set_defaults(handler=cmd_eval_signals)

    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `liaison` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args, get_settings())
    except AppError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
