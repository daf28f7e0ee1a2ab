import json
import os
D=os.path.dirname(os.path.dirname(os.path.abspath(__file__)))+'/'
US='United States'; CN='China'
RU='Russia'; UA='Ukraine'
META={
 'John Kirby':('person','NSC Coordinator for Strategic Communications','National Security Council',US),
 'Karine Jean-Pierre':('person','White House Press Secretary','White House',US),
 'Joe Biden':('person','President of the United States','White House',US),
 'Jake Sullivan':('person','National Security Advisor','National Security Council',US),
 'Olivia Dalton':('person','Principal Deputy White House Press Secretary','White House',US),
 'Andrew Bates':('person','White House Deputy Press Secretary','White House',US),
 'Antony Blinken':('person','Secretary of State','U.S. Department of State',US),
 'Gina Raimondo':('person','Secretary of Commerce','U.S. Department of Commerce',US),
 'Mark Warner':('person','U.S. Senator (D-Virginia), chair of the Senate Intelligence Committee','U.S. Senate',US),
 'Tommy Tuberville':('person','U.S. Senator (R-Alabama)','U.S. Senate',US),
 'Biden administration':('government_body','institutional "we" of White House speakers; "the administration"',None,US),
 'U.S. Department of Defense officials (unnamed)':('unnamed',None,'U.S. Department of Defense',US),
 'U.S. officials (unnamed)':('unnamed',None,'U.S. government',US),
 'U.S. companies (unnamed)':('unnamed','U.S. businesses',None,US),
 'Western intelligence officials (unnamed)':('unnamed',None,'Western intelligence services','unknown'),
 'The Wall Street Journal':('media','newspaper',None,'neutral'),
 'news media (unnamed)':('media','the press and social media',None,'neutral'),
 'Yevgeny Prigozhin':('person','head of the Wagner Group','Wagner Group',RU),
 'Sergey Lavrov':('person','Foreign Minister of Russia','Government of Russia',RU),
 'Kremlin':('government_body','the Russian presidency and its spokesman','Government of Russia',RU),
 'Russia':('government_body','"the Russian side"',None,RU),
 'Alexander Lukashenko':('person','President of Belarus','Government of Belarus','Belarus'),
 'Volodymyr Zelenskyy':('person','President of Ukraine','Government of Ukraine',UA),
 'Ukraine':('government_body','"the Ukrainians"',None,UA),
 'Andrzej Duda':('person','President of Poland','Government of Poland','Poland'),
 'Eastern European NATO allies':('government_body','Eastern European NATO member states','NATO','unknown'),
}
COUNTRY={US:'United States',CN:'China',RU:'Russia',UA:'Ukraine','Belarus':'Belarus','Poland':'Poland'}
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
