"""Linking statements into propositions: optional semantic similarity between sentences."""
