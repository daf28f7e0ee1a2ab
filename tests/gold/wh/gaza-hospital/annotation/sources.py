import json
import os
D=os.path.dirname(os.path.dirname(os.path.abspath(__file__)))+'/'
docs=[json.loads(l) for l in open(D+'documents.jsonl')]
pub={r['id']:(r['published'],r['excerpt_of']['id'],r['title']) for r in docs}
st=[json.loads(l) for l in open(D+'statements.jsonl')]
US='United States'; IL='Israel'; PS='Palestinian'
META={
 'Karine Jean-Pierre':('person','White House Press Secretary','White House',US),
 'John Kirby':('person','NSC Coordinator for Strategic Communications','National Security Council',US),
 'Joe Biden':('person','President of the United States','White House',US),
 'Biden administration':('government_body','institutional "we" of White House speakers; "the President and everyone on down"',None,US),
 'U.S. Department of Defense':('government_body',None,None,US),
 'Israel':('government_body','"the Israelis", "They" (the Israeli government and military)',None,IL),
 'Mahmoud Abbas':('person','President of the Palestinian Authority','Palestinian Authority',PS),
 'Gaza Health Ministry':('government_body','Hamas-run ministry of health in Gaza','Hamas',PS),
 'a lot of people (unnamed)':('unnamed','unspecified people who have called the Gaza Health Ministry unreliable',None,'unknown'),
 'unspecified people (unnamed)':('unnamed','"They tell me" (whoever told the President)',None,'unknown'),
}
COUNTRY={US:'United States',IL:'Israel',PS:'Palestinian territories'}
clusters={}
def key_of(s):
    e=s['source_entity']
    if e=='reporter (unnamed)':
        p,cid,title=pub[s['document']]
        kind='gaggle' if 'gaggle' in cid else ('remarks' if 'remarks' in cid else 'briefing')
        return f'reporters at the {p} {kind} (unnamed)'
    return e
for s in st:
    k=key_of(s)
    if k is None: continue
    c=clusters.setdefault(k,{'mentions':{}})
    if s['source_start'] is not None:
        c['mentions'][(s['document'],s['source_start'])]=s['source']
out=[]
order=sorted(clusters, key=lambda k:(-len(clusters[k]['mentions']),k))
for i,k in enumerate(order,1):
    if k.startswith('reporters at'):
        m=('unnamed','reporters (Q turns)','White House press corps','neutral')
    else:
        m=META[k]
    al=m[3]
    out.append({'id':f'S{i}','name':k,'type':m[0],'role':m[1],'affiliation':m[2],'country':COUNTRY.get(al),'alignment':al if al in (US,IL,PS) else (None if al=='unknown' else al),
        'mentions':[{'document':d,'source_start':ss,'text':t} for (d,ss),t in sorted(clusters[k]['mentions'].items(), key=lambda z:([r['id'] for r in docs].index(z[0][0]),z[0][1]))]})
json.dump({'sources':out},open(D+'sources.json','w'),ensure_ascii=False,indent=2)
print(len(out),'clusters',sum(len(c['mentions']) for c in out),'mentions')
for c in out: print(c['id'],c['name'],len(c['mentions']))
