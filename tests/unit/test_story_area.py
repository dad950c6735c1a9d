"""The story area over a real (in-memory) wallet: unlocks, batch discount, choices, ads, progress."""

from __future__ import annotations


import pytest

from coinloop.areas.story import EpisodeLocked
from coinloop.save import InsufficientFunds, records
from tests.conftest import fixture_session


@pytest.fixture
def story_session(tmp_path):
    """Tiny series: 3 episodes, 1 free (fixture economy.toml), prices 30 and 35; 40 starting coins."""
    s = fixture_session(tmp_path)
    yield s
    s.close()


def ledger(session) -> list[tuple[int, str, str | None]]:
    return [(e.amount, e.source, e.key) for e in reversed(session.wallet.history(limit=None))]


def events(session, type_: str) -> int:
    return session.wallet.conn.execute("SELECT count(*) FROM events WHERE type = ?", (type_,)).fetchone()[0]


def test_series_summary_shows_prices_up_front(story_session):
    (summary,) = story_session.story.series_list()
    assert (summary.id, summary.title, summary.episodes, summary.free) == ("tiny", "The Tiny Heist", 3, 1)
    assert (summary.next_locked, summary.next_price) == (2, 30)
    assert summary.cost_to_finish == 30 + 35
    assert summary.batch_price == (30 + 35) * 80 // 100
    rows = story_session.story.episode_rows("tiny")
    assert [(r.number, r.free, r.unlocked, r.price, r.state) for r in rows] == [
        (1, True, True, 0, "new"), (2, False, False, 30, "new"), (3, False, False, 35, "new")]


def test_unlock_spends_through_the_wallet_and_records_the_unlock(story_session):
    story = story_session.story
    with pytest.raises(EpisodeLocked):
        story.open_episode("tiny", 2)
    result = story.unlock("tiny", 2)
    assert (result.price, result.balance, result.already) == (30, 10, False)
    assert story.is_unlocked("tiny", 2)
    assert records.unlocked(story_session.wallet, "tiny") == {2: "coins"}
    assert ledger(story_session)[-1] == (-30, "unlock:tiny/2", "unlock:tiny/2")
    assert story_session.wallet.ledger_sum().total == story_session.wallet.balance().total == 10
    again = story.unlock("tiny", 2)
    assert again.already and again.price == 0 and story_session.wallet.balance().total == 10
    episode, resume = story.open_episode("tiny", 2)
    assert episode.title == "The Father" and resume == 0
    assert events(story_session, "unlock") == 1 and events(story_session, "episode_open") == 1


def test_insufficient_funds_changes_nothing(story_session):
    story = story_session.story
    story.unlock("tiny", 2)                       # 40 -> 10
    before = ledger(story_session)
    with pytest.raises(InsufficientFunds) as info:
        story.unlock("tiny", 3)
    assert info.value.shortfall == 25
    assert not story.is_unlocked("tiny", 3)
    assert ledger(story_session) == before
    assert records.unlocked(story_session.wallet, "tiny") == {2: "coins"}


def test_batch_unlock_takes_the_discount_and_unlocks_the_rest(story_session):
    story = story_session.story
    story_session.wallet.earn(100, "designer:grant")
    info = story.paywall("tiny", 2)
    assert (info.price, info.shortfall, info.batch_numbers, info.batch_price, info.batch_full_price) == (
        30, 0, (2, 3), 52, 65)
    result = story.batch_unlock("tiny")
    assert (result.numbers, result.price, result.balance) == ((2, 3), 52, 140 - 52)
    assert records.unlocked(story_session.wallet, "tiny") == {2: "batch", 3: "batch"}
    assert ledger(story_session)[-1] == (-52, "unlock-batch:tiny/2-3", "unlock-batch:tiny/2,3")
    assert story.batch_unlock("tiny").already
    assert story.summary("tiny").cost_to_finish == 0 and story.summary("tiny").next_price is None


