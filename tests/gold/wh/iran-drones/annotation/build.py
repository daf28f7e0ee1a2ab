"""Build documents.jsonl, statements.jsonl and assignments.jsonl from docs.txt and ann/*.txt.

The engine is balloon's (`../../balloon/annotation/build.py`: the ann line format, label
trimming, span search, link lines), reused rather than copied, as the prigozhin story does. Only
two things are this story's: its speaker table, and the speakers whose turns only run a call
(moderators, aides), which are never statements. Paragraphs come from this folder's `paras.py`
(the corpus rows of this story), which the engine imports by name.

    python3 build.py && python3 sources.py
"""
import importlib.util
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

ENT = {'MS. JEAN-PIERRE': 'Karine Jean-Pierre', 'THE PRESIDENT': 'Joe Biden', 'MR. KIRBY': 'John Kirby',
       'MR. SULLIVAN': 'Jake Sullivan',
       'SENIOR ADMINISTRATION OFFICIAL': 'senior administration official (unnamed)',
       'Q': 'reporter (unnamed)'}
SKIP = {'MS. SHARMA', 'MODERATOR', 'AIDE'}


def engine():
    path = os.path.join(os.path.dirname(os.path.dirname(HERE)), 'balloon', 'annotation', 'build.py')
    spec = importlib.util.spec_from_file_location('balloon_build', path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    mod.HERE, mod.OUT, mod.ENT, mod.SKIP = HERE, os.path.dirname(HERE), ENT, SKIP
    mod.DOCS = [l.split() for l in open(os.path.join(HERE, 'docs.txt'))
                if l.strip() and not l.startswith('#')]
    return mod


def main():
    return engine().main()


if __name__ == '__main__':
    main()
