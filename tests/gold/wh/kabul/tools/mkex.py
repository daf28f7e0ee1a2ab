"""Rebuild ../documents.jsonl from the wh-briefings corpus and tools/excerpts.py.

Each excerpt is (corpus-id prefix, start, end): it runs from the paragraph that starts at or after
`start` (a speaker-label line) through the last paragraph that starts before `end`.
"""
import gzip, json, os, re, sys
HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.environ.get('WH_CORPUS', '/work/shared/corpora/wh-briefings/wh-briefings-2021-2024h1.jsonl.gz')
sys.path.insert(0, HERE)
from excerpts import EX
d = {}
for l in gzip.open(CORPUS, 'rt', encoding='utf-8'):
    r = json.loads(l)
    if '2021-08-23' <= r['published'] <= '2021-10-31':
        d[r['id']] = r
PARA = re.compile(r'\S(?:.|\n(?![^\S\n]*\n))*')
rows = []; cnt = {}
for pre, a, b in EX:
    k = [i for i in d if i.startswith(pre)][0]; t = d[k]['text']
    ps = [(m.start(), m.end()) for m in PARA.finditer(t) if a <= m.start() < b]
    cnt[k] = cnt.get(k, 0) + 1
    rows.append(dict(k=k, s=ps[0][0], e=ps[-1][1], n=cnt[k]))
with open(os.path.join(HERE, '..', 'documents.jsonl'), 'w', encoding='utf-8') as f:
    for x in rows:
        r = d[x['k']]
        rid = x['k'] if cnt[x['k']] == 1 else f"{x['k']}#{x['n']}"
        f.write(json.dumps({"id": rid, "url": r['url'], "title": r['title'], "published": r['published'],
                            "kind": "transcript", "category": r['category'], "text": r['text'][x['s']:x['e']],
                            "excerpt_of": {"id": x['k'], "start": x['s'], "end": x['e']},
                            "license": "public domain (US federal government work); from the official briefing-room archive via the wh-briefings corpus"},
                           ensure_ascii=False) + '\n')
print(len(rows), 'excerpts')
