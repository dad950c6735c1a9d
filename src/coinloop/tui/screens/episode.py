"""EpisodeScreen: beats revealed one at a time, auto-play, progress with time left, resume; ad and
choice beats open their modals; the cliffhanger is emphasised and leads to the next episode or its
paywall."""

from __future__ import annotations

from typing import TYPE_CHECKING

from markdown_it import MarkdownIt
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import ProgressBar, Static

from coinloop.core.rules import format_duration
from coinloop.errors import ConfigErrors
from coinloop.story.format import AdBeat, Beat, ChoiceBeat
from coinloop.story.player import EpisodePlayer
from coinloop.tui.screens.base import CoinloopScreen
from coinloop.tui.text import assemble, clean, plain
from coinloop.tui.widgets.topbar import TopBar

if TYPE_CHECKING:
    from coinloop.areas.story import StoryArea

_INLINE = MarkdownIt("commonmark")
_STYLES = {"em": "italic", "strong": "bold", "s": "strike"}
AUTO_TICK = 0.25


def inline_text(source: str, style: str = "") -> Text:
    """A paragraph's inline Markdown (*em*, **strong**, `code`) as Rich Text."""
    text = Text(style=style)
    stack: list[str] = []
    for token in _INLINE.parseInline(source)[0].children or []:
        kind = token.type
        if kind.endswith("_open") and kind[:-5] in _STYLES:
            stack.append(_STYLES[kind[:-5]])
        elif kind.endswith("_close") and kind[:-6] in _STYLES and stack:
            stack.pop()
        elif kind in ("softbreak", "hardbreak"):
            text.append(" ")
        elif token.content:
            text.append(clean(token.content), style=" ".join(stack) or None)
    return text


def picked_text(beat: ChoiceBeat, picked: int) -> Text:
    option = beat.options[picked]
    return assemble(f"? {beat.prompt}\n→ ", (option.text, "bold"), f" · {option.reply}")


