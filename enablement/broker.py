"""The embedded broker: kombu's filesystem transport, made safe for several processes on one folder.

Settings point Celery at `Transport` (CELERY_BROKER_TRANSPORT) while the URL stays `filesystem://`.
Two things in kombu's own channel (kombu 5.7) can take a worker down or run a task twice:

- It writes a message in place, under its final name, so a worker listing the folder can take the file
  while it is still empty or half written; the JSONDecodeError that follows stops the worker ("Unrecoverable
  error", kombu issue #1551). Here a message is written under a hidden temporary name in the same folder
  and renamed into place, which is atomic: a reader sees the whole file or no file.
- It claims a file by moving it to the system's temporary folder, a copy and a delete when that is another
  file system, so two workers can both read it. Here a worker claims a file by renaming it into `claimed/`
  beside the queue folder (same file system, atomic): exactly one worker wins, the others move on.

A claimed file that still cannot be read as a message (truncated, not JSON, not a kombu message: a disk
that filled up, a machine that lost power, a hand-made file) is moved to `corrupt/` beside the queue
folder with a warning, and the worker carries on with the next one; it is never fatal. Files are not
fsync'ed: the broker holds no data of its own (due work lives in the database and sweeps queue it again).
"""

import logging
import os
import uuid
from pathlib import Path
from queue import Empty
from time import monotonic_ns

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.encoding import bytes_to_str, str_to_bytes
from kombu.utils.json import dumps, loads

logger = logging.getLogger(__name__)

# What reading a damaged file can raise: JSONDecodeError and UnicodeDecodeError are ValueErrors, a
# JSON value that is not a message fails on a missing key or a wrong type, a bad body on base64.
UNREADABLE = (ValueError, TypeError, KeyError, AttributeError)


class Channel(filesystem.Channel):
    """kombu's filesystem channel with atomic writes, rename claims and damaged files moved aside."""

    @property
    def claimed_folder(self) -> Path:
        return self._sibling_folder("claimed_folder", "claimed")

    @property
    def corrupt_folder(self) -> Path:
        return self._sibling_folder("corrupt_folder", "corrupt")

    def _sibling_folder(self, option: str, name: str) -> Path:
        """A folder beside the queue folder (so on the same file system, where a rename is atomic),
        made if missing: a claim into a folder someone removed would look like a lost race forever."""
        folder = Path(self.transport_options.get(option) or Path(self.data_folder_in).parent / name)
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def _put(self, queue, payload, **kwargs):
        """Writes the message under a hidden name, then renames it into the queue: readers never see
        a partial file. Names sort oldest first: milliseconds as kombu writes them (so its readers and
        files agree), then the nanoseconds within, which keeps one sender's messages in order."""
        now = monotonic_ns()
        name = f"{now // 1_000_000}_{now % 1_000_000:06d}-{uuid.uuid4().hex}.{queue}.msg"
        folder = Path(self.data_folder_out)
        temporary = folder / f".{name}.part"  # never matches "<anything>.<queue>.msg"
        try:
            temporary.write_bytes(str_to_bytes(dumps(payload)))
            os.replace(temporary, folder / name)
        except OSError as exc:
            temporary.unlink(missing_ok=True)
            raise ChannelError(f"Cannot add file {name!r} to {folder}") from exc

    def _get(self, queue):
        """The oldest readable message of `queue`. A file another worker claimed first is skipped, and an
        unreadable one is moved aside; neither stops the worker."""
        wanted = f"{queue}.msg"
        claimed_folder = self.claimed_folder
        for name in sorted(os.listdir(self.data_folder_in)):  # oldest first: names start with milliseconds
            if name.partition(".")[2] != wanted:
                continue
            claimed = claimed_folder / name
            try:
                os.rename(Path(self.data_folder_in) / name, claimed)
            except FileNotFoundError:
                continue  # another worker took it
            except OSError as exc:
                raise ChannelError(f"Cannot claim {name!r} from the queue folder.") from exc
            payload = self._read_claimed(queue, claimed)
            if payload is not None:
                return payload
        raise Empty()

    def _read_claimed(self, queue: str, claimed: Path) -> dict | None:
        """The message in a file this worker claimed, or None when it cannot be read (then moved aside)."""
        data = b""
        try:
            data = claimed.read_bytes()
            payload = loads(bytes_to_str(data))
            self.Message(payload, channel=self)  # what the consumer will build: fail here, not there
        except (*UNREADABLE, OSError) as exc:
            self._move_aside(queue, claimed, size=len(data), error=exc)
            return None
        try:
            claimed.unlink()
        except OSError as exc:  # the message is read and will run; the file only takes room
            logger.warning("broker message file not removed: file=%s error=%r", claimed, exc)
        return payload

    def _move_aside(self, queue: str, claimed: Path, *, size: int, error: Exception) -> None:
        target = self.corrupt_folder / claimed.name
        try:
            os.replace(claimed, target)
        except OSError as exc:
            logger.error(
                "broker message unreadable and not moved aside: queue=%s file=%s error=%r move_error=%r",
                queue,
                claimed,
                error,
                exc,
            )
            return
        logger.warning(
            "broker message unreadable, moved aside: queue=%s file=%s size=%d error=%r",
            queue,
            target,
            size,
            error,
        )


class Transport(filesystem.Transport):
    """kombu's filesystem transport with the channel above; `filesystem://` URLs, the same options."""

    Channel = Channel
