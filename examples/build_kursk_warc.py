#!/usr/bin/env python3
"""Build the deterministic WARC fixture ``capture-2024-11.warc.gz``.

The capture imitates a crawl of an (invented) news site, Eastmarch News,
made in November 2024. It holds three ``response`` records:

  * two HTML article pages (Content-Type: text/html; charset=utf-8), and
  * one tiny PNG image, which corroborate is expected to skip.

All article text was written by the corroborate authors for this project.

The output is byte-for-byte reproducible: WARC-Date and WARC-Record-ID are
fixed, the HTTP Date headers are fixed, and warcio's gzip member writer
(zlib with a gzip wrapper) emits no timestamp. Rerun with

    python examples/kursk/_build_warc.py

Only the standard library and warcio are used.
"""

import os
import struct
import zlib
from io import BytesIO

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

HERE = os.path.dirname(os.path.abspath(__file__))
OUT_PATH = os.path.join(HERE, "kursk", "capture-2024-11.warc.gz")

SITE = "https://www.eastmarch-news.test"

PAGE_NIS = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Seoul: North Korean troops attached to Russian marine and airborne units, some already fighting | Eastmarch News</title>
<meta name="author" content="Yoon Hae-jin">
<meta name="description" content="South Korea's spy agency tells lawmakers that North Korean soldiers have been folded into Russian units in Kursk.">
<meta property="og:site_name" content="Eastmarch News">
<meta property="og:title" content="Seoul: North Korean troops attached to Russian marine and airborne units, some already fighting">
<meta property="og:type" content="article">
<meta property="og:url" content="https://www.eastmarch-news.test/asia/2024/11/13/nis-north-korean-troops-russian-marine-airborne-units">
<meta property="article:published_time" content="2024-11-13T18:20:00+09:00">
<link rel="canonical" href="https://www.eastmarch-news.test/asia/2024/11/13/nis-north-korean-troops-russian-marine-airborne-units">
</head>
<body>
<header class="masthead">
<a href="/"><img src="/static/img/eastmarch-logo.png" alt="Eastmarch News"></a>
<nav><a href="/asia">Asia</a> <a href="/europe">Europe</a> <a href="/americas">Americas</a> <a href="/analysis">Analysis</a> <a href="/about">About</a></nav>
</header>
<main>
<article>
<h1>Seoul: North Korean troops attached to Russian marine and airborne units, some already fighting</h1>
<p class="byline">By Yoon Hae-jin, Seoul correspondent &middot; <time datetime="2024-11-13T18:20:00+09:00">13 November 2024</time></p>

<p>North Korean soldiers sent to Russia have been split up and assigned to Russian marine and airborne units, and some of them have already begun fighting in the Kursk region, South Korea's National Intelligence Service told lawmakers on Wednesday.</p>

<p>The agency gave the closed-door briefing to parliament's intelligence committee, and its contents were relayed to reporters by two committee members, Lee Seong-kweun of the ruling People Power Party and Park Sun-won of the opposition Democratic Party.</p>

<p>According to the lawmakers, the NIS said that a "considerable number" of the more than 10,000 North Korean troops in Russia had been moved to the front and were taking part in combat alongside Russian forces. The agency did not say how many, nor did it provide casualty figures, and Lee said officials had declined to answer questions on that point.</p>

<p>"They are not operating as a separate North Korean force. They have been folded into Russian units, which tells you Moscow wants to use them where it needs them most," Lee told reporters after the session.</p>

<p>Park said the NIS had also assessed that Pyongyang was sending additional weapons, including 170mm self-propelled guns and 240mm multiple rocket launchers, and that North Korean artillery crews could follow. He added that the agency believed North Korea was receiving air-defence equipment and technical help from Russia in return, although he did not say what evidence it had.</p>

<p>The briefing marks a shift from the agency's position a week ago, when it said it was still verifying a claim by Ukraine's defence minister that the first small engagement had taken place.</p>

