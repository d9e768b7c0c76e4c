"""`helpbot faq check|eval|show|list` and `helpbot ask`: the knowledge base from the terminal."""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from pathlib import Path
from typing import Any

from bot.cli.admin import action_hints, run_command
from bot.cli.common import (
    CommandFailed,
    check_actor,
    email_argument,
    load_services,
    to_terminal,
)
from bot.commands import CommandSyntaxError, is_command
from bot.config import Settings
from bot.conversation import reply_to
from bot.domain import DomainError
from bot.services import Services
from faq import Entry, Match, Matcher, Outcome, load_knowledge_base
from faq.evaluation import EvalFileInvalid, evaluate, load_cases
from faq.loader import faq_files


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `ask` and `faq ...` to the command line."""
    ask = subparsers.add_parser(
        "ask",
        help="answer one question (or one per line from stdin with '-')",
        description="Answer a question from the FAQ. With '-' read one question a line from stdin.",
    )
    ask.add_argument("question", nargs="+", help="the question, or '-' to read stdin")
    ask.add_argument("--json", action="store_true", help="print one JSON object per question")
    ask.add_argument(
        "--as",
        dest="as_email",
        type=email_argument,
        metavar="EMAIL",
        help="ask as this directory user (enables /commands, e.g. '/team')",
    )
    ask.set_defaults(handler=run_ask)

    faq = subparsers.add_parser("faq", help="check, evaluate and browse the knowledge base")
    commands = faq.add_subparsers(dest="faq_command", metavar="SUBCOMMAND", required=True)
    check = commands.add_parser(
        "check", help="validate the knowledge base; non-zero exit if broken"
    )
    check.add_argument(
        "path",
        nargs="?",
        type=Path,
        help="file or directory (default: HELPBOT_FAQ_PATH or the shipped FAQ)",
    )
    check.set_defaults(handler=run_check)
    evaluation = commands.add_parser("eval", help="measure the matcher on labelled questions")
    evaluation.add_argument(
        "file", type=Path, help="YAML: cases: {entry-id: [questions], none: [...]}"
    )
    evaluation.add_argument("--json", action="store_true", help="print the report as JSON")
    evaluation.set_defaults(handler=run_eval)
    show = commands.add_parser("show", help="print one entry")
    show.add_argument("entry_id", metavar="ID")
    show.set_defaults(handler=run_show)
    listing = commands.add_parser("list", help="list every entry by category")
    listing.set_defaults(handler=run_list)


def match_as_json(match: Match, settings: Settings) -> dict[str, Any]:
    """The JSON form of a verdict, as printed by `helpbot ask --json`."""
    answered = match.entry if match.outcome is Outcome.ANSWER else None
    others = match.choices if match.outcome is Outcome.CLARIFY else match.alternatives
    return {
        "query": match.query,
        "outcome": str(match.outcome),
        "entry": None
        if answered is None
        else {
            "id": answered.id,
            "question": answered.question,
            "answer": answered.answer,
            "url": settings.faq_url(answered.id),
        },
        "score": match.score,
        # For a fallback on an out-of-scope topic: where to go instead (the KB's `pointer`).
        "pointer": match.pointer if match.outcome is Outcome.FALLBACK and match.pointer else None,
        "alternatives": [
            {"id": a.entry.id, "question": a.entry.question, "score": a.score} for a in others
        ],
    }


def format_entry(entry: Entry, settings: Settings) -> str:
    """One FAQ answer as terminal text: the question, the answer and its page."""
    return "\n".join(
        [
            to_terminal(f"*{entry.question}*"),
            to_terminal(entry.answer),
            f"More: {settings.faq_url(entry.id)}",
        ]
    )


def format_reply_text(match: Match, settings: Settings) -> str:
    """A verdict as terminal text: the answer, the choices, or the fallback."""
    reply = reply_to(match)
    if match.outcome is Outcome.ANSWER and match.entry is not None:
        return format_entry(match.entry, settings)
    if match.outcome is Outcome.CLARIFY:
        lines = [reply.text]
        lines += [
            to_terminal(f"{n}. {entry.question}", indent="  ")
            for n, entry in enumerate(reply.choices, 1)
        ]
        return "\n".join(lines)
    return to_terminal(reply.text)


def run_ask(args: argparse.Namespace) -> int:
    services = load_services(args)
    if args.as_email:
        check_actor(services, args.as_email)
    if args.question == ["-"]:
        questions = (line.strip() for line in sys.stdin)
    else:
        questions = iter([" ".join(args.question)])
    failed = False
    for question in questions:
        if not question:
            continue
        if is_command(question):
            failed |= not _ask_command(services, args, question)
            continue
        match = services.faq.matcher.match(question)
        if args.json:
            print(
                json.dumps(match_as_json(match, services.settings), ensure_ascii=False), flush=True
            )
        else:
            text = format_reply_text(match, services.settings)
            if args.as_email and match.outcome is Outcome.ANSWER and match.entry is not None:
                capabilities = services.domain.capabilities(args.as_email)
                if hints := action_hints(match.entry.actions, capabilities, args.as_email):
                    text += "\n" + hints
            print(text, flush=True)
    return 1 if failed else 0


def _ask_command(services: Services, args: argparse.Namespace, line: str) -> bool:
    """Run one slash command for `ask`; refusals go to stderr. True if it succeeded."""
    try:
        if not args.as_email:
            raise CommandSyntaxError("Commands act for a directory user: add --as EMAIL.")
        text = run_command(services, args.as_email, line)
    except (CommandSyntaxError, DomainError) as exc:
        message = exc.user_message if isinstance(exc, DomainError) else str(exc)
        print(f"helpbot: {message}", file=sys.stderr, flush=True)
        if args.json:
            print(json.dumps({"command": line, "ok": False, "error": message}), flush=True)
        return False
    if args.json:
        print(json.dumps({"command": line, "ok": True, "text": text}), flush=True)
    else:
        print(text, flush=True)
    return True


def run_check(args: argparse.Namespace) -> int:
    path = args.path or Settings.from_env().faq_path
    knowledge_base = load_knowledge_base(path)  # KnowledgeBaseInvalid -> problems on stderr, exit 1
    files = len(faq_files(Path(path)))
    print(f"OK: {len(knowledge_base)} entries in {files} file{'s' if files != 1 else ''} ({path})")
    topics = knowledge_base.out_of_scope
    print(
        f"Lexicon: {len(knowledge_base.synonyms)} synonym terms, {len(topics)} out-of-scope "
        f"topics ({sum(len(t.examples) for t in topics)} examples, "
        f"{sum(len(t.terms) for t in topics)} terms)"
    )
    matcher = Matcher(knowledge_base)
    print(f"Derived thresholds: {matcher.calibration.describe()}")
    collisions = matcher.collisions()
    for entry, phrasing, winner in collisions:
        other = f"entry '{winner.id}'" if winner else "an out-of-scope example"
        print(
            f"warning: {entry.source}: entry '{entry.id}': held out, phrasing {phrasing!r} "
            f"goes to {other}: the two collide"
        )
    return 0


def run_eval(args: argparse.Namespace) -> int:
    services = load_services(args)
    knowledge_base = services.faq.knowledge_base
    try:
        cases = load_cases(args.file, knowledge_base)
    except EvalFileInvalid as exc:
        raise CommandFailed(str(exc)) from None
    report = evaluate(services.faq.matcher, cases)
    figures = report.figures()
    if args.json:
        misses = [
            {
                "query": r.case.question,
                "expected": r.case.expected,
                "outcome": str(r.match.outcome),
                "got": r.match.entry.id if r.match.entry else None,
                "score": r.match.score,
                "confidently_wrong": r.confidently_wrong,
            }
            for r in report.misses()
        ]
        print(json.dumps({"file": str(args.file), **figures, "misses": misses}, indent=2))
        return 0
    print(f"Misses ({len(report.misses())} of {len(report.results)}):")
    for r in report.misses():
        got = r.match.entry.id if r.match.entry else "-"
        flag = "WRONG " if r.confidently_wrong else ""
        print(
            f"  {flag}{r.case.question!r}: expected {r.case.expected or 'none'}, "
            f"got {r.match.outcome} {got} ({r.match.score})"
        )
    print(
        f"In scope: {figures['in_scope']} questions, top-1 accuracy "
        f"{figures['in_scope_top1_accuracy']}% "
        f"({figures['in_scope_clarify_with_right_choice']} more offered as a choice)"
    )
    print(
        f"Out of scope: {figures['out_of_scope']} questions, rejection "
        f"{figures['out_of_scope_rejection']}%"
    )
    print(
        f"Clarify rate: {figures['clarify_rate']}%; confidently wrong answers: "
        f"{figures['confidently_wrong']}"
    )
    return 0


def run_show(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    knowledge_base = load_knowledge_base(settings.faq_path)
    entry = knowledge_base.get(args.entry_id)
    if entry is None:
        known = ", ".join(e.id for e in knowledge_base)
        raise CommandFailed(f"no FAQ entry '{args.entry_id}'. Known ids: {known}")
    print(to_terminal(f"*{entry.question}*"))
    print(f"id: {entry.id}   category: {entry.category}   audience: {entry.audience}")
    print()
    print(to_terminal(entry.answer))
    print()
    if entry.related:
        print(f"Related: {', '.join(entry.related)}")
    if entry.actions:
        print(f"Actions: {', '.join(entry.actions)}")
    print(f"Page: {settings.faq_url(entry.id)}")
    return 0


def run_list(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    knowledge_base = load_knowledge_base(settings.faq_path)
    for category, entries in knowledge_base.categories().items():
        print(category)
        width = max(len(e.id) for e in entries)
        for entry in entries:
            # The question wraps under itself within 80 columns; nothing is cut.
            print(
                textwrap.fill(
                    f"  {entry.id:<{width}}  {entry.question}",
                    width=80,
                    subsequent_indent=" " * (width + 4),
                )
            )
    return 0
