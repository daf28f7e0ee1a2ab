import json,collections,os
import os
G=os.path.join(os.path.dirname(os.path.abspath(__file__)),'..')+os.sep
st=[json.loads(l) for l in open(G+'statements.jsonl')]
docs={json.loads(l)['id']:json.loads(l) for l in open(G+'documents.jsonl')}
US='U.S. administration'
META={ # name: (type, role, affiliation, country, alignment)
 'Jen Psaki':('person','White House Press Secretary','White House','United States',US),
 'Joe Biden':('person','President of the United States','White House','United States',US),
 'Jake Sullivan':('person','National Security Advisor','White House','United States',US),
 'Kenneth McKenzie':('person','Commander, U.S. Central Command (General)','U.S. Central Command','United States',US),
 'Lloyd Austin':('person','Secretary of Defense','U.S. Department of Defense','United States',US),
 'John Kirby':('person','Pentagon Press Secretary ("my colleague at DOD")','U.S. Department of Defense','United States',US),
 'Antony Blinken':('person','Secretary of State','U.S. Department of State','United States',US),
 'Bob Menendez':('person','Chair, Senate Foreign Relations Committee','U.S. Senate','United States',None),
 'Tim Kaine':('person','U.S. Senator','U.S. Senate','United States',None),
 'Donald Trump':('person','former President of the United States',None,'United States',None),
 'Scott Morrison':('person','Prime Minister of Australia ("the Australian PM")','Government of Australia','Australia',None),
 'White House':('government_body','institutional "we" of the administration\'s spokespeople',None,'United States',US),
 'Biden administration':('government_body','"the administration"',None,'United States',US),
 'White House national security team':('government_body','the President\'s national security team','White House','United States',US),
 'U.S. Department of Defense':('government_body',None,None,'United States',US),
 'U.S. Central Command':('government_body','CENTCOM','U.S. Department of Defense','United States',US),
 'U.S. intelligence community':('government_body',None,None,'United States',US),
 'U.S. military':('government_body',None,'U.S. Department of Defense','United States',US),
 'U.S. military commanders':('unnamed','commanders and Joint Chiefs','U.S. Department of Defense','United States',US),
 'U.S. military and White House national security team (unnamed members)':('unnamed',None,None,'United States',US),
 'U.S. military; U.S. Central Command':('government_body','joint source',None,'United States',US),
 'Lloyd Austin; Kenneth McKenzie':('person','joint source (Secretary of Defense and CENTCOM commander)','U.S. Department of Defense','United States',US),
 'Lloyd Austin; Mark Milley; Kenneth McKenzie':('person','joint source (Secretary of Defense, Chairman of the Joint Chiefs, CENTCOM commander)','U.S. Department of Defense','United States',US),
 "Biden's civilian and military advisors":('unnamed','"their recommendation"',None,'United States',US),
 'Kenneth McKenzie; Joe Biden':('person','joint source ("General McKenzie and the President")',None,'United States',US),
 'Afghan groups seeking evacuation (unnamed)':('unnamed','groups that "have expressly indicated they want to get out"',None,'Afghanistan',None),
 'Taliban':('organization',None,None,'Afghanistan','Taliban'),
 'relatives of the strike victims (unnamed)':('unnamed','family members of those killed in the August 29 strike',None,'Afghanistan',None),
 'American in Kabul (unnamed)':('unnamed',None,None,'United States',None),
 'Democratic lawmakers (unnamed)':('unnamed','"people in your party"','Democratic Party','United States',None),
 'critics of the evacuation (unnamed)':('unnamed','"some say"',None,None,None),
 'foreign governments (unnamed)':('unnamed','"other countries"',None,None,None),
 'news reports (unnamed)':('media','"some reportings"',None,None,'neutral'),
 'news media (reporters at the briefing)':('media','"many of you have been reporting"',None,None,'neutral'),
 'Los Angeles Times':('media',None,None,'United States','neutral'),
}
ment=collections.OrderedDict()
for s in st:
    if s['source_start'] is None: continue
    k=(s['document'],s['source_start'])
    ent=s['source_entity']
    if ent=='reporter (unnamed)':
        ent='reporters at the '+docs[s['document']]['excerpt_of']['id']
    ment.setdefault(k,(ent,s['source']))
clusters=collections.OrderedDict()
for (d,ss),(ent,txt) in ment.items():
    clusters.setdefault(ent,[]).append({'document':d,'source_start':ss,'text':txt})
out=[]
for i,(ent,ms) in enumerate(sorted(clusters.items(),key=lambda x:-len(x[1])),1):
    if ent.startswith('reporters at the '):
        cid=ent[len('reporters at the '):]
        name=f"reporters at the {docs[ms[0]['document']]['published']} {'briefing' if 'briefing' in cid or 'gaggle' in cid else 'remarks'} (unnamed)"
        meta=('unnamed','White House press corps (the Q turns)',None,None,'neutral')
    else:
        name=ent; meta=META[ent]
    out.append({'id':f'S{i}','name':name,'type':meta[0],'role':meta[1],'affiliation':meta[2],'country':meta[3],'alignment':meta[4],'mentions':ms})
json.dump({'sources':out},open(G+'sources.json','w'),ensure_ascii=False,indent=1)
print(len(out),'clusters',sum(len(c['mentions']) for c in out),'mentions')
