"""Turn docs.spec (paragraph numbers) into docs.txt (character offsets), the form build.py reads."""
import os
from paras import d, paras
HERE = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(HERE, 'docs.txt'), 'w') as out:
    for line in open(os.path.join(HERE, 'docs.spec')):
        if not line.strip() or line.startswith('#'):
            continue
        rid, key, a, b = line.split()
        ks = [k for k in d if key in k]
        assert len(ks) == 1, (key, ks)
        ps = paras(d[ks[0]]['text'])
        out.write(f"{rid} {key} {ps[int(a)][0]} {ps[int(b)][0]} {a}\n")
