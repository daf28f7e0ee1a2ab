import json
import os
D=os.path.dirname(os.path.dirname(os.path.abspath(__file__)))+'/'
US='United States'; CN='China'
META={
 'Karine Jean-Pierre':('person','White House Press Secretary','White House',US),
 'John Kirby':('person','NSC Coordinator for Strategic Communications','National Security Council',US),
 'Joe Biden':('person','President of the United States','White House',US),
 'Pat Ryder':('person','Pentagon Press Secretary (Brig. Gen.)','U.S. Department of Defense',US),
 'Antony Blinken':('person','Secretary of State','U.S. Department of State',US),
 'Kamala Harris':('person','Vice President of the United States','White House',US),
 'Glen VanHerck':('person','Commander, NORTHCOM and NORAD (Gen.)','U.S. Department of Defense',US),
 'John Kennedy':('person','U.S. Senator (R-Louisiana)','U.S. Senate',US),
 'U.S. Department of Defense':('government_body',None,None,US),
 'U.S. Department of State':('government_body',None,None,US),
 'U.S. Intelligence Community':('government_body',None,None,US),
 'National Security Council':('government_body',None,'White House',US),
 'National Weather Service':('government_body',None,'NOAA',US),
 'Biden administration':('government_body','institutional "we" of White House speakers; "the administration"',None,US),
 'United States':('government_body',None,None,US),
 'U.S. Department of Defense; Karine Jean-Pierre':('government_body','joint source ("DOD and you")',None,US),
 'China':('government_body',None,None,CN),
 'Ministry of Foreign Affairs (China)':('government_body',None,'Government of the PRC',CN),
 'Biden administration officials (unnamed)':('unnamed',None,'Biden administration',US),
 'U.S. officials (unnamed)':('unnamed',None,'U.S. government',US),
 'U.S. military commanders (unnamed)':('unnamed',None,'U.S. Department of Defense',US),
 'U.S. military leaders (unnamed)':('unnamed',None,'U.S. Department of Defense',US),
 'U.S. fighter pilots (unnamed)':('unnamed',None,'U.S. Department of Defense',US),
 'Republicans (unnamed)':('unnamed','Republican politicians','Republican Party',US),
 'critics (unnamed)':('unnamed',None,None,'unknown'),
 'news media (unnamed)':('media',None,None,'neutral'),
 "reporter's news outlet (unnamed)":('media',None,None,'neutral'),
 'Aviation Week':('media','trade magazine',None,'neutral'),
 'Northern Illinois Bottlecap Balloon Brigade':('organization','amateur balloon hobby club',None,'unknown'),
}
COUNTRY={US:'United States',CN:'China'}
def write(D, META, COUNTRY):
    """Cluster the gold source mentions of the story in folder D by source_entity into D/sources.json."""
    docs=[json.loads(l) for l in open(D+'documents.jsonl')]
    pub={r['id']:(r['published'],r['excerpt_of']['id'],r['title']) for r in docs}
    st=[json.loads(l) for l in open(D+'statements.jsonl')]
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
        out.append({'id':f'S{i}','name':k,'type':m[0],'role':m[1],'affiliation':m[2],'country':COUNTRY.get(al),'alignment':al if al in COUNTRY else (None if al=='unknown' else al),
            'mentions':[{'document':d,'source_start':ss,'text':t} for (d,ss),t in sorted(clusters[k]['mentions'].items(), key=lambda z:([r['id'] for r in docs].index(z[0][0]),z[0][1]))]})
    json.dump({'sources':out},open(D+'sources.json','w'),ensure_ascii=False,indent=2)
    print(len(out),'clusters',sum(len(c['mentions']) for c in out),'mentions')
    for c in out: print(c['id'],c['name'],len(c['mentions']))
if __name__=='__main__':
    write(D, META, COUNTRY)
