"""The app's areas: one adapter per part of the loop (story, arcade, earn, loop) over one save.

Each action loads the state it needs from the save, asks `coinloop.core` (the rules, pure functions),
and records the outcome in one wallet transaction. Areas receive their collaborators from `Session`
and never import it; reads return frozen views and never write.
"""
