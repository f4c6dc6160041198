"""Keeps one process of `make run` running, and says plainly when it had to start it again.

honcho stops every process as soon as one exits, so a worker that died used to take the web server and
beat down with it. Each Procfile line runs its command under this wrapper instead:

    python -m enablement.supervise --name worker -- celery -A enablement worker ...

When the command exits, for whatever reason and with whatever status, the wrapper logs what happened and
starts it again after a pause that doubles with each quick failure (1 s, 2 s, 4 s ... up to a minute) and
goes back to a second once a run has lasted a minute; the other processes keep running meanwhile. A
SIGTERM or SIGINT (honcho's Ctrl-C) is passed on to the command and stops the wrapper without a restart.
It reads no settings, so a broken one shows in the command's own output, once per restart.
"""

import argparse
import logging
import signal
import subprocess
import sys
import time

logger = logging.getLogger("enablement.supervise")

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


def restart_delay(quick_failures: int, *, first: float, longest: float) -> float:
    """The pause before the next start after `quick_failures` runs in a row that ended too soon (>= 1)."""
    return min(longest, first * 2 ** (quick_failures - 1))


def describe_exit(returncode: int) -> str:
    if returncode < 0:
        return f"was killed by {signal.Signals(-returncode).name}"
    return f"exited with status {returncode}"


class Supervisor:
    def __init__(
        self, *, name: str, command: list[str], first_delay: float, longest_delay: float, stable_after: float
    ) -> None:
        self.name = name
        self.command = command
        self.first_delay = first_delay
        self.longest_delay = longest_delay
        self.stable_after = stable_after
        self.stopping = False
        self.child: subprocess.Popen | None = None

    def stop(self, signum: int, frame: object) -> None:
        """Signal handler: pass the signal on and stop restarting. Under honcho the command has the signal
        already (honcho signals the whole process group); a second SIGTERM is harmless to each command."""
        self.stopping = True
        if self.child is not None and self.child.poll() is None:
            self.child.send_signal(signum)

    def run(self) -> int:
        quick_failures = 0
        while not self.stopping:
            started = time.monotonic()
            returncode = self._run_once()
            if self.stopping:
                break
            ran = time.monotonic() - started
            quick_failures = 1 if ran >= self.stable_after else quick_failures + 1
            delay = restart_delay(quick_failures, first=self.first_delay, longest=self.longest_delay)
            in_a_row = f" ({quick_failures} quick exits in a row)" if quick_failures > 1 else ""
            logger.error(
                "%s %s after %.1f s; starting it again in %g s%s. The other processes keep running.",
                self.name,
                describe_exit(returncode),
                ran,
                delay,
                in_a_row,
            )
            self._pause(delay)
        logger.info("%s stopped.", self.name)
        return 0

    def _run_once(self) -> int:
        try:
            self.child = subprocess.Popen(self.command)  # noqa: S603 (the Procfile line, from the developer)
        except OSError as error:
            logger.error("%s could not start: %s", self.name, error)
            return 127
        return self.child.wait()

    def _pause(self, seconds: float) -> None:
        """Sleeps, but wakes up at once when asked to stop."""
        deadline = time.monotonic() + seconds
        while not self.stopping and time.monotonic() < deadline:
            time.sleep(min(0.1, deadline - time.monotonic()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m enablement.supervise", description=__doc__.splitlines()[0])
    parser.add_argument("--name", required=True, help="what to call the command in the log (worker, web...)")
    parser.add_argument("--first-delay", type=float, default=1.0, help="seconds before the first restart")
    parser.add_argument("--longest-delay", type=float, default=60.0, help="the longest pause between restarts")
    parser.add_argument("--stable-after", type=float, default=60.0, help="a run this long resets the pause")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- then the command and its arguments")
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give the command to run after --")
    logging.basicConfig(stream=sys.stderr, level=logging.INFO, format="supervise: %(message)s")
    supervisor = Supervisor(
        name=args.name,
        command=command,
        first_delay=args.first_delay,
        longest_delay=args.longest_delay,
        stable_after=args.stable_after,
    )
    for signum in STOP_SIGNALS:
        signal.signal(signum, supervisor.stop)
    return supervisor.run()


if __name__ == "__main__":
    sys.exit(main())
