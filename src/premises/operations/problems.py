"""Exit codes of the ``premises`` command and the one-line problem each stands for.

A ``Problem`` is what an operator must fix before a command can run (a setting, the database, the
data directory): one line saying what is wrong, which setting, and what to do. The command line
prints it on stderr and exits with its code. Codes are stable (scripts and container orchestrators
key on them): add, never renumber. docs/operations.md lists them.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    FAILED = 1  # the command was refused (a domain rule, a failed doctor check, a bad archive)
    USAGE = 2  # a wrong flag or argument (click's own code), e.g. --port 99999
    BAD_SETTING = 3  # a PREMISES_* variable holds a value Premises cannot use
    BAD_DATABASE_URL = 4  # PREMISES_DATABASE_URL is not a database URL Premises supports
    DATABASE_UNREACHABLE = 5  # no database server answers there, or it refuses the credentials
    DATABASE_MISSING = 6  # the server answers, but the database does not exist
    DATA_DIR_UNUSABLE = 7  # the data directory cannot be created, read or written
    SCHEMA_UNKNOWN = 8  # the database's schema is newer than this version of Premises (a downgrade)


class Problem(Exception):
    """Something the operator must fix; ``line`` is the whole message (no trailing newline)."""

    def __init__(self, code: ExitCode, line: str) -> None:
        super().__init__(line)
        self.code = code
        self.line = line
