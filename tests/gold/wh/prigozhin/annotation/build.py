"""Build documents.jsonl, statements.jsonl and assignments.jsonl from docs.txt and ann/*.txt.

The engine is balloon's (`../../balloon/annotation/build.py`: the ann line format, label
trimming, span search, link lines); this story reuses it rather than keep a copy. Three things
differ, and are applied here before the engine runs:

- `pN` in ann/*.txt is the paragraph's number in the whole corpus text (the numbering
  `paras.py` prints and `docs.spec` uses), turned into balloon's excerpt-relative number;
- a moderator's turn-passing line ("Go ahead, Aamer.", "All right, just a couple more. Go
  ahead.") is skipped as if it had an `x` line;
- the speaker table has this story's speakers, and paragraphs come from this folder's
  `paras.py` (the corpus rows of this story; paragraphs start at their first non-space).

    python3 make_docs.py && python3 build.py && python3 sources.py
"""
import importlib.util
import os
import re
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import paras  # noqa: E402  (this folder's: balloon's engine imports `paras` by name)

ENT = {'MS. JEAN-PIERRE': 'Karine Jean-Pierre', 'MR. KIRBY': 'John Kirby', 'THE PRESIDENT': 'Joe Biden',
       'Q': 'reporter (unnamed)', 'MS. DALTON': 'Olivia Dalton', 'MR. BATES': 'Andrew Bates',
       'MR. SULLIVAN': 'Jake Sullivan', 'PRESIDENT ZELENSKYY': 'Volodymyr Zelenskyy'}
PROC = re.compile(r"(?:(?:All right|Okay|No)[,.]? )?(?:(?:Go ahead|Just a couple more|Last question|"
                  r"We're going to come to the back|Ed goes first, and then we'll go to the back|"
                  r"Jon, in the back|And then we'll go to the back|All right, just a couple more)"
                  r"[^.]*[.] ?)+(?:Go ahead[.]|Jon[.]|[A-Z][a-z]+[.])? ?")
LINE = re.compile(r'p(\d+)(?:-(\d+))?(.*)$', re.S)


def engine():
    path = os.path.join(os.path.dirname(os.path.dirname(HERE)), 'balloon', 'annotation', 'build.py')
    spec = importlib.util.spec_from_file_location('balloon_build', path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    mod.ENT = ENT
    return mod


def relative_ann(mod, rows, folder):
    """Write balloon-style ann files (excerpt-relative pN, explicit `x` for turn-passing lines)."""
    problems = []
    os.makedirs(os.path.join(folder, 'ann'))
    for rid, key, start, last, base in rows:
        text = paras.d[next(k for k in paras.d if key in k)]['text']
        end = next(s + len(p) for s, p in paras.paras(text) if s == int(last))
        turns = mod.turns(text[int(start):end])
        name = rid.replace('#', '_') + '.txt'
        src = os.path.join(HERE, 'ann', name)
        lines = [l.rstrip('\n') for l in open(src, encoding='utf-8')] if os.path.exists(src) else []
        out, given = [], set()
        for l in lines:
            m = LINE.match(l)
            if not m:
                out.append(l)
                continue
            i = int(m.group(1)) - int(base)
            j = int(m.group(2) or m.group(1)) - int(base)
            if not 0 <= i <= j < len(turns):
                problems.append((rid, 'paragraph outside the excerpt', l))
                continue
            rest = m.group(3)
            if not rest.lstrip().startswith('+'):
                given.add(i)
            out.append(f'p{i}' + (f'-{j}' if m.group(2) else '') + rest)
        for i, t in enumerate(turns):
            body = mod.norm(t['text'][t['body'] - t['start']:])[0].strip()
            if i not in given and t['spk'] not in (None, 'Q') and PROC.fullmatch(body):
                out.append(f'p{i} x')
        with open(os.path.join(folder, 'ann', name), 'w', encoding='utf-8') as f:
            f.write(''.join(l + '\n' for l in out))
    return problems


def main():
    mod = engine()
    rows = [l.split() for l in open(os.path.join(HERE, 'docs.txt')) if l.strip() and not l.startswith('#')]
    with tempfile.TemporaryDirectory() as folder:
        problems = relative_ann(mod, rows, folder)
        mod.HERE, mod.OUT, mod.DOCS = folder, os.path.dirname(HERE), [r[:4] for r in rows]
        mod.main()
    for p in problems:
        print('PROBLEM', p)


if __name__ == '__main__':
    main()
