"""Errors the user sees as one line; the CLI maps each to an exit code."""

from __future__ import annotations


class ObserveError(Exception):
    """A failure worth one clear line to the user (exit 1)."""

    exit_code = 1


class UsageError(ObserveError):
    """Bad usage or bad input: a malformed file, an unknown id (exit 2)."""

    exit_code = 2


class FrameworkError(UsageError):
    """A framework file that does not parse or validate; the message names file, line, field."""


class SessionUnreadable(UsageError):
    """A session file that does not parse or validate; it is never modified."""


class SessionLocked(ObserveError):
    """The session is open for editing in another instance."""


class NotFound(UsageError):
    """No session, framework or facilitator matches what was asked for."""


class NotWritable(ObserveError):
    """The folder a change would go to cannot be written (a read-only workspace)."""
