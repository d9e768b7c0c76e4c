"""`helpbot serve` (gunicorn) and `helpbot socket` as real processes."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.slack_fakes import (
    BOT_TOKEN,
    SIGNING_SECRET,
    Failure,
    FakeSlack,
    dm_event,
    event_body,
    signed_headers,
)
from tests.socket_fakes import FakeSocketMode

HELPBOT = str(Path(sys.executable).with_name("helpbot"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(slack: FakeSlack, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "HELPBOT_"))}
    env.update(
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=slack.api_url,
        HELPBOT_SUPPORT_CHANNEL="C0SUPPORT",
        HELPBOT_BASE_URL="https://help.example.com",
        **extra,
    )
    return env


def wait_until_up(url: str, process: subprocess.Popen, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited: {process.stderr.read().decode()[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=1) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("server did not start")


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture
def slack():
    fake = FakeSlack().start()
    fake.add_person("UTOM", "tom@acme.test")
    yield fake
    fake.stop()


def migrate(env: dict[str, str], cwd: Path) -> None:
    """`helpbot db upgrade`, as the Procfile's release step does."""
    subprocess.run(
        [HELPBOT, "db", "upgrade"], env=env, cwd=cwd, check=True, capture_output=True, timeout=60
    )


def start_serve(env: dict[str, str], cwd: Path, *, workers: int) -> subprocess.Popen:
    """`helpbot serve` on 127.0.0.1 as a child process (stop it with `stop`)."""
    return subprocess.Popen(
        [HELPBOT, "serve", "--workers", str(workers), "--host", "127.0.0.1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=cwd,
    )


def test_helpbot_serve_answers_health_pages_and_slack(slack, tmp_path):
    port = free_port()
    env = environment(slack, PORT=str(port), DATABASE_URL=f"sqlite:///{tmp_path}/h.db")
    migrate(env, tmp_path)
    process = start_serve(env, tmp_path, workers=2)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(f"{base}/healthz", process)
        with urllib.request.urlopen(f"{base}/faq/forgot-password", timeout=5) as reply:
            page = reply.read().decode()
        assert "<h1>What happens if I forget my password" in page
        body = json.dumps(event_body(dm_event("UTOM", "I forgot my password")))
        request = urllib.request.Request(
            f"{base}/slack/events", body.encode(), signed_headers(body, "application/json")
        )
        with urllib.request.urlopen(request, timeout=5) as reply:
            assert reply.status == 200
        [post] = slack.wait_for("chat.postMessage", timeout=15)
        assert "Forgot your password" in json.dumps(post.args)
    finally:
        stop(process)
    # One format for every line, gunicorn's too: "2026-12-01 10:00:00,123 INFO name: message".
    logged = [line for line in process.stderr.read().decode().splitlines() if line.strip()]
    line_format = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} [A-Z]+ [\w.]+: ")
    assert any(line.startswith(tuple("0123456789")) and "gunicorn" in line for line in logged)
    assert [line for line in logged if not line_format.match(line)] == []


@pytest.mark.parametrize(
    ("command", "missing"),
    [
        (["serve"], "SLACK_BOT_TOKEN"),
        (["serve"], "SLACK_SIGNING_SECRET"),
        (["serve"], "HELPBOT_SUPPORT_CHANNEL"),
        (["socket"], "SLACK_APP_TOKEN"),
    ],
)
def test_a_missing_setting_stops_start_up_with_one_clear_line(slack, command, missing):
    env = environment(slack)
    env.pop(missing, None)
    done = subprocess.run([HELPBOT, *command], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"helpbot: {missing} is not set")


def test_helpbot_socket_and_run_serve_over_socket_mode(slack, tmp_path):
    fake = FakeSocketMode().start()
    slack.socket_url = fake.url
    env = environment(slack, SLACK_APP_TOKEN="xapp-test", DATABASE_URL=f"sqlite:///{tmp_path}/h.db")
    env["HELPBOT_SOCKET_CONNECTIONS"] = "2"
    slack.add_person("UNOBODY", "nobody@example.com")
    try:
        for command in (["run"], ["socket"]):  # `run` sets the database up; `socket` needs it
            slack.reset()
            process = subprocess.Popen(
                [HELPBOT, *command],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                stdin=subprocess.DEVNULL,
                cwd=tmp_path,
            )
            try:
                opened = slack.wait_for("apps.connections.open", 2, timeout=30)
                assert {call.headers["Authorization"] for call in opened} == {"Bearer xapp-test"}
                fake.wait_for_links(2, timeout=30)
                envelope = fake.send("events_api", event_body(dm_event("UNOBODY", "hello")))
                assert fake.wait_for_ack(envelope, timeout=10)["envelope_id"]
                slack.wait_for("chat.postMessage", timeout=30)
            finally:
                stop(process)
            fake.wait_until(lambda: not fake.live_links(), 10, "every connection closed")
    finally:
        fake.stop()


