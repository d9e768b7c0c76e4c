"""Benchmark the Slack HTTP server: signed DM events from concurrent senders.

Starts the real server (`helpbot serve`: gunicorn, Bolt's WSGI adapter) on loopback, with a fake
Slack Web API on loopback (SLACK_API_URL) that counts what the server posts back, then sends
N signed `message.im` events from S concurrent senders (one keep-alive connection each) and
reports:
  * ack latency (time to the HTTP 200 Slack waits for, which must come within 3 s): p50, p99, max
  * events acked per second (N / wall time of the sending phase)
  * events answered: chat.postMessage calls the fake Slack received (each DM gets one answer),
    and the time until the last one arrived.

Usage:
    .venv/bin/python benchmarks/slack_bench.py [--events 2000] [--senders 20] [--workers N]
        [--rate EVENTS_PER_S] [--json]
Without --rate each sender sends its next event as soon as the previous one is acked (closed
loop: the most the server takes); with --rate the senders keep to that overall rate.
Uses a throw-away SQLite database in a temporary directory (DATABASE_URL), migrated first.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.slack_fakes import (  # noqa: E402
    BOT_TOKEN,
    SIGNING_SECRET,
    dm_event,
    event_body,
    signed_headers,
)

QUESTIONS = [
    "I forgot my password",
    "my invite expired",
    "how do I send a web invitation",
    "I can't delete a technician because they are the primary contact",
    "hello",
    "the SMS code never came",
    "what can you do",
    "what is the weather in Paris",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RemoteFakeSlack:
    """tests.slack_fakes.FakeSlack in a process of its own, so that it does not share this
    process's GIL with the senders whose latency we measure."""

    def __init__(self, people: dict[str, str]) -> None:
        args = [f"{user}={email}" for user, email in people.items()]
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.slack_fakes", *args],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.api_url = self.process.stdout.readline().strip()
        host_port = self.api_url.split("//")[1].split("/")[0]
        self.host, self.port = host_port.split(":")[0], int(host_port.split(":")[1])

    def _call(self, method: str) -> dict:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=10)
        connection.request("POST", f"/api/{method}", b"", {"Content-Type": "application/json"})
        return json.loads(connection.getresponse().read())

    def count(self, method: str) -> int:
        return self._call("__counts__")["counts"].get(method, 0)

    def reset(self) -> None:
        self._call("__reset__")

    def wait_for(self, method: str, count: int, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.count(method) >= count:
                return True
            time.sleep(0.05)
        return False

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def start_server(slack: RemoteFakeSlack, port: int, workers: int, workdir: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "HELPBOT_"))}
    env.update(
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=slack.api_url,
        HELPBOT_SUPPORT_CHANNEL="C0SUPPORT",
        HELPBOT_LOG_LEVEL="WARNING",
        DATABASE_URL=f"sqlite:///{workdir}/bench.db",
        PORT=str(port),
    )
    helpbot = str(Path(sys.executable).with_name("helpbot"))
    subprocess.run(
        [helpbot, "db", "upgrade"], env=env, cwd=workdir, check=True, capture_output=True
    )  # the Procfile's release step
    command = [helpbot, "serve", "--host", "127.0.0.1", "--workers", str(workers)]
    process = subprocess.Popen(
        command, env=env, cwd=workdir, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited: {process.stderr.read().decode()[-3000:]}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("server did not start")


def sender(
    port: int,
    bodies: list[str],
    latencies: list[float],
    errors: list[str],
    interval: float = 0.0,
) -> None:
    """Send the events one after the other; with `interval`, one every `interval` seconds."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    next_at = time.perf_counter()
    for body in bodies:
        if interval:
            next_at += interval
            time.sleep(max(0.0, next_at - time.perf_counter()))
        headers = signed_headers(body, "application/json")
        started = time.perf_counter()
        try:
            connection.request("POST", "/slack/events", body.encode(), headers)
            response = connection.getresponse()
            response.read()
            elapsed = time.perf_counter() - started
            if response.status != 200:
                errors.append(f"HTTP {response.status}")
            latencies.append(elapsed)
        except OSError as error:
            errors.append(repr(error))
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.close()


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def run(events: int, senders: int, workers: int, rate: float = 0.0) -> dict:
    slack = RemoteFakeSlack({f"U{n:04d}": f"user{n}@bench.test" for n in range(senders)})
    port = free_port()
    with tempfile.TemporaryDirectory() as workdir:
        process = start_server(slack, port, workers, workdir)
        try:
            # Warm up every worker (auth.test, first requests) outside the measurement: many
            # short-lived connections, so that each worker accepts some of them.
            warm = [
                json.dumps(event_body(dm_event("UWARM", "hello", channel="DWARM")))
                for _ in range(workers * 10)
            ]
            warmers = [
                threading.Thread(target=sender, args=(port, [body], [], [])) for body in warm
            ]
            for thread in warmers:
                thread.start()
            for thread in warmers:
                thread.join()
            slack.wait_for("chat.postMessage", len(warm), timeout=30)
            slack.reset()

            batches: list[list[str]] = [[] for _ in range(senders)]
            for n in range(events):
                who = n % senders
                event = dm_event(
                    f"U{who:04d}", QUESTIONS[n % len(QUESTIONS)], channel=f"D{who:04d}"
                )
                batches[who].append(json.dumps(event_body(event)))
            latencies: list[float] = []
            errors: list[str] = []
            interval = senders / rate if rate else 0.0
            threads = [
                threading.Thread(target=sender, args=(port, batch, latencies, errors, interval))
                for batch in batches
            ]
            started = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            sending = time.perf_counter() - started
            slack.wait_for("chat.postMessage", events, timeout=120)
            answered_after = time.perf_counter() - started
            answered = slack.count("chat.postMessage")
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
            slack.stop()
    return {
        "events": events,
        "senders": senders,
        "workers": workers,
        "rate": rate or "as fast as acked",
        "acked": len(latencies) - len(errors),
        "errors": errors[:5],
        "ack_p50_ms": round(1000 * statistics.median(latencies), 1),
        "ack_p99_ms": round(1000 * percentile(latencies, 0.99), 1),
        "ack_max_ms": round(1000 * max(latencies), 1),
        "events_per_s": round(events / sending, 1),
        "answered": answered,
        "all_answered_after_s": round(answered_after, 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--senders", type=int, default=20)
    parser.add_argument(
        "--workers", type=int, default=None, help="default: helpbot serve's (WEB_CONCURRENCY)"
    )
    parser.add_argument(
        "--rate",
        type=float,
        default=0.0,
        help="events per second in all (open loop); default: each sender as fast as acked",
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    from bot.cli.serve import default_workers

    result = run(args.events, args.senders, args.workers or default_workers(), args.rate)
    if args.json:
        print(json.dumps(result))
    else:
        print(
            f"{result['events']} signed DM events, {result['senders']} concurrent senders, "
            f"{result['workers']} gunicorn workers, rate: {result['rate']}\n"
            f"ack latency: p50 {result['ack_p50_ms']} ms, p99 {result['ack_p99_ms']} ms, "
            f"max {result['ack_max_ms']} ms\n"
            f"throughput: {result['events_per_s']} events/s acked "
            f"({result['acked']} acked, {len(result['errors'])} errors)\n"
            f"answered: {result['answered']} of {result['events']} "
            f"(last answer after {result['all_answered_after_s']} s)"
        )
    ok = result["answered"] == result["events"] and not result["errors"]
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
