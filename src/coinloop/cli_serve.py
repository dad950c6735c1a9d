"""`coinloop serve`: play coinloop in a browser (stakeholder demos), one app process per tab."""

from __future__ import annotations

from pathlib import Path

import click

from coinloop.cli import UserError, _check_index, content_option, friendly, save_option
from coinloop.paths import default_content, resolve_save
from coinloop.serve import DEFAULT_MAX_TABS


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but loopback also needs --allow-remote.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--allow-remote", is_flag=True,
              help="Allow a --host that other machines can reach (anyone on that network can play).")
@click.option("--max-tabs", default=DEFAULT_MAX_TABS, show_default=True, type=click.IntRange(1, 64),
              help="Most browser tabs (each its own game process) served at once; more get a 'tabs in use' page.")
@click.option("--demo", is_flag=True,
              help="Every browser tab gets its own fresh throwaway demo save, deleted when the tab closes.")
@save_option
@content_option
@friendly
def serve(host: str, port: int, allow_remote: bool, max_tabs: int, demo: bool, save: str | None, content: Path | None) -> None:
    """Serve the game to web browsers (textual-serve); stop with ctrl+c.

    Without --demo every tab plays the same save (default saves/default.db); the wallet stays
    consistent when several tabs spend at once. Open the printed URL: its ?token= part is what lets
    a tab play, so other web pages cannot.
    """
    from coinloop.serve import ServeConfig, is_loopback
    from coinloop.serve.run import serve as run

    if demo and save is not None:
        raise UserError("--demo gives every tab its own throwaway save; leave out --save")
    if not is_loopback(host):
        if not allow_remote:
            raise UserError(f"refusing to listen on {host}: other machines could reach it; "
                            f"pass --allow-remote to let anyone on that network play")
        click.echo(f"warning: listening on {host}: anyone who can reach this machine on port {port} "
                   f"can play{'' if demo else ' and spend coins from ' + str(resolve_save(save))}", err=True)
    _check_index(content)  # refuse broken content here, once, not in every tab
    shared = None
    if not demo:
        from coinloop.session import Session

        shared = resolve_save(save).resolve()
        Session.open(shared, content or default_content()).close()  # refuse a bad save up front
    run(ServeConfig(host=host, port=port, demo=demo, save=shared, max_tabs=max_tabs,
                    content=content.resolve() if content else None))

