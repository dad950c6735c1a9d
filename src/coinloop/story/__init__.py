"""Story domain: the episode format, the content library, the episode player. Never imports Textual.

Nothing is imported here, so that a module of the package (the index) loads without the parser."""
