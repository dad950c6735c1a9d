"""`make mutation`: mutmut over the coin-critical modules, a score per module and the survivors."""
