"""Logging filters (`LOGGING` in settings)."""

import logging


class OneLineClientErrors(logging.Filter):
    """On `django.request`: a 4xx Django logs with its exception (every PermissionDenied, BadRequest or
    unreadable multipart body) becomes one line, with the exception's message and without its traceback. A
    refusal is the caller's doing and the traceback only says where it was refused; a 5xx keeps its own."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if record.exc_info and isinstance(status, int) and 400 <= status < 500:
            reason = str(record.exc_info[1] or "")
            if reason and isinstance(record.args, tuple) and reason not in record.getMessage():
                # Escaped like Django escapes the path: a message may carry what the caller sent.
                record.msg = f"{record.msg} (%s)"
                record.args = (*record.args, reason.encode("unicode_escape").decode("ascii"))
            record.exc_info = None
            record.exc_text = None
        return True
