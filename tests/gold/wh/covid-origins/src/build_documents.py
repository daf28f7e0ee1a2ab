"""Cut the excerpts (documents.jsonl) from the wh-briefings corpus: each excerpt runs from a
speaker-label line (start marker) to the end marker, both matched with flexible whitespace."""
import sys, json, re, os, gzip
CORPUS='/work/shared/corpora/wh-briefings/wh-briefings-2021-2024h1.jsonl.gz'
rows={}
for l in gzip.open(CORPUS,'rt'):
    r=json.loads(l); rows[r['id']]=r
def find(prefix):
    return [k for k in rows if k.startswith(prefix)]
SPEC = [
 ("2021-02-09-press-briefing-by-press-secretary", None, "Q    And lastly, the World Health Organization said today", "reviewing the\nfindings in detail."),
 ("2021-03-30-press-briefing-by-press", None, "Q    And one other topic.  Twenty-three countries", "provide us greater understanding of the origin of the virus."),
 ("2021-05-07-press-briefing-by-press", None, "Q    Excellent.  And then on the coronavirus", "United States.  And we look forward to reviewing that."),
 ("2021-05-24-press-briefing-by-press", 1, "Q    Thank you.  On the origins of COVID", "That’s something we\nall share."),
 ("2021-05-24-press-briefing-by-press", 2, "Q    Okay.  A follow-up on the China/Wuhan question", "I don’t have anything more on a\nU.S. intelligence report from here."),
 ("2021-05-25-press-briefing-by-press", None, "Q    Thanks so much, Jen.  I’ve got two questions.", "play a constructive\nrole in the second phase of the investigation."),
 ("2021-05-27-press-gaggle", 1, "Q    Jen, can you elaborate what changed", "extend the investigation."),
 ("2021-05-27-press-gaggle", 2, "Q    Jen, will China face consequences", "assessments before that\ntime."),
 ("2021-06-03-press-briefing-by-press", 1, "Q    Okay.  And then going to the emails with Dr. Fauci", "which\ncertainly we all want to get to the bottom of."),
 ("2021-06-03-press-briefing-by-press", 2, "Q    But has anyone from your team briefed the President", "that’s something that he\ndid early on in his administration."),
 ("2021-08-25-press-briefing-by-press", 1, "Q    And also, can you give us an update on where things stand", "we will also ensure you all have access to\nit."),
 ("2021-08-25-press-briefing-by-press", 2, "Q    And then, secondly, what is President Biden prepared", "We’ll talk about that once the summary is out in public."),
 ("2021-09-10-press-briefing-by-press", None, "Q    Thank you, Jen.  To follow up on the call with President Xi", "I’m just not going to have more in the call\nto read out for you."),
 ("2023-02-27-press-briefing", 1, "Q Thanks, Karine. John, on the Department of Energy’s findings", "So, I think that’s a fancy way of saying “yes.”"),
 ("2023-02-27-press-briefing", 2, "Q And then, to just go back to the DOE assessment", "I’m certainly not going to get into — ahead of their process."),
 ("2023-02-27-press-briefing", 3, "Q Thank you, Karine. Sorry, I wasn’t sure.", "That’s what the American\npeople should have confidence in, is that you have a President that\nwants to get to the bottom of this."),
 ("2023-02-28-press-gaggle", None, "Q    Olivia, on the Energy Department analysis", "I don’t have anything new to share on that today."),
 ("2023-03-01-press-briefing", None, "Q    China flew a spy craft over the U.S.", "very different than how we have\nseen it in the last administration."),
 ("2023-03-02-press", None, "Q    Thanks, John.  So, a bill requiring the DNI", "come away from that thinking that he’s not taking this seriously."),
 ("2023-03-21-press", 1, "Q    Thank you.  John, about the bill President Biden signed yesterday", "We just want the best possible outcome that we can get."),
 ("2023-03-21-press", 2, "Q    The bill that the President signed yesterday on COVID origins", "until more information is available."),
]
LIC = "public domain (US federal government work); from the official briefing-room archive via the wh-briefings corpus"
out=[]; tot=0
for pre, n, s, e in SPEC:
    ks=find(pre); assert len(ks)==1,(pre,ks)
    r=rows[ks[0]]; t=r['text']
    rx=lambda x: re.compile(r'\s+'.join(re.escape(w) for w in x.split()))
    ms=list(rx(s).finditer(t)); assert len(ms)==1,(pre,s,len(ms)); a=ms[0].start()
    assert a==0 or t[a-1]=='\n'
    m=rx(e).search(t,a); assert m,(pre,e); b=m.end()
    rid=r['id']+(f"#{n}" if n else "")
    out.append(dict(id=rid,url=r['url'],title=r['title'],published=r['published'],kind=r['kind'],category=r['category'],text=t[a:b],excerpt_of=dict(id=r['id'],start=a,end=b),license=LIC))
    tot+=b-a; print(rid[:70], b-a)
print(tot, len(set(o['excerpt_of']['id'] for o in out)))
with open(os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),'documents.jsonl'),'w') as f:
    for o in out: f.write(json.dumps(o,ensure_ascii=False)+"\n")
