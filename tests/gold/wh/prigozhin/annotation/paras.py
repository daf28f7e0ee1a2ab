import re,pickle,sys
import gzip,json,os
CORPUS=os.environ.get('WH_CORPUS','/work/shared/corpora/wh-briefings/wh-briefings-2021-2024h1.jsonl.gz')
d={}
for _l in gzip.open(CORPUS,'rt',encoding='utf-8'):
    _r=json.loads(_l)
    if '2023-06-24'<=_r['published']<='2023-12-31' and (re.search(r'Prigozhin|Wagner',_r['text']) or _r['id'].startswith('2023-06-26-remarks-by-president-biden-on-broadband')): d[_r['id']]=_r
KW=re.compile(r'Prigozhin|Wagner|mutiny|rebellion|Putin|Kremlin|plane|crash|Belarus|Lukashenko|mercenar|coup|insurrection|march|Moscow|Rostov',re.I)
def paras(t):
    out=[];pos=0;cur=None
    for line in t.splitlines(keepends=True):
        if line.strip():
            if cur is None: cur=[pos+len(line)-len(line.lstrip()),pos]  # a paragraph starts at its first non-space character
            cur[1]=pos+len(line.rstrip())
        else:
            if cur: out.append((cur[0],t[cur[0]:cur[1]])); cur=None
        pos+=len(line)
    if cur: out.append((cur[0],t[cur[0]:cur[1]]))
    return out
def get(key):
    ids=[k for k in d if key in k]; return d[ids[0]]
if __name__=='__main__':
    r=get(sys.argv[1]); t=r['text']
    w=int(sys.argv[2]) if len(sys.argv)>2 else 100
    for st,s in paras(t):
        flag='*' if KW.search(s) else ' '
        print(flag,st,s.replace('\n',' ').replace('\xa0',' ')[:w])
