"""Build sources.json for this story with the balloon story's clustering (same rules)."""
import importlib.util
import os
HERE=os.path.dirname(os.path.abspath(__file__))
D=os.path.dirname(HERE)+'/'
_spec=importlib.util.spec_from_file_location('balloon_sources',os.path.join(HERE,'..','..','balloon','annotation','sources.py'))
_balloon=importlib.util.module_from_spec(_spec); _spec.loader.exec_module(_balloon)
US='United States'; IL='Israel'; PS='Palestinian'
META={
 'Karine Jean-Pierre':('person','White House Press Secretary','White House',US),
 'John Kirby':('person','NSC Coordinator for Strategic Communications','National Security Council',US),
 'Joe Biden':('person','President of the United States','White House',US),
 'Biden administration':('government_body','institutional "we" of White House speakers; "the President and everyone on down"',None,US),
 'U.S. Department of Defense':('government_body',None,None,US),
 'Israel':('government_body','"the Israelis", "They" (the Israeli government and military)',None,IL),
 'Mahmoud Abbas':('person','President of the Palestinian Authority','Palestinian Authority',PS),
 'Gaza Health Ministry':('government_body','Hamas-run ministry of health in Gaza','Hamas',PS),
 'a lot of people (unnamed)':('unnamed','unspecified people who have called the Gaza Health Ministry unreliable',None,'unknown'),
 'unspecified people (unnamed)':('unnamed','"They tell me" (whoever told the President)',None,'unknown'),
}
COUNTRY={US:'United States',IL:'Israel',PS:'Palestinian territories'}
if __name__=='__main__':
    _balloon.write(D, META, COUNTRY)