<p>Neither Moscow nor Pyongyang has acknowledged that North Korean troops are fighting. The NIS's claim that the soldiers are deployed in combat could not be independently verified.</p>
</article>
<aside class="more"><h2>Related</h2><a href="/europe/2024/11/14/us-north-korean-troops-combat-kursk">U.S. says North Korean troops have begun combat operations in Kursk</a></aside>
</main>
<footer><p>&copy; 2024 Eastmarch News &middot; <a href="/terms">Terms</a> &middot; <a href="/privacy">Privacy</a> &middot; <a href="/contact">Contact the newsroom</a></p></footer>
</body>
</html>
"""

PAGE_US = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>U.S. says North Korean troops have begun combat operations in Kursk | Eastmarch News</title>
<meta name="author" content="Martin Keller">
<meta name="description" content="Washington says most of the North Korean troops in Russia are now in Kursk and engaging in combat, as Moscow prepares a counteroffensive.">
<meta property="og:site_name" content="Eastmarch News">
<meta property="og:title" content="U.S. says North Korean troops have begun combat operations in Kursk">
<meta property="og:type" content="article">
<meta property="og:url" content="https://www.eastmarch-news.test/europe/2024/11/14/us-north-korean-troops-combat-kursk">
<meta property="article:published_time" content="2024-11-14T10:05:00+01:00">
<link rel="canonical" href="https://www.eastmarch-news.test/europe/2024/11/14/us-north-korean-troops-combat-kursk">
</head>
<body>
<header class="masthead">
<a href="/"><img src="/static/img/eastmarch-logo.png" alt="Eastmarch News"></a>
<nav><a href="/asia">Asia</a> <a href="/europe">Europe</a> <a href="/americas">Americas</a> <a href="/analysis">Analysis</a> <a href="/about">About</a></nav>
</header>
<main>
<article>
<h1>U.S. says North Korean troops have begun combat operations in Kursk</h1>
<p class="byline">By Martin Keller &middot; <time datetime="2024-11-14T10:05:00+01:00">14 November 2024</time></p>

<p>North Korean soldiers have started fighting alongside Russian forces in the Kursk region, the United States said this week, confirming for the first time what Kyiv had been claiming for nearly a month.</p>

<p>A State Department spokesman told reporters on Tuesday that more than 10,000 North Korean troops had been sent to eastern Russia, that most of them had since moved to Kursk, and that they had begun to engage in combat operations. Secretary of State Antony Blinken repeated the assessment in Brussels a day later, saying Washington and its allies would respond "firmly" but declining to spell out what that meant.</p>

<p>The North Koreans are believed to be part of a force of roughly 50,000 troops that Russia has assembled to push Ukrainian units out of the territory they seized in August, according to U.S. officials quoted in American media. Ukrainian commanders have said a counteroffensive could start at any moment.</p>

<p>On the ground, signs of the deployment remain fragmentary. A resident of a village near the front line in the Kursk region told a local Telegram channel that he had seen "soldiers who did not speak a word of Russian" pass through in trucks last week. His eyewitness account, like most of the videos circulating online, could not be verified, and some clips shared as evidence of North Korean troops have turned out to show Russian servicemen from Siberian republics.</p>

<p>Kyiv, for its part, accused Washington of moving too slowly. "We told everyone in October. Now everyone agrees. The question is what they will do about it," a Ukrainian presidential adviser said.</p>

<p>The Kremlin again refused to confirm the presence of the troops. Spokesman Dmitry Peskov said he had nothing to add to President Vladimir Putin's remarks last month, when Putin said that what Russia did under its treaty with Pyongyang was a "sovereign" matter.</p>

<p>Some Western commentators have questioned the timing of the announcements, suggesting that Washington could use them to justify loosening limits on Ukraine's use of U.S.-made long-range missiles, a step it has so far resisted.</p>
</article>
<aside class="more"><h2>Related</h2><a href="/asia/2024/11/13/nis-north-korean-troops-russian-marine-airborne-units">Seoul: North Korean troops attached to Russian marine and airborne units</a></aside>
</main>
<footer><p>&copy; 2024 Eastmarch News &middot; <a href="/terms">Terms</a> &middot; <a href="/privacy">Privacy</a> &middot; <a href="/contact">Contact the newsroom</a></p></footer>
</body>
</html>
"""


def tiny_png():
    """A valid 1x1 pixel PNG, built by hand so the bytes never change."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1x1, 8-bit RGB
    idat = zlib.compress(b"\x00\xb0\x1c\x2e", 9)  # filter byte + one dark-red pixel
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


# (target URI, WARC-Date, WARC-Record-ID, HTTP Date, content type, body bytes)
RECORDS = [
    (
        SITE + "/asia/2024/11/13/nis-north-korean-troops-russian-marine-airborne-units",
        "2024-11-15T09:30:12Z",
        "<urn:uuid:6b1f3c2e-4a51-4d0e-9c1a-2f0e8d9a1001>",
        "Fri, 15 Nov 2024 09:30:12 GMT",
        "text/html; charset=utf-8",
        PAGE_NIS.encode("utf-8"),
    ),
    (
        SITE + "/europe/2024/11/14/us-north-korean-troops-combat-kursk",
        "2024-11-15T09:30:14Z",
        "<urn:uuid:6b1f3c2e-4a51-4d0e-9c1a-2f0e8d9a1002>",
        "Fri, 15 Nov 2024 09:30:14 GMT",
        "text/html; charset=utf-8",
        PAGE_US.encode("utf-8"),
    ),
    (
        SITE + "/static/img/eastmarch-logo.png",
        "2024-11-15T09:30:15Z",
        "<urn:uuid:6b1f3c2e-4a51-4d0e-9c1a-2f0e8d9a1003>",
        "Fri, 15 Nov 2024 09:30:15 GMT",
        "image/png",
        tiny_png(),
    ),
]


def build(path=OUT_PATH):
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for uri, warc_date, record_id, http_date, ctype, body in RECORDS:
            http_headers = StatusAndHeaders(
                "200 OK",
                [
                    ("Date", http_date),
                    ("Server", "nginx"),
                    ("Content-Type", ctype),
                    ("Content-Length", str(len(body))),
                    ("Cache-Control", "max-age=300"),
                ],
                protocol="HTTP/1.1",
            )
            record = writer.create_warc_record(
                uri,
                "response",
                payload=BytesIO(body),
                length=len(body),
                http_headers=http_headers,
                warc_headers_dict={
                    "WARC-Record-ID": record_id,
                    "WARC-Date": warc_date,
                },
            )
            writer.write_record(record)
    return path


if __name__ == "__main__":
    print(build())
