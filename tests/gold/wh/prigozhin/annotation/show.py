from paras import *
r=get(sys.argv[1]); t=r['text']; a=int(sys.argv[2]); b=int(sys.argv[3])
for st,s in paras(t):
    if a<=st<b: print(f'[{st}] '+s.replace('\xa0',' ').replace('  \n','\n'))
