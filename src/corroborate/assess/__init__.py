"""Assessment of propositions: timelines, positions and reversals, contradictions, corroboration."""
