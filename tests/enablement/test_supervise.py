"""The wrapper that keeps each `make run` process running (enablement/supervise.py): a command that
exits is started again with a growing pause and a plain message; SIGTERM or SIGINT stops it for good."""

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from enablement.supervise import describe_exit, restart_delay

ROOT = Path(__file__).resolve().parents[2]

# Counts its starts in a file; exits with status 1 the first two times, then runs until signalled.
FLAKY = """
import pathlib, sys, time
starts = pathlib.Path(sys.argv[1])
count = int(starts.read_text() or 0) + 1 if starts.exists() else 1
starts.write_text(str(count))
if count <= 2:
    sys.exit(1)
pathlib.Path(sys.argv[1] + ".up").write_text("up")
time.sleep(60)
"""


class Supervised:
    """The wrapper running `command`, its messages in a file the test can read while it runs."""

    def __init__(self, tmp_path: Path, *command: str, first_delay: float = 0.1) -> None:
        self.log_file = tmp_path / "supervise.log"
        with self.log_file.open("w") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "enablement.supervise",
                    "--name",
                    "worker",
                    "--first-delay",
                    str(first_delay),
                    "--",
                    *command,
                ],
                cwd=ROOT,
                stderr=log,
            )

    def log(self) -> str:
        return self.log_file.read_text()

    def stop(self, signum: int = signal.SIGTERM) -> str:
        self.process.send_signal(signum)
        self.process.wait(timeout=30)
        return self.log()


def _wait_until(condition, timeout: float = 30) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_restart_delay_doubles_up_to_the_longest():
    delays = [restart_delay(failures, first=1, longest=60) for failures in range(1, 9)]
    assert delays == [1, 2, 4, 8, 16, 32, 60, 60]


def test_describe_exit_names_the_status_or_the_signal():
    assert describe_exit(1) == "exited with status 1"
    assert describe_exit(0) == "exited with status 0"
    assert describe_exit(-signal.SIGKILL) == "was killed by SIGKILL"


def test_a_command_that_exits_non_zero_is_started_again_until_it_stays_up(tmp_path):
    # Given a command that fails twice, then stays up
    starts = tmp_path / "starts"
    supervised = Supervised(tmp_path, sys.executable, "-c", FLAKY, str(starts))
    try:
        # When the wrapper runs it
        up = _wait_until(lambda: (tmp_path / "starts.up").exists())
        # Then it was started three times and the wrapper is still running
        assert up, supervised.log()
        assert starts.read_text() == "3"
        assert supervised.process.poll() is None
    finally:
        # And a SIGTERM stops the command and the wrapper, without another start
        log = supervised.stop()
    assert supervised.process.returncode == 0
    assert starts.read_text() == "3"
    assert log.count("supervise: worker exited with status 1 after") == 2
    assert "worker exited with status 1 after" in log
    assert "starting it again in 0.1 s. The other processes keep running." in log
    assert "starting it again in 0.2 s (2 quick exits in a row). The other processes keep running." in log
    assert log.rstrip().endswith("supervise: worker stopped.")


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_stop_signal_reaches_the_command_and_nothing_starts_again(tmp_path, stop):
    starts = tmp_path / "starts"
    starts.write_text("2")  # the next start is the one that stays up
    supervised = Supervised(tmp_path, sys.executable, "-c", FLAKY, str(starts))
    assert _wait_until(lambda: (tmp_path / "starts.up").exists())

    stopped_at = time.monotonic()
    log = supervised.stop(stop)

    assert time.monotonic() - stopped_at < 5, "the command should have had the signal, not run out its sleep"
    assert supervised.process.returncode == 0
    assert starts.read_text() == "3"
    assert "exited" not in log


def test_a_stop_during_the_pause_ends_the_wait(tmp_path):
    # Given a command that keeps failing, and a long pause before the next start
    supervised = Supervised(tmp_path, sys.executable, "-c", "import sys; sys.exit(3)", first_delay=60)
    assert _wait_until(lambda: "starting it again in 60 s" in supervised.log())

    # When the wrapper is stopped while it waits
    stopped_at = time.monotonic()
    log = supervised.stop()

    # Then it stops at once, without starting the command again
    assert time.monotonic() - stopped_at < 5
    assert log.count("exited with status 3") == 1


def test_a_command_that_cannot_start_is_reported_and_tried_again(tmp_path):
    supervised = Supervised(tmp_path, str(tmp_path / "no-such-program"))
    tried_twice = _wait_until(lambda: supervised.log().count("exited with status 127") >= 2)
    log = supervised.stop()

    assert tried_twice, log
    assert "supervise: worker could not start: [Errno 2] No such file or directory" in log
