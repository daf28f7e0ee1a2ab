"""Build statements.jsonl and assignments.jsonl from the annotation files in ann/ (one per
document row, NN = row index in documents.jsonl). See ann/FORMAT.md."""
import json, re, sys, glob, os
HERE=os.path.dirname(os.path.abspath(__file__))
D=os.path.dirname(HERE)
docs=[json.loads(l) for l in open(D+'/documents.jsonl')]
LABELS={'MS. PSAKI':'Jen Psaki','MR. KIRBY':'John Kirby','MS. JEAN-PIERRE':'Karine Jean-Pierre','MS. DALTON':'Olivia Dalton','Q':'reporter (unnamed)','THE PRESIDENT':'Joe Biden','AIDE':'White House aide (unnamed)'}
LRX=re.compile(r'(?m)^(MS\. PSAKI:|MR\. KIRBY:|MS\. JEAN-PIERRE:|MS\. DALTON:|THE PRESIDENT:|AIDE:|Q(?=[ \xa0]))')
EV={'ia':'intelligence_assessment','os':'official_statement','o':'other','doc':'documents_ids','ey':'eyewitness'}
ST={'a':'affirm','d':'deny','u':'uncertain'}
KINDS={'indirect','direct','mixed','according_to','label','author'}
def rx(s):
    p=r'\s+'.join(re.escape(w) for w in s.split())
    if re.match(r'\w',s): p=r'(?<!\w)'+p
    if re.search(r'\w$',s): p=p+r'(?!\w)'
    return re.compile(p)
def span(t, s, frm):
    if '::' in s:
        pre,s=s.split('::',1)
        m=rx(pre.strip()).search(t,frm)
        if not m: raise ValueError('prefix not found: '+pre)
        frm=m.end() if pre.endswith(' ') or True else m.end()
        s=s.strip()
    if ' ... ' in s:
        a,b=s.split(' ... ',1)
        m=rx(a).search(t,frm)
        if not m: raise ValueError('start not found: '+a)
        m2=rx(b).search(t,m.start())
        if not m2: raise ValueError('end not found: '+b)
        return m.start(), t[m.start():m2.end()]
    m=rx(s).search(t,frm)
    if not m: raise ValueError('not found: '+s)
    return m.start(), m.group()
def closest(t, s, pos, lo, hi):
    best=None
    for m in rx(s).finditer(t, max(0,lo), min(len(t),hi)):
        d=abs(m.start()-pos)
        if best is None or d<best[0]: best=(d,m.start(),m.group())
    if not best: raise ValueError('nearby not found: '+s)
    return best[1],best[2]
def parse_props(p):
    if p in ('-',''): return []
    out=[]
    for x in p.split(','):
        x=x.strip(); out.append((x[:-1],ST[x[-1]]))
    return out
