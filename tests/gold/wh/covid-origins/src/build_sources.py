"""Build sources.json (canonical source clusters) from statements.jsonl."""
import json, collections, os
D=os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
docs=[json.loads(l) for l in open(D+'/documents.jsonl')]
docmap={d['id']:d for d in docs}
st=[json.loads(l) for l in open(D+'/statements.jsonl')]
US='US-aligned'
META={
 'Jen Psaki':('person','White House Press Secretary (2021–2022)','White House','United States',US),
 'Karine Jean-Pierre':('person','White House Press Secretary (from 2022)','White House','United States',US),
 'John Kirby':('person','NSC Coordinator for Strategic Communications','National Security Council (White House)','United States',US),
 'Olivia Dalton':('person','Principal Deputy Press Secretary','White House','United States',US),
 'Joe Biden':('person','President of the United States','White House','United States',US),
 'White House':('government_body','institutional "we" of the White House speakers (the Biden administration)',None,'United States',US),
 'Joe Biden; White House':('government_body','joint: "the President and the administration"',None,'United States',US),
 'Karine Jean-Pierre; John Kirby':('person','joint: Dalton\'s "my colleagues" (the press secretary and the NSC spokesman)','White House','United States',US),
 'Anthony Fauci':('person','Director, NIAID; Chief Medical Adviser to the President','National Institutes of Health','United States',US),
 'Francis Collins':('person','Director, National Institutes of Health','National Institutes of Health','United States',US),
 'Francis Collins; Anthony Fauci':('person','joint: the Collins–Fauci e-mail exchange','National Institutes of Health','United States',US),
 'Jake Sullivan':('person','National Security Advisor','White House','United States',US),
 'Christopher Wray':('person','Director, Federal Bureau of Investigation','FBI','United States',US),
 'U.S. Department of Energy':('government_body','assessing agency (runs the National Labs)',None,'United States',US),
 'U.S. Department of State (Trump administration)':('government_body','issuer of the January 15, 2021 fact sheet',None,'United States',US),
 'U.S. intelligence officials (unnamed)':('unnamed','intelligence officials','U.S. intelligence community','United States',US),
 'U.S. intelligence community elements (unnamed)':('unnamed','"some of them" (IC elements)','U.S. intelligence community','United States',US),
 'Biden administration officials (DNI, CIA Director, NIH Director)':('unnamed','officials named by office only','Biden administration','United States',US),
 'U.S. government experts (reviewing the WHO report)':('unnamed','the 17 experts reviewing the WHO report','U.S. government','United States',US),
 'House Republicans':('government_body','authors of a report on the intelligence community','U.S. House of Representatives','United States',US),
 'joint statement countries (incl. United States)':('government_body','signatories of the joint statement on the WHO-convened study',None,None,US),
 'European Union and EU member states':('government_body','issuers of a similar statement',None,None,US),
 'China':('government_body','government of the People\'s Republic of China (metonym "China", "the Chinese")',None,'China','China-aligned'),
 'World Health Organization':('organization','international organization that convened the origins study',None,None,'neutral'),
 'Tedros Adhanom Ghebreyesus':('person','Director-General','World Health Organization',None,'neutral'),
 'The Wall Street Journal':('media','newspaper',None,'United States','neutral'),
}
clusters=collections.OrderedDict()
def key(s):
    e=s['source_entity']
    if e=='reporter (unnamed)':
        d=docmap[s['document']]; base=d['excerpt_of']['id']
        return ('REP',base)
    return ('ENT',e)
for s in st:
    if s['source'] is None: continue
    k=key(s)
    if k not in clusters: clusters[k]=collections.OrderedDict()
    clusters[k][(s['document'],s['source_start'])]=s['source']
out=[]; n=0
for k,ms in clusters.items():
    n+=1
    if k[0]=='REP':
        d=docmap[[m[0] for m in ms][0]]
        name=f"reporters (unnamed), {d['published']} briefing"; typ='unnamed'; role='White House press corps reporters asking questions ("Q")'; aff=None; country=None; al='neutral'
    else:
        name=k[1]; typ,role,aff,country,al=META[name]
    out.append(dict(id=f'S{n}',name=name,type=typ,role=role,affiliation=aff,country=country,alignment=al,
        mentions=[dict(document=a,source_start=b,text=tx) for (a,b),tx in ms.items()]))
json.dump({'sources':out},open(D+'/sources.json','w'),ensure_ascii=False,indent=2)
print(len(out),'clusters',sum(len(c['mentions']) for c in out),'mentions')
for c in out: print(c['id'],c['name'],len(c['mentions']))
