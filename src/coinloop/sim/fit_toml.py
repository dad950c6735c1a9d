"""Fitted personas as a commented personas.toml (`coinloop personas fit -o`): every value with the
number of players behind it and its uncertainty, or the prior it kept and why. The text is parsed back
with `personas.parse_personas` before anyone writes it, so `coinloop content check` accepts it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields

from coinloop.sim.fit import Fit
from coinloop.sim.personas import Dist, Persona, parse_personas

ORDER = [f.name for f in fields(Persona) if f.name not in ("id", "name")]


def _num(x: float) -> str:
    return f"{x:.4g}"


def _value(v: object) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, Dist):
        if v.kind == "fixed":
            return _num(v.a)
        if v.kind == "normal":
            return f"{{ mean = {_num(v.a)}, sd = {_num(v.b)} }}"
        return f"{{ median = {_num(v.a)}, spread = {_num(v.b)} }}"
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(f'"{g}"' for g in v) + "]"
    if isinstance(v, (int, float)):
        return _num(float(v))
    raise TypeError(f"cannot write {v!r}")


def _comment(text: str) -> str:
    """A comment stays one line of printable text (save names come from files)."""
    return "".join(c if c.isprintable() else "?" for c in text)


def _quote(text: str) -> str:
    return '"' + _comment(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def render(fits: Sequence[Fit], *, saves: int, refused: Sequence[str] = (), source: str = "") -> str:
    lines = [
        "# Personas fitted from playtest saves by `coinloop personas fit` (issue 23 section 3).",
        f"# {saves} save(s) fitted{' from ' + _comment(source) if source else ''}; "
        f"{len(refused)} refused (too little data or unreadable).",
        "# Each value's comment: the players behind it and its 95% interval, or `prior (<persona>)` when the",
        "# saves cannot inform it (the bundled persona nearest to the group keeps its value). Individual",
        "# keys are { mean, sd } over the group's players (sd net of each player's own estimation noise).",
        "# interest and wtp_usd are calibrated by simulating this persona until it matches the observed",
        "# days back after the install day (every day watched) and payer share. The key meanings are in",
        "# content/personas.toml.",
    ]
    for name in refused:
        lines.append(f"# refused: {_comment(name)}")
    for fit in fits:
        lines += ["", "[[personas]]", f"id = {_quote(fit.id)}", f"name = {_quote(fit.name)}",
                  f"# {len(fit.players)} save(s): {_comment(', '.join(fit.players))[:300]}",
                  f"# prior for what the saves cannot inform: bundled persona {_comment(fit.prior)!r}"]
        for key in ORDER:
            est = fit.values[key]
            lines.append(f"{key} = {_value(est.value)}  # {_comment(est.note)}")
    text = "\n".join(lines) + "\n"
    parse_personas(text, "fitted personas")      # a bug here is ours: never write a file check refuses
    return text
