"""Documents written to break things: rich markup, ANSI escapes, bidi overrides, formulas.

Each looks like news (so extraction finds attributed statements in it) but every field that
ends up on a terminal, in a CSV cell or in the HTML report carries something hostile.
"""

from __future__ import annotations

import json
from pathlib import Path

MARKUP = "[/x]"
ANSI = "\x1b[31m"
RLO = "\u202e"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

ROWS = [
    {"url": "https://news.example.org/a", "published": "2024-10-18", "kind": "news",
     "title": '[bold]Troops[/bold] =HYPERLINK("http://evil.example","click")',
     "publisher": MARKUP,
     "text": 'Defence minister Anna Berg said on Monday that "North Korean troops are in the '
             'Kursk region [/red] and =1+2 units are moving". The Kremlin denied the reports, '
             f'calling them "+fabricated {ANSI}lies\x1b[0m".'},
    {"url": "javascript:alert(1)", "published": "2024-10-20", "kind": "statement",
     "title": f"@SUM(1+1) {RLO}gnp.exe", "publisher": "=cmd|' /C calc'!A0",
     "text": 'Ministry spokesman Ivan Petrov said that "-2 battalions of North Korean troops '
             'are in the Kursk region". "=There are no troops in Kursk," Petrov later told '
             "reporters."},
    {"url": f"https://x.example/{RLO}", "published": "2024-10-22", "kind": "transcript",
     "title": "\tTabbed [link=javascript:alert(1)]title[/link]", "publisher": "+Plus Wire",
     "text": 'General Mark Stone told reporters: "@North Korean troops are in the Kursk '
             'region, we have satellite images." According to =officials, the troops arrived '
             "in October."},
]


def write_corpus(folder: Path) -> Path:
    """The hostile documents as one JSON Lines corpus (one document per line)."""
    path = folder / "hostile.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in ROWS), encoding="utf-8")
    return path


def write_propositions(folder: Path) -> Path:
    path = folder / "hostile-props.json"
    path.write_text(json.dumps({"propositions": [
        {"id": MARKUP, "statement": f"North Korean troops are in the Kursk region {MARKUP}"},
        {"id": "P2", "statement": f"[bold]{ANSI}North Korea{RLO} sent troops"}]}),
        encoding="utf-8")
    return path


# Script-injection payloads (OWASP filter-evasion cheat sheet, PortSwigger's list, and breakouts
# aimed at this report's own markup: <bdi>, <mark>, SVG <title>/<text>, #stmt- fragments).
XSS_PAYLOADS = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<svg onload=alert(1)>",
    "<svg/onload=alert(1)>", "<body onload=alert(1)>", '<iframe src="javascript:alert(1)">',
    '<a href="javascript:alert(1)">x</a>', "javascript:alert(1)", "JaVaScRiPt:alert(1)",
    '" onmouseover="alert(1)', "' onmouseover='alert(1)", '"><script>alert(1)</script>',
    "'><script>alert(1)</script>", "</title><script>alert(1)</script>",
    "</textarea><script>alert(1)</script>", "</style><script>alert(1)</script>",
    "</script><script>alert(1)</script>", "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<IMG SRC=javascript:alert('XSS')>", '<IMG SRC=`javascript:alert("XSS")`>',
    '<IMG """><SCRIPT>alert("XSS")</SCRIPT>">',
    "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;"
    "&#114;&#116;&#40;&#49;&#41;>", "&#x6A;avascript:alert(1)",
    "<details open ontoggle=alert(1)>", "<input autofocus onfocus=alert(1)>",
    "<select autofocus onfocus=alert(1)>", "<textarea autofocus onfocus=alert(1)>",
    "<video><source onerror=alert(1)>", "<audio src=x onerror=alert(1)>",
    "<marquee onstart=alert(1)>", '<object data="javascript:alert(1)">',
    '<embed src="javascript:alert(1)">', '<form action="javascript:alert(1)"><input type=submit>',
    '<button formaction="javascript:alert(1)">x', "<math><mtext><table><mglyph><style>"
    "<img src=x onerror=alert(1)>", "<svg><script>alert(1)</script></svg>",
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    '<svg><a xlink:href="javascript:alert(1)"><text x=20 y=20>x</text></a></svg>',
    "<svg><foreignObject><img src=x onerror=alert(1)></foreignObject></svg>",
    "<![CDATA[<script>alert(1)</script>]]>", "<!--<script>alert(1)</script>-->",
    "--><script>alert(1)</script>", '<base href="javascript:alert(1)//">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<link rel=stylesheet href="javascript:alert(1)">',
    '<style>@import "javascript:alert(1)";</style>',
    '<div style="background:url(javascript:alert(1))">', '<div style="width:expression(alert(1))">',
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "vbscript:msgbox(1)",
    "%3Cscript%3Ealert(1)%3C/script%3E", "<scRipt>alert(1)</scRipt>",
    "<script src=data:,alert(1)></script>", "<script>/*</script><script>alert(1)//*/</script>",
    "{{constructor.constructor('alert(1)')()}}", "${alert(1)}", "`;alert(1);//", '";alert(1);//',
    "');alert(1);//", "</bdi><script>alert(1)</script>", "</mark><img src=x onerror=alert(1)>",
    "</text><script>alert(1)</script>", "</title><svg onload=alert(1)>",
    "]]><script>alert(1)</script>", "<isindex action=javascript:alert(1) type=image>",
    "<keygen autofocus onfocus=alert(1)>", '<a href=" javascript:alert(1)">x</a>',
    "java\tscript:alert(1)", "java\nscript:alert(1)", "\x00javascript:alert(1)",
    ' javascript:alert(1)', '<img src="x" onerror="&#97;lert(1)">',
    '<iframe srcdoc="<script>alert(1)</script>">',
    "<svg><set attributeName=onmouseover to=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<template><script>alert(1)</script></template>",
    '<table background="javascript:alert(1)">',
    "<x contenteditable autofocus onblur=alert(1)>x", "<a id=x tabindex=1 onfocus=alert(1)></a>",
    '#stmt-%"><img src=x onerror=alert(1)>', "\u202e<img src=x onerror=alert(1)>",
]
