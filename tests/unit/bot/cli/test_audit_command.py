"""`helpbot audit [--json] [--since ...] [--actor EMAIL]`."""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime, timedelta

import pytest

from bot.cli.audit_commands import parse_since

SAM = "sam.manager@example.com"
TESS = "tess.tech@example.com"


def test_json_lines_with_the_documented_fields(demo):
    demo("ask", "--as", SAM, "/reinvite tess.tech@example.com")
    demo("ask", "--as", TESS, "/delete-technician pat.primary@example.com")
    lines = demo("audit", "--json").out.splitlines()
    entries = [json.loads(line) for line in lines]
    assert [set(e) for e in entries] == [
        {"at", "actor", "action", "target", "outcome", "detail"}
    ] * 2
    assert [(e["actor"], e["action"], e["outcome"]) for e in entries] == [
        (SAM, "reinvite", "ok"),
        (TESS, "delete_technician", "denied"),
    ]
    assert datetime.fromisoformat(entries[0]["at"]).tzinfo is not None


def test_filters_and_text_output(demo, clock):
    demo("ask", "--as", SAM, "/team")
    clock.advance(hours=2)
    demo("ask", "--as", TESS, "/team")
    mine = demo("audit", "--actor", "Tess.Tech@example.com").out.splitlines()
    assert len(mine) == 2
    assert mine[0].split()[:2] == [f"{clock():%Y-%m-%d}", f"{clock():%H:%M:%S}Z"]
    assert mine[0].split()[2:] == ["denied", TESS, "find_users", "-"]
    assert mine[1].startswith("    Only a Site Manager can search the team.")
    # '1h' is an hour before the domain's clock, the clock every record was written with.
    assert demo("audit", "--since", "1h").out.count("find_users") == 1
    assert demo("audit", "--since", "3h").out.count("find_users") == 2
    assert demo("audit", "--since", f"{clock():%Y-%m-%dT%H:%M}").out.count("find_users") == 1
    assert demo("audit", "--since", f"{clock() + timedelta(minutes=1):%Y-%m-%dT%H:%M}").out == ""


def test_since_accepts_dates_times_and_durations():
    assert parse_since("2h") == timedelta(hours=2)
    assert parse_since("7d") == timedelta(days=7)
    assert parse_since("30m") == timedelta(minutes=30)
    assert parse_since("2026-11-27") == datetime(2026, 11, 27, tzinfo=UTC)
    assert parse_since("2026-11-27T10:30Z") == datetime(2026, 11, 27, 10, 30, tzinfo=UTC)
    assert parse_since("2026-11-27 10:30+01:00").astimezone(UTC).hour == 9
    with pytest.raises(argparse.ArgumentTypeError, match="not a time"):
        parse_since("yesterday")


def test_a_bad_since_is_a_usage_error(demo):
    with pytest.raises(SystemExit) as exit_:
        demo("audit", "--since", "yesterday")
    assert exit_.value.code == 2
