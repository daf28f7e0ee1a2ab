"""Cluster the iran-drones gold source mentions by source_entity into ../sources.json.

Each entity gets (type, role, affiliation, country, alignment). Alignment is the side of the war
in Ukraine of the source's government, as in the Kursk gold: the U.S. administration, the G7
and Ukraine are Ukraine-aligned; Iran and Russia (and the joint China-Russia statement) are
Russia-aligned; news media are neutral; a private businessman is unknown.
"""
import json
import os

D = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + '/'
US, UA, IR = 'United States', 'Ukraine-aligned', 'Russia-aligned'
META = {
    'John Kirby': ('person', 'NSC Coordinator for Strategic Communications; later White House National Security Communications Advisor', 'National Security Council', US, UA),
    'Karine Jean-Pierre': ('person', 'White House Press Secretary', 'White House', US, UA),
    'Jake Sullivan': ('person', 'National Security Advisor', 'National Security Council', US, UA),
    'Joe Biden': ('person', 'President of the United States', 'White House', US, UA),
    'Antony Blinken': ('person', 'Secretary of State', 'U.S. Department of State', US, UA),
    'senior administration official (unnamed)': ('unnamed', 'background briefer', 'Biden administration', US, UA),
    'Biden administration': ('government_body', 'institutional "we" of White House speakers', None, US, UA),
    'G7': ('government_body', 'Group of Seven governments (joint statement)', None, None, UA),
    'Ukraine': ('government_body', None, None, 'Ukraine', UA),
    'Iran': ('government_body', None, None, 'Iran', IR),
    'Iran; Russia': ('government_body', 'joint source ("both Iran and Russia")', None, None, IR),
    'China; Russia': ('government_body', 'joint source (their joint statement, "the two sides")', None, None, IR),
    'Iranian government officials (unnamed)': ('unnamed', 'quoted in press reporting', 'Government of Iran', 'Iran', IR),
    'Reuters': ('media', 'news agency', None, None, 'neutral'),
    'news media (unnamed)': ('media', None, None, None, 'neutral'),
    'SK siltron css': ('organization', 'semiconductor materials company', 'SK Group', 'United States', 'unknown'),
    'Tony Chey': ('person', 'Chairman, SK Group', 'SK Group', 'South Korea', 'unknown'),
}


def write():
    docs = [json.loads(line) for line in open(D + 'documents.jsonl', encoding='utf-8')]
    order = [r['id'] for r in docs]
    pub = {r['id']: (r['published'], r['excerpt_of']['id']) for r in docs}
    st = [json.loads(line) for line in open(D + 'statements.jsonl', encoding='utf-8')]
    clusters = {}

    def key_of(s):
        e = s['source_entity']
        if e == 'reporter (unnamed)':
            p, cid = pub[s['document']]
            kind = 'gaggle' if 'gaggle' in cid else ('background briefing' if 'background' in cid else 'briefing')
            return f'reporters at the {p} {kind} (unnamed)'
        return e

    for s in st:
        k = key_of(s)
        if k is None:
            continue
        c = clusters.setdefault(k, {})
        if s['source_start'] is not None:
            c[(s['document'], s['source_start'])] = s['source']
    # relay-only intermediaries get a cluster too, so that every `via` has an id
    for s in st:
        if s['via']:
            clusters.setdefault(s['via'], {})
    out = []
    for i, k in enumerate(sorted(clusters, key=lambda k: (-len(clusters[k]), k)), 1):
        if k.startswith('reporters at'):
            m = ('unnamed', 'reporters (Q turns)', 'White House press corps', None, 'neutral')
        else:
            m = META[k]
        out.append({'id': f'S{i}', 'name': k, 'type': m[0], 'role': m[1], 'affiliation': m[2],
                    'country': m[3], 'alignment': m[4],
                    'mentions': [{'document': d, 'source_start': ss, 'text': t} for (d, ss), t in
                                 sorted(clusters[k].items(), key=lambda z: (order.index(z[0][0]), z[0][1]))]})
    with open(D + 'sources.json', 'w', encoding='utf-8') as f:
        json.dump({'sources': out}, f, ensure_ascii=False, indent=2)
        f.write('\n')
    print(len(out), 'clusters', sum(len(c['mentions']) for c in out), 'mentions')
    for c in out:
        print(c['id'], c['name'], len(c['mentions']))


if __name__ == '__main__':
    write()