stmts=[]; links=[]; errs=0
for path in sorted(glob.glob(os.path.join(HERE,'ann','*.ann'))):
    idx=int(os.path.basename(path)[:2]); doc=docs[idx]; t=doc['text']; pub=doc['published']
    cur=0
    for ln,line in enumerate(open(path),1):
        line=line.rstrip('\n')
        if not line.strip() or line.startswith('#'): continue
        try:
            head,*f=[x.strip() for x in line.split(' | ')]
            hp=head.split()
            if hp[0]=='L':
                _,st,ev,pr=hp; content=f[0]
                cs,c=span(t,content,cur)
                labs=[m for m in LRX.finditer(t,0,cs+1)]
                lab=labs[-1]; src=lab.group().rstrip(':')
                row=dict(document=doc['id'],kind='label',source=src,source_start=lab.start(),source_entity=LABELS[src],cue=lab.group(),cue_start=lab.start(),content=c,content_start=cs,stance=ST[st],said_on=pub,said_on_text=None,said_on_granularity='day')
            else:
                _,kind,st,ev,pr=hp; assert kind in KINDS
                src,cue,content,ent=f[0],f[1],f[2],f[3]
                sot=f[4] if len(f)>4 and f[4] else None
                so=f[5] if len(f)>5 and f[5] else None
                via=f[6] if len(f)>6 and f[6] else None
                cs,c=span(t,content,cur)
                def occ(p,lo,hi):
                    if '::' in p:
                        pre,p=[x.strip() for x in p.split('::',1)]
                        pm=[m for m in rx(pre).finditer(t,max(0,lo),min(len(t),hi))]
                        if not pm: return []
                        m=rx(p).search(t,pm[0].end()) if True else None
                        return [(m.start(),m.group())] if m else []
                    return [(m.start(),m.group()) for m in rx(p).finditer(t,max(0,lo),min(len(t),hi))]
                ce=cs+len(c)
                if cue=='-': cus,cu=None,None
                elif '::' in cue:
                    cus,cu=occ(cue,cs-900,len(t))[0]
                else:
                    before=[o for o in occ(cue,cs-500,cs+1) if o[0]+len(o[1])<=cs]
                    inside=occ(cue,cs,ce)
                    if before: cus,cu=before[-1]
                    elif inside: cus,cu=inside[0]
                    else:
                        aft=occ(cue,ce,ce+300)
                        if not aft: raise ValueError('cue not found '+cue)
                        cus,cu=aft[0]
                if src=='-': ss,s=None,None
                elif '::' in src:
                    ss,s=occ(src,cs-900,len(t))[0]
                else:
                    ref=cus if cus is not None else cs
                    cand=[o for o in occ(src,ref-700,ref+1) if o[0]+len(o[1])<=ref and (not (cs<=o[0]<ce) or cs<=ref<ce)]
                    if cand: ss,s=cand[-1]
                    else:
                        aft=[o for o in occ(src,ref,ref+400) if not (cs<=o[0]<ce)]
                        if not aft: raise ValueError('source not found '+src)
                        ss,s=aft[0]
                gran=None; sod=None
                if so=='doc': sod=pub; gran='day'
                elif so:
                    sod,gran=so.split('/')
                row=dict(document=doc['id'],kind=kind,source=s,source_start=ss,source_entity=None if ent=='-' else ent,cue=cu,cue_start=cus,content=c,content_start=cs,stance=ST[st],said_on=sod,said_on_text=sot,said_on_granularity=gran)
            row['evidence']=[] if ev=='-' else [EV[e] for e in ev.split(',')]
            if hp[0]=='L': row['via']=None
            else: row['via']=via
            stmts.append(row); cur=cs
            for p,s2 in parse_props(pr):
                links.append(dict(document=doc['id'],content_start=row['content_start'],cue_start=row['cue_start'],content=row['content'],proposition=p,stance=s2))
            row['_idx']=idx; row['_ln']=ln
        except Exception as e:
            errs+=1; print(f'ERR {path}:{ln}: {e}\n   {line[:150]}')
def show(r):
    t=docs[r['_idx']]['text']
    print(f"[{r['_idx']:02d}:{r['_ln']}] {r['kind']:8} {r['stance']:9} src={r['source']!r}@{r['source_start']} cue={r['cue']!r}@{r['cue_start']} ent={r['source_entity']} so={r['said_on']}/{r['said_on_text']}")
    print('    C: '+r['content'].replace('\n',' ')[:160]+(' ...'+r['content'].replace('\n',' ')[-60:] if len(r['content'])>160 else ''))
if '-v' in sys.argv:
    want=[int(x) for x in sys.argv[sys.argv.index('-v')+1].split(',')] if len(sys.argv)>sys.argv.index('-v')+1 else None
    for r in stmts:
        if want is None or r['_idx'] in want: show(r)
print('statements',len(stmts),'links',len(links),'errors',errs)
order={d['id']:i for i,d in enumerate(docs)}
stmts.sort(key=lambda r:(order[r['document']],r['content_start'],r['cue_start'] if r['cue_start'] is not None else -1))
with open(D+'/statements.jsonl','w') as fo:
    for r in stmts:
        r=dict(r); r.pop('_idx'); r.pop('_ln'); fo.write(json.dumps(r,ensure_ascii=False)+'\n')
links.sort(key=lambda r:(order[r['document']],r['content_start'],r['proposition']))
with open(D+'/assignments.jsonl','w') as fo:
    for r in links: fo.write(json.dumps(r,ensure_ascii=False)+'\n')
