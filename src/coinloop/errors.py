"""Errors a user can see. Each renders as one line; none should reach the user as a traceback."""

from __future__ import annotations

from pathlib import Path

from coinloop.datarecord import datarecord


class CoinloopError(Exception):
    """Base for every error the CLI turns into a clean message and a non-zero exit."""


class ConfigError(CoinloopError):
    """A problem in a designer-edited file, located as `path:line: message`."""

    def __init__(self, path: str | Path, line: int | None, message: str) -> None:
        self.path = str(path)
        self.line = line
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


class EconomyErrors(ConfigError):
    """Every error of one economy file. It is a ConfigError (path, line and message of the first one), so
    `except ConfigError` still catches it; `errors` holds them all and str() shows them all, one a line."""

    def __init__(self, errors: list[ConfigError]) -> None:
        first = errors[0]
        self.errors = list(errors)
        super().__init__(first.path, first.line, first.message)

    def __str__(self) -> str:
        return "\n".join(ConfigError.__str__(e) for e in self.errors)


@datarecord
class ConfigWarning:
    """A legal but suspicious value in a designer-edited file: reported, never refused."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: warning: {self.message}"


class ConfigErrors(CoinloopError):
    """Several located errors at once (content check reports every one)."""

    def __init__(self, errors: list[ConfigError]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


class SaveError(CoinloopError):
    """A save file that cannot be used: foreign, corrupt, newer, locked. The file is left untouched."""
