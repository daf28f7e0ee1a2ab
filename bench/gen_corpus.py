"""Generate a synthetic corpus of text, HTML and WARC sources for the ingest benchmark.

Texts are assembled from our own template sentences with varied names, dates and numbers, so
every document has distinct bytes (and so a distinct id) and realistic size.
"""

from __future__ import annotations

import argparse
import io
import random
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

SPEAKERS = ["South Korea's National Intelligence Service", "NATO Secretary-General Mark Rutte",
            "Pentagon spokeswoman Sabrina Singh", "Kremlin spokesman Dmitry Peskov",
            "Ukraine's military intelligence", "a senior US official", "Western officials",
            "North Korea's UN envoy Kim Song", "Defence Minister Rustem Umerov"]
CUES = ["said", "told reporters", "claimed", "confirmed", "denied", "warned", "noted"]
CLAIMS = ["about {n:,} North Korean troops had been moved to the Kursk region",
          "satellite images showed navy ships near Vladivostok on {d}",
          "intercepted radio calls mentioned soldiers who could not speak Russian",
          "the reports were groundless rumours spread to justify escalation",
          "units would enter combat within days",
          "forged identity documents had been issued to {n:,} soldiers"]
BOILERPLATE = ("<nav><ul><li><a href='/'>Home</a></li><li><a href='/world'>World</a></li>"
               "<li><a href='/politics'>Politics</a></li><li><a href='/subscribe'>Subscribe"
               "</a></li></ul></nav><aside class='promo'>Sign up for our newsletter. Most read: "
               "markets, weather, sport.</aside>")


def paragraph(rng: random.Random) -> str:
    sentences = []
    for _ in range(rng.randint(2, 4)):
        claim = rng.choice(CLAIMS).format(n=rng.randint(500, 12000),
                                          d=f"October {rng.randint(1, 31)}")
        sentences.append(f"{rng.choice(SPEAKERS)} {rng.choice(CUES)} that {claim}.")
    return " ".join(s[0].upper() + s[1:] for s in sentences)


def article(rng: random.Random, n: int, paragraphs: int) -> tuple[str, list[str]]:
    title = f"Report {n}: {rng.choice(SPEAKERS)} on troops in Kursk"
    return title, [paragraph(rng) for _ in range(paragraphs)]


def html_page(title: str, body: list[str], n: int) -> bytes:
    paras = "".join(f"<p>{p}</p>" for p in body)
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{title}</title>"
            f"<meta property='og:site_name' content='Bench Wire'>"
            f"<meta name='author' content='Desk {n % 17}'>"
            f"<meta property='article:published_time' content='2024-{10 + n % 3:02d}-"
            f"{1 + n % 28:02d}T08:00:00Z'></head><body>{BOILERPLATE}<main><article>"
            f"<h1>{title}</h1>{paras}</article></main><footer>© Bench Wire. Terms. Privacy."
            f"</footer></body></html>").encode()


def generate(folder: Path, text: int, html: int, warc_records: int, per_warc: int = 50,
             seed: int = 7) -> dict[str, int]:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    n = 0
    for _ in range(text):
        title, body = article(rng, n, 4)
        (folder / f"t{n:06d}.txt").write_text(title + "\n\n" + "\n\n".join(body))
        n += 1
    for _ in range(html):
        title, body = article(rng, n, 5)
        (folder / f"h{n:06d}.html").write_bytes(html_page(title, body, n))
        n += 1
    for w in range(0, warc_records, per_warc):
        out = io.BytesIO()
        writer = WARCWriter(out, gzip=True)
        for _ in range(min(per_warc, warc_records - w)):
            title, body = article(rng, n, 5)
            payload = html_page(title, body, n)
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                       protocol="HTTP/1.1")
            record = writer.create_warc_record(
                f"https://bench.example.test/{n}", "response", payload=io.BytesIO(payload),
                length=len(payload), http_headers=headers,
                warc_headers_dict={"WARC-Date": "2024-11-02T08:30:00Z"})
            writer.write_record(record)
            n += 1
        (folder / f"w{w:06d}.warc.gz").write_bytes(out.getvalue())
    return {"documents": n, "bytes": sum(p.stat().st_size for p in folder.iterdir())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--text", type=int, default=4000)
    parser.add_argument("--html", type=int, default=4000)
    parser.add_argument("--warc-records", type=int, default=2000)
    args = parser.parse_args()
    print(generate(args.folder, args.text, args.html, args.warc_records))


if __name__ == "__main__":
    main()
