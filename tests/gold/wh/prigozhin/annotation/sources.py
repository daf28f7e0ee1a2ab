"""Build sources.json: the story's source mentions clustered by source_entity.

The clustering is balloon's (`../../balloon/annotation/sources.py: write`); this file holds only
this story's entity table: (type, role, affiliation, alignment) per canonical source.
"""
import importlib.util
import os

D = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + '/'


def _balloon():
    path = os.path.join(os.path.dirname(D.rstrip('/')), 'balloon', 'annotation', 'sources.py')
    spec = importlib.util.spec_from_file_location('balloon_sources', path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


BALLOON = _balloon()
# Sources both stories share keep balloon's description, so the two stories' clusters agree.
SHARED = ('John Kirby', 'Karine Jean-Pierre', 'Joe Biden', 'Antony Blinken', 'Biden administration',
          'U.S. officials (unnamed)', 'news media (unnamed)')
META = {name: BALLOON.META[name] for name in SHARED}
# name | type | role | affiliation | alignment ("-" for none)
TABLE = """
Jake Sullivan | person | National Security Advisor | National Security Council | United States
Olivia Dalton | person | Principal Deputy White House Press Secretary | White House | United States
Andrew Bates | person | White House Deputy Press Secretary | White House | United States
Gina Raimondo | person | Secretary of Commerce | U.S. Department of Commerce | United States
Mark Warner | person | U.S. Senator (D-Virginia), chair of the Senate Intelligence Committee | U.S. Senate | United States
Tommy Tuberville | person | U.S. Senator (R-Alabama) | U.S. Senate | United States
U.S. Department of Defense officials (unnamed) | unnamed | - | U.S. Department of Defense | United States
U.S. companies (unnamed) | unnamed | U.S. businesses | - | United States
Western intelligence officials (unnamed) | unnamed | - | Western intelligence services | unknown
The Wall Street Journal | media | newspaper | - | neutral
Yevgeny Prigozhin | person | head of the Wagner Group | Wagner Group | Russia
Sergey Lavrov | person | Foreign Minister of Russia | Government of Russia | Russia
Kremlin | government_body | the Russian presidency and its spokesman | Government of Russia | Russia
Russia | government_body | "the Russian side" | - | Russia
Alexander Lukashenko | person | President of Belarus | Government of Belarus | Belarus
Volodymyr Zelenskyy | person | President of Ukraine | Government of Ukraine | Ukraine
Ukraine | government_body | "the Ukrainians" | - | Ukraine
Andrzej Duda | person | President of Poland | Government of Poland | Poland
Eastern European NATO allies | government_body | Eastern European NATO member states | NATO | unknown
"""
for _row in TABLE.strip().splitlines():
    _name, *_fields = [None if f == '-' else f for f in _row.split(' | ')]
    META[_name] = tuple(_fields)
COUNTRY = {**BALLOON.COUNTRY, **{c: c for c in ('Russia', 'Ukraine', 'Belarus', 'Poland')}}

if __name__ == '__main__':
    BALLOON.write(D, META, COUNTRY)
