import json,re,sys,os
from paras import d, paras
HERE=os.path.dirname(os.path.abspath(__file__))
OUT=os.path.dirname(HERE)
LIC="public domain (US federal government work); from the official briefing-room archive via the wh-briefings corpus"
# (row id, corpus key substring, start para offset, last para offset)
DOCS=[l.split() for l in open(os.path.join(HERE,'docs.txt')) if l.strip() and not l.startswith('#')]
ENT={'MS. JEAN-PIERRE':'Karine Jean-Pierre','MR. KIRBY':'John Kirby','THE PRESIDENT':'Joe Biden','Q':'reporter (unnamed)','MR. DEESE':'Brian Deese','ADMIRAL KIRBY':'John Kirby'}
# speakers whose turns only run the call (moderators, aides): never statements; a story that
# reuses this engine sets its own
SKIP=set()
LAB=re.compile(r'^(Q|[A-Z][A-Z\.\-\' ]+[A-Z]):?[\s\xa0]')
FILL=re.compile(r"^(?:—[\s\xa0]*|you know,[\s\xa0]*|(?:Thanks|Thank you|Sure|Yeah|Yes|Okay|Ok|Well|So|Look|Again|Oh|Right|Great|Hey|All right|And so|And look|And fourth|First of all|First|Second|Secondly|Third|Fourth|Finally|And|Remember|And again|But again|So look|Now|I mean|No)[,.!—\-]*[\s\xa0]+|(?:Well|So|Look|And|But)[\s\xa0]+(?=\S))",re.I)
def norm(s):
    out=[];m=[]
    prev_ws=False
    for i,c in enumerate(s):
        if c.isspace():
            if prev_ws: continue
            out.append(' ');m.append(i);prev_ws=True
        else:
            prev_ws=False
            c={'’':"'",'‘':"'",'“':'"','”':'"'}.get(c,c)
            out.append(c);m.append(i)
    return ''.join(out),m
def nfind(text,phrase,lo,hi,near=None):
    """find phrase (normalized) in text[lo:hi]; return list of (start,end) original offsets"""
    seg=text[lo:hi]; ns,m=norm(seg); p=norm(phrase)[0].strip()
    res=[];i=ns.find(p)
    while i>=0:
        s=lo+m[i]; e=lo+m[i+len(p)-1]+1
        res.append((s,e)); i=ns.find(p,i+1)
    return res
def wb(x,c):
    return [z for z in c if (z[0]==0 or not x[z[0]-1].isalnum() or not x[z[0]].isalnum()) and (z[1]>=len(x) or not x[z[1]].isalnum())]
def pick(c,near):
    if not c: return None
    if near is None: return c[0]
    return min(c,key=lambda x:abs(x[0]-near))
def turns(x):
    ps=paras(x); out=[]; spk=None; labst=None
    for st,s in ps:
        m=LAB.match(s.replace('\xa0',' '))
        if m and (m.group(1) in ENT or m.group(1)=='Q' or s.replace('\xa0',' ')[len(m.group(1))]==':'):
            spk=m.group(1); labst=st; body=st+m.end()
            first=True
        else:
            body=st; first=False
        out.append(dict(start=st,end=st+len(s),spk=spk,lab=labst,body=body,first=first,text=s))
    return out
def autotrim(x,a,b):
    s=x[a:b]
    while True:
        s2=s.lstrip(); a+=len(s)-len(s2); s=s2
        m=FILL.match(s)
        if not m: break
        a+=m.end(); s=s[m.end():]
    # trailing procedural
    while True:
        s=x[a:b].rstrip(); b=a+len(s)
        m=re.search(r'(?:Go ahead|Thank you|Thanks|Next question|Okay|All right)[.!]?$',s)
        if m and m.start()>0 and re.search(r'[.?!][\s\xa0]*$',s[:m.start()]):
            b=a+m.start(); continue
        break
    s=x[a:b]
    if len(s)>2 and s[-1] in '”"' and s[-2] in '.?!,': s=s[:-2]
    while s and s[-1] in '.?!;:, \xa0\n—': s=s[:-1]
    return a,a+len(s)
LINKS=[]
def add_links(s,lk,problems,l):
    for z in lk or []:
        m=re.match(r'^(P\d)([adu])$',z)
        if not m: problems.append((s['document'],'bad link',z,l)); continue
        LINKS.append(dict(document=s['document'],content_start=s['content_start'],cue_start=s['cue_start'],content=s['content'],proposition=m.group(1),stance={'a':'affirm','d':'deny','u':'uncertain'}[m.group(2)]))
