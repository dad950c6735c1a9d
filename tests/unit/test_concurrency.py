"""Two OS processes spending from one save at once: no overdraft, no lost entry, no lock error."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from coinloop.clock import FixedClock
from coinloop.economy.config import WalletConfig
from coinloop.wallet import Wallet

WORKER = textwrap.dedent(
    """
    import sys
    from coinloop.economy.config import WalletConfig
    from coinloop.wallet import InsufficientFunds, Wallet
    w = Wallet.open(sys.argv[1], config=WalletConfig(starting_balance=0))
    ok = short = 0
    for i in range(500):
        try:
            w.spend(1, "spend:" + sys.argv[2], key=sys.argv[2] + ":" + str(i))
            ok += 1
        except InsufficientFunds:
            short += 1
    print(ok, short)
    """
)


def test_two_processes_never_overdraw(tmp_path):
    path = tmp_path / "shared.db"
    w = Wallet.open(path, clock=FixedClock(), config=WalletConfig(starting_balance=0))
    w.earn(700, "seed")  # covers 700 of the 1000 attempted spends
    w.close()
    procs = [
        subprocess.Popen([sys.executable, "-c", WORKER, str(path), name],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for name in ("a", "b")
    ]
    results = []
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
        assert "locked" not in err
        results.append(tuple(int(x) for x in out.split()))
    spent = sum(ok for ok, _ in results)
    assert spent == 700
    assert sum(ok + short for ok, short in results) == 1000
    w = Wallet.open(path, config=WalletConfig(starting_balance=0))
    assert w.balance().total == 0
    assert len(w.history(limit=None, source_prefix="spend:")) == 700
    assert w.ledger_sum() == w.balance()
