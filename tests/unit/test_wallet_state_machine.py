"""Random sequences of earn/spend/expire/advance-clock keep the wallet's invariants after every step."""

from __future__ import annotations

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from coinloop.clock import FixedClock
from coinloop.economy.model import WalletConfig
from coinloop.save import InsufficientFunds, Wallet
from coinloop.save.chain import check_tail, verify

KEYS = st.one_of(st.none(), st.sampled_from(["k1", "k2", "k3", "k4"]))


class WalletMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.clock = FixedClock()
        self.wallet = Wallet.memory(self.clock, WalletConfig(starting_balance=0, bonus_expiry_days=3))
        self.seen_keys: dict[str, int] = {}

    @rule(amount=st.integers(1, 200), coin_type=st.sampled_from(["paid", "bonus"]), key=KEYS)
    def earn(self, amount, coin_type, key):
        e = self.wallet.earn(amount, "earn", coin_type=coin_type, key=key)
        self._check_key(key, e)

    @rule(amount=st.integers(1, 300), key=KEYS)
    def spend(self, amount, key):
        before = self.wallet.balance()
        n_before = len(self.wallet.history(limit=None))
        try:
            e = self.wallet.spend(amount, "spend", key=key)
        except InsufficientFunds as exc:
            # nothing changed except expiry entries recorded at the start of the transaction
            assert exc.shortfall == amount - self.wallet.balance().total > 0
            new = self.wallet.history(limit=None)[: len(self.wallet.history(limit=None)) - n_before]
            assert all(x.source == "expire" for x in new)
            assert self.wallet.balance().paid == before.paid
            return
        self._check_key(key, e)

    @rule()
    def expire(self):
        for e in self.wallet.expire():
            assert e.source == "expire" and e.bonus < 0 and e.paid == 0

    @rule(hours=st.integers(1, 72))
    def advance(self, hours):
        self.clock.advance(hours=hours)

    def _check_key(self, key, entry):
        if key is None:
            return
        if key in self.seen_keys:
            assert entry.replayed and entry.id == self.seen_keys[key]
        else:
            self.seen_keys[key] = entry.id

    @invariant()
    def balance_matches_ledger(self):
        bal = self.wallet.balance()
        assert self.wallet.ledger_sum() == bal
        assert bal.paid >= 0 and bal.bonus >= 0

    @invariant()
    def bonus_lots_match_bonus_balance(self):
        (lots,) = self.wallet.conn.execute("SELECT COALESCE(SUM(remaining), 0) FROM bonus_lots").fetchone()
        assert lots == self.wallet.balance().bonus

    @invariant()
    def trigger_kept_aggregates_match_the_ledger(self):
        # flows and source_totals against the same sums recomputed from the ledger
        assert verify(self.wallet.conn).problems == []
        assert sum(f.earned - f.spent for f in self.wallet.flows()) == self.wallet.balance().total
        assert check_tail(self.wallet.conn, 2) is None

    @invariant()
    def keys_unique(self):
        keys = [e.key for e in self.wallet.history(limit=None) if e.key]
        assert len(keys) == len(set(keys))

    @invariant()
    def running_balance_consistent(self):
        entries = list(reversed(self.wallet.history(limit=None)))
        paid = bonus = 0
        for e in entries:
            paid += e.paid
            bonus += e.bonus
            assert (e.paid_after, e.bonus_after, e.balance_after) == (paid, bonus, paid + bonus)


WalletMachine.TestCase.settings = settings(max_examples=60, stateful_step_count=40, deadline=None)
TestWalletMachine = WalletMachine.TestCase
