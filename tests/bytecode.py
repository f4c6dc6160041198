"""The project's bytecode, compiled once by the xdist controller before it starts the workers.

A fresh clone has no `__pycache__` (and with PYTHONDONTWRITEBYTECODE set nothing is ever written there): each
worker compiles every module of the project and pytest rewrites the asserts of every test module again, about
5 s of CPU a worker, and each process a test starts (a Celery worker, `manage.py`) compiles the
project once more. Instead the controller writes the bytecode a process would: the project's modules with
`compileall`, the test modules rewritten as pytest's assertion rewriting caches them (its pyc, keyed by the
source's hash). A worker then reads them as it would its own earlier writes. Without xdist nothing here applies.
"""

import compileall
import fnmatch
import re
from pathlib import Path

import pytest

# What `compileall` leaves alone under the root: the virtualenv (compiled when installed), runtime data, Node.
_SKIPPED = re.compile(r"[/\\](\.venv|var|node_modules|\.git)[/\\]")


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    """Before xdist starts the workers (its own hook runs last)."""
    config = session.config
    if hasattr(config, "workerinput") or not getattr(config.option, "numprocesses", None):
        return
    compileall.compile_dir(config.rootpath, quiet=1, rx=_SKIPPED)
    if config.getoption("assertmode") == "rewrite":
        _rewrite_test_modules(config, _collected_files(config))


def _collected_files(config: pytest.Config) -> set[Path]:
    """The files the run may collect (its arguments: `tests`, or the folders and files asked for), and the
    conftests above them: rewriting the whole suite for a run of one file would cost more than it saves."""
    files = set()
    for arg in config.args:
        path = (config.invocation_params.dir / arg.split("::")[0]).resolve()
        files.update(path.rglob("*.py") if path.is_dir() else [path])
        files.update(parent / "conftest.py" for parent in path.parents if parent.is_relative_to(config.rootpath))
    return {path for path in files if path.is_file()}


def _rewrite_test_modules(config: pytest.Config, files: set[Path]) -> None:
    """The pyc pytest writes for a test module or conftest it rewrites, through pytest's own functions (private:
    when they are gone or changed, the workers simply rewrite the modules themselves, as they would anyway)."""
    try:
        from _pytest.assertion.rewrite import PYC_TAIL, _rewrite_test, _write_pyc, assertstate_key, get_cache_dir
    except ImportError:
        return
    patterns = config.getini("python_files")
    state = config.stash[assertstate_key]
    for path in sorted(files):
        if path.name != "conftest.py" and not any(fnmatch.fnmatch(path.name, pattern) for pattern in patterns):
            continue
        cache_dir = get_cache_dir(path)
        try:
            cache_dir.mkdir(exist_ok=True)
            source_hash, code = _rewrite_test(path, config)
            _write_pyc(state, code, source_hash, cache_dir / (path.name[:-3] + PYC_TAIL))
        except (SyntaxError, OSError, TypeError):
            continue  # the worker rewrites it and reports what is wrong, as without this
