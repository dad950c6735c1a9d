"""`coinloop serve` options, without a browser: loopback by default, refusals before anything listens."""

from __future__ import annotations

import os
import shlex
import socket
import subprocess
import sys

import pytest
from click.testing import CliRunner

import coinloop.serve
import coinloop.serve.run
from coinloop.cli import cli
from coinloop.serve import ServeConfig, is_loopback


@pytest.fixture
def served(monkeypatch):
    """Runs `coinloop serve ARGS` with the server replaced by a recorder: (result, configs served)."""
    configs: list[ServeConfig] = []
    monkeypatch.setattr(coinloop.serve.run, "serve", configs.append)

    def run(*args: str):
        result = CliRunner().invoke(cli, ["serve", *args])
        assert "Traceback" not in result.output
        return result, configs

    return run


@pytest.mark.parametrize(("host", "loopback"), [
    ("127.0.0.1", True), ("127.0.0.2", True), ("::1", True), ("[::1]", True), ("localhost", True),
    ("0.0.0.0", False), ("::", False), ("192.168.1.20", False), ("demo.example.com", False),
])
def test_is_loopback(host, loopback):
    assert is_loopback(host) is loopback


def test_default_is_loopback_demo_needs_no_flag(served):
    result, configs = served("--demo")
    assert result.exit_code == 0, result.output
    [config] = configs
    assert (config.host, config.port, config.demo, config.url) == ("127.0.0.1", 8000, True, "http://127.0.0.1:8000")
    assert "warning" not in result.output


def test_max_tabs_reaches_the_server_and_each_run_has_its_own_token(served):
    result, configs = served("--demo", "--max-tabs", "3")
    assert result.exit_code == 0, result.output
    assert configs[0].max_tabs == 3
    assert served("--demo")[1][1].max_tabs == 8                       # the default
    first, second = ServeConfig(), ServeConfig()
    assert first.token != second.token and len(first.token) >= 32
    assert first.page_url == f"http://127.0.0.1:8000/?token={first.token}"
    assert first.token not in repr(first)                              # never in a log line by accident


def test_other_host_refused_without_allow_remote(served):
    result, configs = served("--demo", "--host", "0.0.0.0")
    assert result.exit_code == 1 and configs == []
    assert "refusing to listen on 0.0.0.0" in result.output and "--allow-remote" in result.output


def test_allow_remote_warns_who_can_play(served, tmp_path):
    save = tmp_path / "shared.db"
    result, configs = served("--host", "0.0.0.0", "--port", "8080", "--allow-remote", "--save", str(save))
    assert result.exit_code == 0, result.output
    assert "warning: listening on 0.0.0.0: anyone who can reach this machine on port 8080 can play" in result.output
    assert str(save) in result.output                        # ... and spend from this save
    assert configs[0].save == save.resolve() and not configs[0].demo


def test_demo_and_save_together_refused(served, tmp_path):
    result, configs = served("--demo", "--save", str(tmp_path / "x.db"))
    assert result.exit_code == 1 and configs == [] and "leave out --save" in result.output


def test_damaged_save_refused_before_serving(served, tmp_path):
    save = tmp_path / "notes.db"
    save.write_bytes(b"not a database at all" * 10)
    result, configs = served("--save", str(save))
    assert result.exit_code == 1 and configs == []
    assert "not a coinloop save" in result.output
    assert save.read_bytes() == b"not a database at all" * 10


def test_broken_content_refused_before_serving(served, tmp_path):
    (tmp_path / "economy.toml").write_text("[wallet\n")
    result, configs = served("--demo", "--content", str(tmp_path))
    assert result.exit_code == 1 and configs == []
    assert "economy.toml" in result.output


def test_tab_command_runs_the_app_directly(tmp_path):
    """One process per tab, no shell in between (so signals reach it); demo tabs keep their saves
    under the server's folder; a shared save path survives spaces."""
    demo = ServeConfig(demo=True).tab_command(tmp_path / "root dir")
    assert demo.startswith(f"TMPDIR={shlex.quote(str(tmp_path / 'root dir'))} exec ")
    assert shlex.split(demo)[-3:] == ["-m", "coinloop.serve", "demo"]
    shared = ServeConfig(save=tmp_path / "my save.db", content=tmp_path / "c").tab_command(None)
    assert shlex.split(shared)[1:] == [sys.executable, "-m", "coinloop.serve", "play", "--save",
                                       str(tmp_path / "my save.db"), "--content", str(tmp_path / "c")]


def test_tab_process_exits_when_started_without_its_server(tmp_path):
    """A tab whose server is already gone (not its parent) ends at once, before opening any save."""
    save = tmp_path / "orphan.db"
    env = {"COINLOOP_SERVE_PARENT": "1", "PATH": "/usr/bin:/bin"}   # pid 1 is not our parent
    done = subprocess.run([sys.executable, "-m", "coinloop.serve", "play", "--save", str(save)],
                          env=env, capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)
    assert done.returncode == 0 and not save.exists()


def test_port_in_use_is_one_clean_line(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-c", "from coinloop.cli import main; main()", "serve", "--demo", "--port", str(port)],
            capture_output=True, text=True, timeout=60, env=dict(os.environ, TMPDIR=str(tmp_path)),
        )
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith(f"cannot listen on http://127.0.0.1:{port}: ")
    assert "coinloop serving on" not in done.stdout           # never claims to serve what it cannot
    assert list(tmp_path.iterdir()) == []                     # its demo folder is gone too
