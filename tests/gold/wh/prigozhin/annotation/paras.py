"""The story's transcripts, read from the corpus, and their blank-line paragraphs.

`d` maps corpus id to row for every transcript from 2023-06-24 to 2023-12-31 that names
Prigozhin or Wagner, plus Biden's 06-26 broadband remarks, which open on the rebellion without
naming either. `paras(text)` lists each paragraph as (start offset, text): a paragraph is a run of
non-blank lines (blank lines here hold only spaces and no-break spaces), and it starts at its
first non-space character, because some transcripts indent their turns with no-break spaces and a
speaker label must open the paragraph.

    python3 paras.py KEY FIRST LAST   # print paragraphs FIRST..LAST of the transcript whose id
                                      # contains KEY, numbered as docs.spec and ann/*.txt number them
"""
import gzip
import json
import os
import re
import sys

CORPUS = os.environ.get('WH_CORPUS', '/work/shared/corpora/wh-briefings/wh-briefings-2021-2024h1.jsonl.gz')
STORY = re.compile(r'Prigozhin|Wagner')
EXTRA = ('2023-06-26-remarks-by-president-biden-on-broadband',)
PARAGRAPH = re.compile(r'[^\n]*\S[^\n]*(?:\n[^\n]*\S[^\n]*)*')

d = {}
with gzip.open(CORPUS, 'rt', encoding='utf-8') as _f:
    for _line in _f:
        _row = json.loads(_line)
        if '2023-06-24' <= _row['published'] <= '2023-12-31' and (
                STORY.search(_row['text']) or _row['id'].startswith(EXTRA)):
            d[_row['id']] = _row


def paras(text):
    out = []
    for m in PARAGRAPH.finditer(text):
        block = m.group()
        out.append((m.start() + len(block) - len(block.lstrip()), block.strip()))
    return out


if __name__ == '__main__':
    key, first, last = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    text = d[next(k for k in d if key in k)]['text']
    for i, (start, para) in enumerate(paras(text)):
        if first <= i <= last:
            print(f'#{i} [{start}] ' + ' '.join(para.split()))
