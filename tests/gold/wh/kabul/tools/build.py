import json,re,sys
import os
G=os.path.join(os.path.dirname(os.path.abspath(__file__)),'..')+os.sep
docs=[json.loads(l) for l in open(G+'documents.jsonl')]
PARA=re.compile(r'\S(?:.|\n(?![^\S\n]*\n))*')
LAB=re.compile(r"(MR\. SULLIVAN|MS\. PSAKI|M\. PSAKI|THE PRESIDENT|Q)(:?)(?=[\s\xa0])")
ENT={'MR. SULLIVAN':'Jake Sullivan','MS. PSAKI':'Jen Psaki','M. PSAKI':'Jen Psaki','THE PRESIDENT':'Joe Biden','Q':'reporter (unnamed)'}
def rx(p):
    out=''
    i=0
    for ch in p:
        if ch.isspace(): 
            if not out.endswith(r'\s+'): out+=r'\s+'
        elif ch in "'’": out+="['’]"
        elif ch in '"“”': out+='["“”]'
        else: out+=re.escape(ch)
    if p[:1].isalnum(): out=r'\b'+out
    if p[-1:].isalnum(): out=out+r'\b'
    return out
def find(t,pat,a,b,nth=1):
    ms=[m for m in re.finditer(rx(pat),t[a:b])]
    if len(ms)<nth: raise ValueError(f"not found: {pat!r} in [{a},{b}] {t[a:a+80]!r}")
    m=ms[nth-1]; return a+m.start(),a+m.end()
def span(t,pat,a,b):
    nth=1
    mm=re.match(r'(.*)#(\d+)$',pat)
    if mm: pat,nth=mm.group(1),int(mm.group(2))
    if ' ... ' in pat:
        p1,p2=pat.split(' ... ')
        s,e1=find(t,p1,a,b,nth); s2,e=find(t,p2,e1,b)
        return s,e
    return find(t,pat,a,b,nth)
def trimend(t,s,e):
    while e>s and (t[e-1].isspace() or t[e-1] in '.?!:;,”"…'): e-=1
    return e
stmts=[];links=[];errs=[]
cur=None
def said(doc,f):
    if f is None: return None,None,None
    txt,_,dg=f.partition('=')
    if not dg: return None,txt,None
    dt,_,g=dg.partition('/'); return dt,txt,g or 'day'
for ln,line in enumerate(open(sys.argv[1] if len(sys.argv)>1 else os.path.join(G,'tools','ann.txt')),1):
    line=line.rstrip('\n')
    if not line.strip() or line.lstrip().startswith('#'): continue
    try:
        if line.startswith('=='):
            di=int(line[2:].strip().lstrip('D')); doc=docs[di]; t=doc['text']
            paras=[(m.start(),m.end()) for m in PARA.finditer(t)]
            # speaker per para
            spk=[];last=None
            for a,b in paras:
                m=LAB.match(t,a)
                if m: last=(m.group(1),a,m.group(0))
                spk.append(last)
            continue
        f=[x.strip() for x in line.strip().split(' | ')]
        tags={};lk=[];pos=[]
        for x in f:
            if re.fullmatch(r'(P\d[+\-?]\s*)+',x): lk+=x.split()
            elif re.match(r'(ev|e|d|via):',x): k,_,v=x.partition(':'); tags[k]=v
            else: pos.append(x)
        if f[0].startswith('p') and re.fullmatch(r'p\d+',f[0]):
            pi=int(f[0][1:]); a,b=paras[pi]; lab,ls,cue=spk[pi]
            m=LAB.match(t,a); s=m.end() if m else a
            while t[s].isspace(): s+=1
            e=b
            starts=[x for x in pos[1:] if x.startswith('@')]; ends=[x for x in pos[1:] if x.startswith('$')]
            if starts: s,_=span(t,starts[0][1:],s,b)
            if ends: _,e=span(t,ends[0][1:],s,b)
            else: e=trimend(t,s,e)
            stance=[x for x in pos if x in('affirm','deny','uncertain')][0]
            row=dict(document=doc['id'],kind='label',source=lab,source_start=ls,source_entity=tags.get('e',ENT[lab]),cue=cue.rstrip(),cue_start=ls,content=t[s:e],content_start=s,stance=stance,said_on=doc['published'],said_on_text=None,said_on_granularity='day',evidence=[x for x in tags.get('ev','').split(',') if x],via=None)
            cur=(a,b)
        elif f[0].startswith('>'):
            kind=f[0][1:].strip()
            mm=re.match(r'p(\d+)\s+(\w+)$',kind)
            if mm: cur=paras[int(mm.group(1))]; kind=mm.group(2)
            srcp,cuep,conp,stance=pos[1],pos[2],pos[3],pos[4]
            a,b=cur
            if srcp=='-': ss=None
            else: ss,se=span(t,srcp,a,b)
            # cue nearest to source
            cp=cuep; nth=None
            mm=re.match(r'(.*)#(\d+)$',cp)
            if mm: cs,ce=span(t,cp,a,b)
            else:
                ms=[(x.start()+a,x.end()+a) for x in re.finditer(rx(cp),t[a:b])]
                if not ms: raise ValueError('cue not found '+cp)
                ref=ss if ss is not None else a
                cs,ce=min(ms,key=lambda x: abs(x[0]-ref) if ss is None or x[0]>=ss else abs(x[0]-ref)+5)
            if conp.startswith('^'): s,e=span(t,conp[1:],a,b)
            else: s,e=span(t,conp,ce,b)
            if ' ... ' not in conp and not conp.endswith('.'): pass
            sd=said(doc,tags.get('d'))
            row=dict(document=doc['id'],kind=kind,source=None if ss is None else t[ss:se],source_start=ss,source_entity=tags.get('e'),cue=t[cs:ce],cue_start=cs,content=t[s:e],content_start=s,stance=stance,said_on=sd[0],said_on_text=sd[1],said_on_granularity=sd[2],evidence=[x for x in tags.get('ev','').split(',') if x],via=tags.get('via'))
        else: raise ValueError('bad line')
        stmts.append(row)
        for l in lk:
            links.append(dict(document=row['document'],content_start=row['content_start'],cue_start=row['cue_start'],content=row['content'],proposition=l[:2],stance={'+':'affirm','-':'deny','?':'uncertain'}[l[2]]))
    except Exception as ex:
        errs.append(f"line {ln}: {ex}")
for e in errs: print('ERR',e)
order={d['id']:i for i,d in enumerate(docs)}
stmts.sort(key=lambda r:(order[r['document']],r['content_start'],r['cue_start'] or 0))
links.sort(key=lambda r:(order[r['document']],r['content_start'],r['proposition']))
with open(G+'statements.jsonl','w') as fo:
    for r in stmts: fo.write(json.dumps(r,ensure_ascii=False)+'\n')
with open(G+'assignments.jsonl','w') as fo:
    for r in links: fo.write(json.dumps(r,ensure_ascii=False)+'\n')
print(len(stmts),'statements',len(links),'links')
if '-v' in sys.argv:
    for r in stmts:
        if r['kind']!='label': print(f"  {r['document'][:10]} {r['kind']}: [{r['source']}] <{r['cue']}> {{{r['content'][:90]!r}}} {r['stance']}")