def test_helpbot_serve_refuses_an_out_of_date_schema(slack, tmp_path):
    env = environment(slack, DATABASE_URL=f"sqlite:///{tmp_path}/empty.db")
    done = subprocess.run(
        [HELPBOT, "serve"], env=env, capture_output=True, text=True, timeout=60, cwd=tmp_path
    )
    assert done.returncode == 2
    assert "helpbot db upgrade" in done.stderr.strip().splitlines()[-1]


def test_helpbot_log_level_sets_the_level_of_helpbots_own_loggers(slack, tmp_path):
    port = free_port()
    env = environment(
        slack,
        PORT=str(port),
        DATABASE_URL=f"sqlite:///{tmp_path}/h.db",
        HELPBOT_LOG_LEVEL="WARNING",
    )
    migrate(env, tmp_path)
    process = start_serve(env, tmp_path, workers=1)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/healthz", process)
    finally:
        stop(process)
    logged = process.stderr.read().decode() + process.stdout.read().decode()
    assert " INFO " not in logged  # neither helpbot's "serving on" nor gunicorn's lines


def test_a_bad_log_level_stops_start_up_with_one_clear_line(slack):
    env = environment(slack, HELPBOT_LOG_LEVEL="verbose")
    done = subprocess.run([HELPBOT, "serve"], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "helpbot: HELPBOT_LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL, "
        "got 'verbose'"
    ]


@pytest.mark.parametrize("command", [["serve"], ["socket"]])
def test_b6_a_rejected_bot_token_stops_start_up_with_one_clear_line(slack, tmp_path, command):
    slack.fail("auth.test", Failure(status=200, body={"ok": False, "error": "invalid_auth"}))
    env = environment(slack, SLACK_APP_TOKEN="xapp-test", DATABASE_URL=f"sqlite:///{tmp_path}/h.db")
    done = subprocess.run(
        [HELPBOT, *command], env=env, capture_output=True, text=True, timeout=60, cwd=tmp_path
    )
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "SLACK_BOT_TOKEN" in lines[0]
    assert "invalid_auth" in lines[0]


def test_b6_a_transient_auth_test_failure_at_start_up_is_retried(slack, tmp_path):
    port = free_port()
    env = environment(slack, PORT=str(port), DATABASE_URL=f"sqlite:///{tmp_path}/h.db")
    migrate(env, tmp_path)
    slack.fail("auth.test", Failure(status=503, body={"ok": False}), Failure(disconnect=True))
    process = start_serve(env, tmp_path, workers=1)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/healthz", process)
        assert len(slack.of("auth.test")) >= 3  # two failures, then the token is good
    finally:
        stop(process)
    assert "will be unused" not in process.stderr.read().decode()


def test_a_refused_app_token_stops_socket_mode_with_one_clear_line(slack, tmp_path):
    slack.fail(
        "apps.connections.open", Failure(status=200, body={"ok": False, "error": "invalid_auth"})
    )
    env = environment(slack, SLACK_APP_TOKEN="xapp-bad", DATABASE_URL=f"sqlite:///{tmp_path}/h.db")
    migrate(env, tmp_path)
    done = subprocess.run(
        [HELPBOT, "socket"], env=env, capture_output=True, text=True, timeout=60, cwd=tmp_path
    )
    assert done.returncode == 2
    assert done.stdout == ""  # never "connected" before it is
    assert done.stderr.strip().splitlines() == [
        "helpbot: Slack refused SLACK_APP_TOKEN (invalid_auth): use an app-level token (xapp-…) "
        "with the connections:write scope, from the app's Basic Information page"
    ]


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("bogus", "helpbot: DATABASE_URL is not a database URL"),
        (
            "postgresql://postgres@127.0.0.1:1/nothing",
            "helpbot: the database at DATABASE_URL can't be used: connection failed",
        ),
    ],
)
def test_a_wrong_database_url_is_one_clear_line(slack, tmp_path, url, said):
    env = environment(slack, DATABASE_URL=url)
    done = subprocess.run(
        [HELPBOT, "audit"], env=env, capture_output=True, text=True, timeout=60, cwd=tmp_path
    )
    assert done.returncode == 2
    [line] = done.stderr.strip().splitlines()
    assert line.startswith(said)
    assert "something went wrong" not in line
