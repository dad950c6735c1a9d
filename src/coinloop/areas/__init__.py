"""Session areas: one object per part of the loop (story, arcade, earn), each over the same wallet."""
