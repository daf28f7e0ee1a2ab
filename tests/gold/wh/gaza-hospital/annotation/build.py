"""Build this story's data files with the balloon story's annotation builder (same line format).

Only the excerpt list (docs.txt), the annotation (ann/*.txt), the corpus selection (paras.py) and
the speaker labels differ; the builder's module globals are pointed at this folder.
"""
import importlib.util
import os
import sys
HERE=os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0,HERE)  # so the builder's `from paras import …` takes this story's paras.py
_spec=importlib.util.spec_from_file_location('balloon_build',os.path.join(HERE,'..','..','balloon','annotation','build.py'))
_b=importlib.util.module_from_spec(_spec); _spec.loader.exec_module(_b)
_b.HERE=HERE
_b.OUT=os.path.dirname(HERE)
_b.DOCS=[l.split() for l in open(os.path.join(HERE,'docs.txt')) if l.strip() and not l.startswith('#')]
_b.ENT={**_b.ENT,'PRESIDENT BIDEN':'Joe Biden','PRIME MINISTER NETANYAHU':'Benjamin Netanyahu'}
turns=_b.turns
main=_b.main
if __name__=='__main__':
    main()
