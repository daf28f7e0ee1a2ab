"""This story's selection of the corpus; paragraph splitting is the balloon story's."""
import gzip,json,os,re,sys
import importlib.util
HERE=os.path.dirname(os.path.abspath(__file__))
CORPUS=os.environ.get('WH_CORPUS','/work/shared/corpora/wh-briefings/wh-briefings-2021-2024h1.jsonl.gz')
d={}
for _l in gzip.open(CORPUS,'rt',encoding='utf-8'):
    _r=json.loads(_l)
    if '2023-10-17'<=_r['published']<='2023-11-30' and ('hospital' in _r['text'].lower() or 'telling the truth about how many' in _r['text']) and 'gaza' in _r['text'].lower(): d.setdefault(_r['id'],_r)
KW=re.compile(r'hospital|Ahli|blast|explosion|rocket|Islamic Jihad|PIJ|intelligence|casualt|killed|death toll|health ministry|Ministry of Health|Hamas|Gaza',re.I)
_spec=importlib.util.spec_from_file_location('balloon_paras_split',os.path.join(HERE,'..','..','balloon','annotation','paras.py'))
def _split():
    # the balloon module reads its own corpus selection on import; only its paras() is used
    m=importlib.util.module_from_spec(_spec); _spec.loader.exec_module(m); return m.paras
paras=_split()
def get(key):
    return d[[k for k in d if key in k][0]]
if __name__=='__main__':
    r=get(sys.argv[1]); t=r['text']
    w=int(sys.argv[2]) if len(sys.argv)>2 else 100
    for st,s in paras(t):
        print('*' if KW.search(s) else ' ',st,s.replace('\n',' ').replace('\xa0',' ')[:w])
