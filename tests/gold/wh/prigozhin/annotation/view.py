# print excerpt paragraphs numbered, plus current statements
import sys,json
sys.argv=sys.argv
from build import *
rid=sys.argv[1]
docs,stmts=main()
x=[r for r in docs if r['id']==rid][0]['text']
T=turns(x)
for i,p in enumerate(T):
    print(f"p{i} [{p['spk']}] "+x[p['start']:p['end']].replace('\xa0',' ').replace('\n',' '))
    if len(sys.argv)>2:
        for s in stmts:
            if s['document']==rid and p['start']<=s['content_start']<p['end']:
                print(f"    => {s['kind']} {s['source']!r} {s['cue']!r} {s['stance']} {s['said_on']} {s['evidence']} :: {s['content'][:80]!r}…{s['content'][-30:]!r}")
