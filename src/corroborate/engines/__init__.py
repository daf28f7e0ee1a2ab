"""Engines: where the one per-document extraction function runs (in this process, in a local
pool of worker processes, or inside a Spark job). Nothing engine-specific reaches `extract/`."""