def main(only=None):
    docs=[];stmts=[];problems=[]
    for row in DOCS:
        rid,key,a,lastp=row[0],row[1],int(row[2]),int(row[3])
        ks=[k for k in d if key in k]; assert len(ks)>=1,key
        r=d[ks[0]]; t=r['text']
        end=[st+len(s) for st,s in paras(t) if st==lastp]; assert end,(rid,lastp)
        x=t[a:end[0]]
        assert LAB.match(x.replace('\xa0',' ')),(rid,x[:30])
        docs.append(dict(id=rid,url=r['url'],title=r['title'],published=r['published'],kind='transcript',category=r['category'],text=x,excerpt_of=dict(id=r['id'],start=a,end=end[0]),license=LIC))
        T=turns(x); date=r['published']
        fn=os.path.join(HERE,'ann',rid.replace('#','_')+'.txt')
        ann=[l.rstrip('\n') for l in open(fn)] if os.path.exists(fn) else []
        lab={}; nest=[]
        for l in ann:
            if not l.strip() or l.startswith('#'): continue
            lk=''
            if '@' in l:
                l,lk=l.rsplit('@',1); lk=lk.split()
            m=re.match(r'p(\d+)(?:-(\d+))?\s*(\+|L)?\s*\|?\s*(.*)$',l)
            if not m: problems.append((rid,'bad line',l)); continue
            pi=int(m.group(1)); pj=int(m.group(2) or pi); op=m.group(3); rest=m.group(4)
            f=[z.strip() for z in rest.split('|')]
            if op=='+': nest.append((pi,pj,f,(l,lk)))
            else: lab.setdefault(pi,[]).append((op,f,(l,lk)))
        for i,p in enumerate(T):
            spec=lab.get(i,[])
            isq=p['spk']=='Q' or p['spk'] is None or p['spk'] in SKIP
            if isq and not spec: continue
            if any(f[0]=='x' for op,f,l in spec): continue
            if not spec: spec=[(None,['a'],('',''))]
            for op,f,(l,lk) in spec:
                st=f[0] if f and f[0] else 'a'
                ev=[e for e in (f[1].split(',') if len(f)>1 and f[1] else [])]
                a0,b0=p['body'],p['end']
                if len(f)>2 and f[2]:
                    c=nfind(x,f[2],a0,b0)
                    if not c: problems.append((rid,'from not found',l)); continue
                    ca=c[0][0]
                else: ca=None
                if len(f)>3 and f[3]:
                    c=nfind(x,f[3],a0,b0)
                    if not c: problems.append((rid,'to not found',l)); continue
                    cb=c[-1][1]
                else: cb=None
                aa,bb=autotrim(x,a0,b0)
                if aa>=bb and not (len(f)>2 and f[2]): continue
                if ca is not None: aa=ca
                if cb is not None: bb=cb
                spk=p['spk']; ls=p['lab']
                cue=spk+':' if x[ls+len(spk):ls+len(spk)+1]==':' else spk
                stance={'a':'affirm','d':'deny','u':'uncertain'}[st]
                stmts.append(dict(document=rid,kind='label',source=spk,source_start=ls,source_entity=ENT.get(spk,spk),cue=cue,cue_start=ls,content=x[aa:bb],content_start=aa,stance=stance,said_on=date,said_on_text=None,said_on_granularity='day',evidence=ev,via=None)); add_links(stmts[-1],lk,problems,l)
        for pi,pj,f,(l,lk) in nest:
            try:
                kind,src,cue,cont,st,ent=f[:6]
                sot=f[6] if len(f)>6 else ''; so=f[7] if len(f)>7 else ''; ev=f[8] if len(f)>8 else ''; via=f[9] if len(f)>9 else ''
            except ValueError:
                problems.append((rid,'few fields',l)); continue
            lo=T[pi]['start']; hi=T[pj]['end']
            if '~~' in cont:
                c1,c2=cont.split('~~'); s1=nfind(x,c1,lo,hi)
                if not s1: problems.append((rid,'content not found',l)); continue
                s2=nfind(x,c2,s1[0][0],hi)
                if not s2: problems.append((rid,'content end not found',l)); continue
                cs,ce=s1[0][0],s2[0][1]
            else:
                c=nfind(x,cont,lo,hi)
                if len(cont)<15: c=wb(x,c)
                if not c: problems.append((rid,'content not found',l)); continue
                cs,ce=c[0]
                if len(c)>1 and cue:
                    cqs=wb(x,nfind(x,cue,lo,hi))
                    if cqs: cs,ce=min(c,key=lambda z:min(abs(z[0]-q[1]) for q in cqs))
            cq=pick(wb(x,nfind(x,cue,lo,hi)),cs) if cue else None
            if cue and not cq: problems.append((rid,'cue not found',l)); continue
            if src:
                sq=pick(wb(x,nfind(x,src,lo,hi)),cq[0] if cq else cs)
                if not sq: problems.append((rid,'source not found',l)); continue
            else: sq=None
            gran=None
            if so:
                if '/' in so: so,gran=so.split('/')
                else: gran='day'
            if so=='D': so=date
            stmts.append(dict(document=rid,kind=kind,source=x[sq[0]:sq[1]] if sq else None,source_start=sq[0] if sq else None,source_entity=ent or None,cue=x[cq[0]:cq[1]] if cq else None,cue_start=cq[0] if cq else None,content=x[cs:ce],content_start=cs,stance={'a':'affirm','d':'deny','u':'uncertain'}[st],said_on=so or None,said_on_text=sot or None,said_on_granularity=gran,evidence=[e for e in ev.split(',') if e],via=via or None)); add_links(stmts[-1],lk,problems,l)
    order={r['id']:i for i,r in enumerate(docs)}
    stmts.sort(key=lambda s:(order[s['document']],s['content_start'],s['cue_start'] or 0))
    with open(OUT+'/documents.jsonl','w') as fo:
        for r in docs: fo.write(json.dumps(r,ensure_ascii=False)+'\n')
    with open(OUT+'/statements.jsonl','w') as fo:
        for s in stmts: fo.write(json.dumps(s,ensure_ascii=False)+'\n')
    LINKS.sort(key=lambda a:(order[a['document']],a['content_start'],a['cue_start'] or 0,a['proposition']))
    with open(OUT+'/assignments.jsonl','w') as fo:
        for a in LINKS: fo.write(json.dumps(a,ensure_ascii=False)+'\n')
    print(len(LINKS),'links')
    for p in problems: print('PROBLEM',p)
    print(len(docs),'docs',sum(len(r['text']) for r in docs),'chars',len(stmts),'statements')
    return docs,stmts
if __name__=='__main__':
    main()
