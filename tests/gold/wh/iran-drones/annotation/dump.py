# print every excerpt's paragraphs numbered as ann/*.txt refers to them (a reading aid)
import sys
from build import engine
from paras import d, paras
_mod=engine(); DOCS, turns = _mod.DOCS, _mod.turns
for row in DOCS:
    rid,key,a,lastp=row[0],row[1],int(row[2]),int(row[3])
    t=d[key]['text']; end=[st+len(s) for st,s in paras(t) if st==lastp][0]; x=t[a:end]
    if len(sys.argv)>1 and not any(z in rid for z in sys.argv[1:]): continue
    print('#####',rid)
    for i,p in enumerate(turns(x)):
        print(f"p{i} [{p['spk']}] "+x[p['start']:p['end']].replace('\xa0',' ').replace('\n',' '))
