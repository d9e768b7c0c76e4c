"""Run pytest with the system clock moved ahead: `python tests/run_in_future.py DAYS [ARGS...]`.

Every process the suite starts (gunicorn, `helpbot socket`, multiprocessing children) inherits
the shift, so a test that reads today's date anywhere fails here. Only the date moves: the
monotonic clock stays real, or every timed wait (`Event.wait(5)`) would last the shift.

The preload library is the libfaketime that the `libfaketime` dev dependency ships (locked and
hashed like everything else). Debian bookworm's faketime 0.9.10 cannot run this suite: with the
monotonic clock excluded it makes Python 3.11's `time.sleep` fail with EINVAL (libfaketime
issue #426), and without that exclusion every `Event.wait(timeout)` hangs (issue #390).
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import libfaketime


def future_environment(days: int) -> dict[str, str]:
    """This process's environment plus the preload that moves the clock `days` ahead."""
    _needs_reload, additions = libfaketime.get_reload_information()
    env = {**os.environ, **additions}
    env.update(FAKETIME=f"+{days}d", FAKETIME_DONT_FAKE_MONOTONIC="1", DONT_FAKE_MONOTONIC="1")
    env.pop("TEST_DATABASE_URL", None)  # SQLite only: PostgreSQL's clock does not move
    return env


def check_the_clock_moved(env: dict[str, str], days: int) -> None:
    """Refuse to report a pass if the preload did not take (another platform, say)."""
    probe = "import time, datetime; time.sleep(0.01); print(datetime.datetime.now().timestamp())"
    shown = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True
    )
    moved = datetime.fromtimestamp(float(shown.stdout), UTC) - datetime.now(UTC)
    if moved < timedelta(days=days - 1):
        sys.exit(f"run_in_future: the clock did not move {days} days ahead ({moved}); stopping")


def main(argv: list[str]) -> int:
    """Check the shift works, then run pytest under it; returns pytest's exit status."""
    if not argv or not argv[0].isdigit():
        sys.exit("usage: python tests/run_in_future.py DAYS [PYTEST ARGS...]")
    days, pytest_args = int(argv[0]), argv[1:]
    env = future_environment(days)
    check_the_clock_moved(env, days)
    print(f"run_in_future: the system clock is {days} days ahead for this run", flush=True)
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *pytest_args]
    return subprocess.run(command, env=env, check=False).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
