"""ReloadErrors: the panel that shows why a live reload was refused, every `path:line: message` line.

A screen mounts one when the workbench first reports errors (`screens/base.py`); it stays, hidden,
once a good edit clears them. Content is shown literally (an error can quote the file).
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

TITLE = "Content errors: the last good economy and content stay in force"


class ReloadErrors(Static):
    DEFAULT_CSS = """
    ReloadErrors { dock: bottom; height: auto; max-height: 50%; width: 1fr; margin: 0 0 1 0;
        padding: 0 1; background: $error 15%; border-left: thick $error; color: $text; display: none; }
    ReloadErrors.-shown { display: block; }
    """

    def show(self, errors: tuple[str, ...]) -> None:
        self.set_class(bool(errors), "-shown")
        if errors:
            self.update(Text.assemble((TITLE, "bold"), "\n", "\n".join(errors)))
