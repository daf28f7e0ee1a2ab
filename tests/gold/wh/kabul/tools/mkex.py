import json,re,sys
sys.path.insert(0,'/tmp/kab')
from excerpts import EX
d=json.load(open('/tmp/kab/sub.json'))
PARA=re.compile(r'\S(?:.|\n(?![^\S\n]*\n))*')
rows=[];cnt={}
for pre,a,b in EX:
    k=[i for i in d if i.startswith(pre)][0]; r=d[k]; t=r['text']
    ps=[(m.start(),m.end()) for m in PARA.finditer(t) if a<=m.start()<b]
    s,e=ps[0][0],ps[-1][1]
    cnt[k]=cnt.get(k,0)+1
    rows.append(dict(k=k,s=s,e=e,n=cnt[k]))
out=[]
for x in rows:
    k=x['k']; r=d[k]
    rid=k if cnt[k]==1 else f"{k}#{x['n']}"
    out.append({"id":rid,"url":r['url'],"title":r['title'],"published":r['published'],"kind":"transcript","category":r['category'],"text":r['text'][x['s']:x['e']],"excerpt_of":{"id":k,"start":x['s'],"end":x['e']},"license":"public domain (US federal government work); from the official briefing-room archive via the wh-briefings corpus"})
with open('/work/wt/gold-kabul/tests/gold/wh/kabul/documents.jsonl','w') as f:
    for o in out: f.write(json.dumps(o,ensure_ascii=False)+'\n')
tot=0
with open('/tmp/kab/read.txt','w') as f:
    for di,o in enumerate(out):
        t=o['text']; tot+=len(t)
        f.write(f"\n##### D{di} {o['id']} ({len(t)})\n")
        for pi,m in enumerate(PARA.finditer(t)):
            f.write(f"p{pi} [{m.start()}] "+re.sub(r'\s+',' ',m.group(0))+"\n")
print(len(out),tot)
