"""Moved to `coinloop.core.rules` (the one rules core); kept so existing imports keep working."""

from coinloop.core.rules import *  # noqa: F401,F403
from coinloop.core.rules import (  # noqa: F401
    AdStatus, GameReward, WaitTokens, ad_status, batch_price, continue_price, episode_price, format_duration,
    game_reward, next_streak, powerup_price, reading_seconds, series_prices, streak_reward, wait_tokens,
)
