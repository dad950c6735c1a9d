"""The rules of the loop as pure functions over a PlayerState (no SQLite, no Textual, no wall clock)."""
