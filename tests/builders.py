"""Small writers for test inputs we need as bytes: PDFs and WARC archives."""

from __future__ import annotations

import io

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter


def pdf_bytes(lines: list[str], title: str = "Test PDF") -> bytes:
    """A one-page PDF with a real text layer, built by hand so no PDF library is needed."""
    text_ops = ["BT", "/F1 12 Tf", "72 720 Td", "14 TL"]
    for line in lines:
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        text_ops.append(f"({escaped}) Tj T*")
    text_ops.append("ET")
    stream = "\n".join(text_ops).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Title (" + title.encode("latin-1") + b") /CreationDate (D:20241028120000Z) >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objects) + 1, xref))
    return out.getvalue()


def warc_bytes(pages: list[tuple[str, str, bytes]], date: str = "2024-11-02T08:30:00Z",
               gzip: bool = True) -> bytes:
    """A WARC with one HTTP response record per (uri, content type, payload)."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gzip)
    for uri, content_type, payload in pages:
        headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)],
                                   protocol="HTTP/1.1")
        record = writer.create_warc_record(uri, "response", payload=io.BytesIO(payload),
                                           length=len(payload),
                                           http_headers=headers,
                                           warc_headers_dict={"WARC-Date": date})
        writer.write_record(record)
    return out.getvalue()


def article_html(title: str, body: list[str], published: str = "2024-10-28",
                 publisher: str = "Test Wire", author: str = "Ana Test") -> bytes:
    paragraphs = "".join(f"<p>{p}</p>" for p in body)
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        f"<title>{title} | {publisher}</title>"
        f"<meta property='og:title' content='{title}'>"
        f"<meta property='og:site_name' content='{publisher}'>"
        f"<meta name='author' content='{author}'>"
        f"<meta property='article:published_time' content='{published}T09:00:00Z'>"
        "</head><body><nav><a href='/'>Home</a> | <a href='/world'>World</a> | "
        "<a href='/subscribe'>Subscribe now</a></nav>"
        f"<article><h1>{title}</h1>{paragraphs}</article>"
        "<footer>Copyright 2024 Test Wire. All rights reserved. Cookie settings.</footer>"
        "</body></html>"
    ).encode()