class EpisodeScreen(CoinloopScreen):
    HELP = ('The reader: an episode beat by beat, with prompts and ad breaks inside. The last beat is the '
            'cliffhanger; the next episode may be behind the paywall.')
    CSS_PATH = "episode.tcss"
    BINDINGS = [
        Binding("space", "next", "Next", id="reader.next"),
        Binding("enter", "next", "Next", show=False),
        Binding("p", "autoplay", "Auto-play", id="reader.autoplay"),
        Binding("escape", "back", "Back", id="reader.back"),
    ]

    def __init__(self, series_id: str, number: int, *, at_cliffhanger: bool = False) -> None:
        super().__init__()
        self.series_id, self.number = series_id, number
        self.at_cliffhanger = at_cliffhanger  # open at the last beat, then the next episode's paywall
        self.player: EpisodePlayer | None = None
        self.autoplay = False
        self.waiting = False            # a modal (ad, choice, paywall) is open
        self.pending_choice = False     # a choice was postponed: the next key re-opens it
        self.linger = 0.0

    @property
    def story(self) -> "StoryArea":   # the session's
        return self.session.story

    def compose_body(self) -> ComposeResult:
        yield VerticalScroll(id="beats")
        with Horizontal(id="reader-status"):
            yield ProgressBar(show_eta=False, show_percentage=True, id="reader-progress")
            yield Static(id="time-left")
            yield Static(id="auto")

    def on_mount(self) -> None:
        try:
            episode, resume = self.story.open_episode(self.series_id, self.number)
            if self.at_cliffhanger:
                resume = len(episode.beats) - 1
        except ConfigErrors as exc:
            self.query_one("#beats").mount(Static(plain("This episode's file has errors:\n" + "\n".join(
                str(e) for e in exc.errors)), classes="beat -error"))
            return
        self.episode = episode
        series = self.story.series(self.series_id)
        self.query_one(TopBar).set_where(f"{series.title} · Episode {self.number}: {episode.title}")
        self.player = EpisodePlayer(episode, resume, ad_seconds=self.session.economy.ads.seconds)
        beats = self.query_one("#beats")
        for index, beat in enumerate(self.player.revealed):
            beats.mount(self.beat_view(index, beat))
        self.query_one("#reader-progress", ProgressBar).update(total=len(episode.beats))
        self.timer = self.set_interval(AUTO_TICK, self.auto_tick, pause=True)
        self.show_status()
        self.enter_beat(self.player.position, first=True)
        if self.at_cliffhanger and self.player.finished:
            self.call_after_refresh(self.after_cliffhanger)

    # --- views ------------------------------------------------------------------------------------
    def beat_view(self, index: int, beat: Beat) -> Static:
        assert self.player is not None
        last = index == len(self.episode.beats) - 1
        if isinstance(beat, AdBeat):
            return Static("▶ Ad break", id=f"beat-{index}", classes="beat -ad")
        if isinstance(beat, ChoiceBeat):
            view = Static(plain(f"? {beat.prompt}"), id=f"beat-{index}", classes="beat -choice")
            prior = self.story.pick(self.series_id, self.number, index)
            if prior is not None:
                view.update(picked_text(beat, prior))
            return view
        return Static(inline_text(beat.text), id=f"beat-{index}", classes="beat -cliffhanger" if last else "beat")

    def note(self, index: int, text: str | Text) -> None:
        self.query_one(f"#beat-{index}", Static).update(plain(text) if isinstance(text, str) else text)

    def show_status(self) -> None:
        assert self.player is not None
        wpm = self.session.economy.episodes.reading_wpm
        self.query_one("#reader-progress", ProgressBar).update(progress=self.player.position + 1)
        left = "cliffhanger" if self.player.finished else f"{format_duration(round(self.player.seconds_left(wpm)))} left"
        self.query_one("#time-left", Static).update(left)
        self.query_one("#auto", Static).update(f"auto {wpm} wpm" if self.autoplay else "")

    # --- moving -----------------------------------------------------------------------------------
    def action_next(self) -> None:
        if self.player is None or self.waiting:
            return
        if self.pending_choice:
            self.enter_beat(self.player.position)
            return
        if self.player.finished:
            self.after_cliffhanger()
            return
        beat = self.player.advance()
        assert beat is not None
        index = self.player.position
        self.query_one("#beats").mount(self.beat_view(index, beat))
        self.story.save_progress(self.series_id, self.number, index, finished=self.player.finished)
        self.session.telemetry.beat_reached(self.series_id, self.number, index, len(self.episode.beats))
        self.show_status()
        self.enter_beat(index)

    def enter_beat(self, index: int, first: bool = False) -> None:
        assert self.player is not None
        beat = self.episode.beats[index]
        self.linger = 0.0
        if isinstance(beat, AdBeat):
            if not first:
                self.play_ad(index)
        elif isinstance(beat, ChoiceBeat):
            self.ask(index, beat)
        elif self.player.finished:
            self.stop_autoplay()
            self.show_end_card()
        scroll = self.query_one("#beats", VerticalScroll)
        self.call_after_refresh(scroll.scroll_end, animate=False)

    def play_ad(self, index: int) -> None:
        from coinloop.tui.screens.ad_break import AdBreakScreen

        offer = self.story.ad_offer(self.series_id, self.number, index)
        if offer.already_paid or offer.reward <= 0:
            self.note(index, "▶ Ad break · reward already collected")
            return
        if not offer.status.ready:
            why = ("today's ad rewards are used up" if not offer.status.left_today
                   else f"next paid ad in {format_duration(offer.status.wait_seconds)}")
            self.note(index, f"▶ Ad break skipped · {why}")
            return

        def done(watched: bool | None) -> None:
            self.waiting = False
            paid = self.story.ad_offer(self.series_id, self.number, index).already_paid
            self.note(index, f"▶ Ad break · +{offer.reward} coins" if paid else "▶ Ad break · skipped, no reward")

        self.waiting = True
        self.app.push_screen(AdBreakScreen(
            seconds=offer.seconds, reward=offer.reward, vip=offer.vip, creative=self.session.earn.next_creative(),
            on_complete=lambda: self.story.complete_ad(self.series_id, self.number, index)), done)

    def ask(self, index: int, beat: ChoiceBeat) -> None:
        from coinloop.tui.screens.choice import ChoiceScreen

        prior = self.story.pick(self.series_id, self.number, index)
        if prior is not None:
            self.show_pick(index, beat, prior)
            return

        def done(picked: int | None) -> None:
            self.waiting = False
            self.pending_choice = picked is None
            if picked is None:
                self.note(index, assemble(f"? {beat.prompt}  ", ("(press space to answer)", "dim")))
            else:
                self.show_pick(index, beat, picked)

        self.waiting = True
        self.stop_autoplay()
        self.app.push_screen(ChoiceScreen(self.series_id, self.number, index, beat), done)

    def show_pick(self, index: int, beat: ChoiceBeat, picked: int) -> None:
        self.note(index, picked_text(beat, picked))

    def show_end_card(self) -> None:
        if self.query("#end-card"):
            return
        nxt = self.story.next_number(self.series_id, self.number)
        if nxt is None:
            text = "The end of the series. Thank you for reading."
        else:
            title = self.story.series(self.series_id).info(nxt).title
            lock = "" if self.story.is_unlocked(self.series_id, nxt) else f" · locked ◎ {self.story.price(self.series_id, nxt)}"
            text = f"Next: Episode {nxt} · {title}{lock} — press space"
        self.query_one("#beats").mount(Static(plain(text), id="end-card"))
        scroll = self.query_one("#beats", VerticalScroll)
        self.call_after_refresh(scroll.scroll_end, animate=False)

    def after_cliffhanger(self) -> None:
        nxt = self.story.next_number(self.series_id, self.number)
        if nxt is None:
            self.action_back()
            return
        if self.story.is_unlocked(self.series_id, nxt) or self.router.try_auto_unlock(self.series_id, nxt):
            self.router.start_episode(self.series_id, nxt)
            return

        def done(_result: object) -> None:
            self.waiting = False
            self.remove_class("-paywall")
            self.call_after_refresh(self.query_one("#beats", VerticalScroll).scroll_end, animate=False)

        self.waiting = True
        # only the cliffhanger stays in view above the paywall
        self.add_class("-paywall")
        scroll = self.query_one("#beats", VerticalScroll)
        self.call_after_refresh(scroll.scroll_home, animate=False)
        self.router.show_paywall(self.series_id, nxt, on_close=done)

    # --- auto-play --------------------------------------------------------------------------------
    def action_autoplay(self) -> None:
        if self.player is None:
            return
        self.autoplay = not self.autoplay and not self.player.finished
        if self.autoplay:
            self.timer.resume()
        else:
            self.timer.pause()
        self.show_status()

    def stop_autoplay(self) -> None:
        if self.autoplay:
            self.action_autoplay()

    def auto_tick(self) -> None:
        if self.player is None or self.waiting:
            return
        self.linger += AUTO_TICK
        if self.linger >= EpisodePlayer.beat_seconds(self.player.current, self.session.economy.episodes.reading_wpm):
            self.action_next()

    def on_screen_suspend(self) -> None:
        if self.player is not None:
            self.timer.pause()

    def on_screen_resume(self) -> None:
        if self.player is not None and self.autoplay:
            self.timer.resume()

    def refresh_view(self) -> None:
        """The content or economy changed: reopen where the reader was (the new text, prices, rewards)."""
        if self.is_active and self.player is not None:
            self.story.save_progress(self.series_id, self.number, self.player.position, finished=self.player.finished)
            self.router.reopen_episode(self.series_id, self.number)

    def action_back(self) -> None:
        if self.player is not None:
            self.story.save_progress(self.series_id, self.number, self.player.position, finished=self.player.finished)
        self.dismiss(None)
