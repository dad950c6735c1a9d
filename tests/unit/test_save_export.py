"""Exporting the ledger: the exact text of the JSON and CSV formats and the row counts they return.
"""

from __future__ import annotations


import pytest

from coinloop.economy.model import WalletConfig
from coinloop.save import Wallet

NO_START = WalletConfig(starting_balance=0)


@pytest.fixture
def wallet(clock):
    w = Wallet.memory(clock=clock, config=NO_START)
    yield w
    w.close()


# --- export: the exact text of both formats ---------------------------------------------------------

def test_json_export_is_an_indented_sorted_array_and_returns_the_count(wallet, clock):
    import io

    from coinloop.save.export import write_export

    wallet.earn(5, "x")
    clock.advance(seconds=1)
    wallet.spend(2, "y", key="k", meta={"b": 1, "a": 2})
    out = io.StringIO()
    assert write_export(wallet, "json", out) == 2
    assert out.getvalue() == (
        '[\n'
        '  {\n'
        '    "amount": 5,\n'
        '    "balance_after": 5,\n'
        '    "bonus": 5,\n'
        '    "coin_type": "bonus",\n'
        '    "id": 1,\n'
        '    "key": null,\n'
        '    "meta": null,\n'
        '    "paid": 0,\n'
        '    "source": "x",\n'
        '    "ts": "2026-03-02T20:00:00+00:00"\n'
        '  },\n'
        '  {\n'
        '    "amount": -2,\n'
        '    "balance_after": 3,\n'
        '    "bonus": -2,\n'
        '    "coin_type": "bonus",\n'
        '    "id": 2,\n'
        '    "key": "k",\n'
        '    "meta": {\n'
        '      "a": 2,\n'
        '      "b": 1\n'
        '    },\n'
        '    "paid": 0,\n'
        '    "source": "y",\n'
        '    "ts": "2026-03-02T20:00:01+00:00"\n'
        '  }\n'
        ']\n')


def test_an_empty_ledger_exports_an_empty_json_array_and_a_csv_header(wallet):
    import io

    from coinloop.save.export import write_export

    out = io.StringIO()
    assert write_export(wallet, "json", out) == 0
    assert out.getvalue() == "[]\n"
    out = io.StringIO()
    assert write_export(wallet, "csv", out) == 0
    assert out.getvalue() == "id,ts,amount,coin_type,paid,bonus,source,key,balance_after,meta\n"


def test_csv_export_has_unix_line_ends_and_returns_the_count(wallet, clock):
    import io

    from coinloop.save.export import write_export

    wallet.earn(7, "shop:pouch", coin_type="paid", key="p1")
    wallet.earn(3, "ad:hub", meta={"n": 1})
    out = io.StringIO()
    assert write_export(wallet, "csv", out) == 2
    assert out.getvalue() == (
        "id,ts,amount,coin_type,paid,bonus,source,key,balance_after,meta\n"
        "1,2026-03-02T20:00:00+00:00,7,paid,7,0,shop:pouch,p1,7,\n"
        '2,2026-03-02T20:00:00+00:00,3,bonus,0,3,ad:hub,,10,"{""n"": 1}"\n')