def test_batch_unlock_short_changes_nothing(story_session):
    with pytest.raises(InsufficientFunds) as info:
        story_session.story.batch_unlock("tiny")
    assert info.value.shortfall == 52 - 40
    assert records.unlocked(story_session.wallet, "tiny") == {}


def test_series_yaml_overrides_free_episodes_and_prices(story_session):
    (story_session.content_dir / "series/tiny/series.yaml").write_text(
        "title: Tiny\nfree_episodes: 2\nprices:\n  base: 12\n")
    story = story_session.story
    assert story.is_unlocked("tiny", 2) and not story.is_unlocked("tiny", 3)
    assert story.price("tiny", 3) == 12


CHOICE_BLOCK = 4  # beats of 01-the-vault: text, text, ad, text, choice, text


def test_choice_reward_is_paid_once_and_the_pick_is_stored(story_session):
    story = story_session.story
    first = story.answer_choice("tiny", 1, CHOICE_BLOCK, 0)
    assert (first.option.text, first.reward, first.cost, first.balance) == ("The ledger", 5, 0, 45)
    assert first.option.reply == "It is heavier than it looks."
    second = story.answer_choice("tiny", 1, CHOICE_BLOCK, 1)
    assert second.already and second.option_index == 0 and second.reward == 0
    assert story.pick("tiny", 1, CHOICE_BLOCK) == 0
    assert [e for e in ledger(story_session) if e[1].startswith("choice:")] == [
        (5, "choice:tiny/1", "choice:tiny/1/4")]
    assert events(story_session, "choice") == 1


def test_premium_choice_spends_its_cost_and_still_earns_the_reward(story_session):
    result = story_session.story.answer_choice("tiny", 1, CHOICE_BLOCK, 2)
    assert (result.cost, result.reward, result.balance) == (20, 5, 40 - 20 + 5)
    assert ledger(story_session)[-2:] == [(-20, "premium:tiny/1", "premium:tiny/1/4"),
                                         (5, "choice:tiny/1", "choice:tiny/1/4")]


def test_premium_choice_short_changes_nothing(story_session):
    story = story_session.story
    story.unlock("tiny", 2)                       # 10 left, the premium option costs 20
    before = ledger(story_session)
    with pytest.raises(InsufficientFunds) as info:
        story.answer_choice("tiny", 1, CHOICE_BLOCK, 2)
    assert info.value.shortfall == 10
    assert ledger(story_session) == before and story.pick("tiny", 1, CHOICE_BLOCK) is None


def test_in_episode_ad_pays_once_through_the_earn_area(story_session):
    story = story_session.story
    offer = story.ad_offer("tiny", 1, 2)
    assert (offer.seconds, offer.reward, offer.pays, offer.vip) == (5, 10, True, False)
    entry = story.complete_ad("tiny", 1, 2)
    assert (entry.amount, entry.source, entry.key) == (10, "ad:tiny/1", "ad:tiny/1/2")
    assert story.ad_offer("tiny", 1, 2).already_paid and not story.ad_offer("tiny", 1, 2).pays
    assert story.complete_ad("tiny", 1, 2).replayed
    assert story_session.wallet.balance().total == 50


def test_progress_resumes_and_finishing_is_logged_once(story_session):
    story = story_session.story
    story.save_progress("tiny", 1, 3)
    assert story.open_episode("tiny", 1)[1] == 3
    story.save_progress("tiny", 1, 5, finished=True)
    story.save_progress("tiny", 1, 5, finished=True)
    assert events(story_session, "episode_finish") == 1
    assert story.open_episode("tiny", 1)[1] == 0          # a finished episode opens from the start
    assert [r.state for r in story.episode_rows("tiny")] == ["read", "new", "new"]


def test_wait_token_unlocks_without_coins(story_session):
    story = story_session.story
    assert story.unlock_with_token("tiny", 3)
    assert records.unlocked(story_session.wallet, "tiny") == {3: "wait"}
    assert story_session.wallet.balance().total == 40
