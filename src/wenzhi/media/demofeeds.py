"""Local demo sources: the shared headline and review corpora replayed as live feeds on 127.0.0.1.

``wenzhi media feeds`` (started in the background by ``wenzhi demo``) serves:

* ``/rss/headlines.xml`` — RSS 2.0, the latest 50 items of a headline stream that advances one item every
  :data:`SECONDS_PER_ITEM` seconds (news headlines with a review snippet as description);
* ``/json/reviews.json`` — a JSON feed (``{"items": [...]}``) of the review stream;
* ``/rss/gbk.xml`` — the headline stream as GBK bytes with no encoding declared anywhere (the ingestion has to
  recognise it);
* ``/html/list.html`` — a web page list read with CSS selectors.

So a new installation shows live monitoring without the internet. The server stops by itself after
:data:`IDLE_EXIT` seconds without a request (the task worker fetches far more often than that).
"""

from __future__ import annotations

import html
import json
import threading
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from . import corpus

SECONDS_PER_ITEM = 6
WINDOW = 50
IDLE_EXIT = 2 * 3600
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)

PATHS = {"headlines": "/rss/headlines.xml", "reviews": "/json/reviews.json", "gbk": "/rss/gbk.xml",
         "html": "/html/list.html"}


def _window(stream: str, now: datetime | None = None) -> list[dict]:
    """The latest :data:`WINDOW` items of a stream, newest first."""
    now = now or datetime.now(UTC)
    last = int((now - EPOCH).total_seconds() // SECONDS_PER_ITEM)
    heads, revs = corpus.headlines(), corpus.reviews()
    items = []
    for k in range(last, last - WINDOW, -1):
        published = EPOCH + timedelta(seconds=k * SECONDS_PER_ITEM)
        if stream == "reviews":
            review = revs[(k * 31) % len(revs)]
            items.append({"id": f"r{k}", "title": review[:24], "text": review,
                          "url": f"http://127.0.0.1/reviews/{k}", "published_at": published.isoformat()})
        else:
            title = heads[k % len(heads)]
            items.append({"id": f"h{k}", "title": title, "text": f"{title}。{revs[(k * 7919) % len(revs)][:80]}",
                          "url": f"http://127.0.0.1/news/{k}", "published_at": published.isoformat()})
    return items


def rss(items: list[dict], *, title: str = "文智演示新闻", declare_encoding: bool = True) -> str:
    parts = ['<?xml version="1.0" encoding="utf-8"?>' if declare_encoding else "",
             f"<rss version=\"2.0\"><channel><title>{html.escape(title)}</title><link>http://127.0.0.1/</link>"
             "<description>replayed corpora</description>"]
    for it in items:
        published = format_datetime(datetime.fromisoformat(it["published_at"]))
        parts.append(f"<item><title>{html.escape(it['title'])}</title><link>{html.escape(it['url'])}</link>"
                     f"<guid>{html.escape(it['id'])}</guid><pubDate>{published}</pubDate>"
                     f"<description>{html.escape(it['text'])}</description></item>")
    parts.append("</channel></rss>")
    return "".join(parts)


def html_list(items: list[dict]) -> str:
    rows = "".join(f'<li class="news"><a href="{html.escape(it["url"])}">{html.escape(it["title"])}</a>'
                   f'<span class="time">{it["published_at"]}</span><p class="summary">{html.escape(it["text"])}</p>'
                   "</li>" for it in items)
    return f"<html><head><meta charset=\"utf-8\"><title>演示列表</title></head><body><ul>{rows}</ul></body></html>"


def payload(path: str) -> tuple[bytes, str] | None:
    """(body, content type) for a path, or None."""
    if path == PATHS["headlines"]:
        return rss(_window("headlines")).encode("utf-8"), "application/rss+xml; charset=utf-8"
    if path == PATHS["reviews"]:
        return (json.dumps({"items": _window("reviews")}, ensure_ascii=False).encode("utf-8"),
                "application/json; charset=utf-8")
    if path == PATHS["gbk"]:
        return rss(_window("headlines"), declare_encoding=False).encode("gb18030", "replace"), "application/xml"
    if path == PATHS["html"]:
        return html_list(_window("headlines")).encode("utf-8"), "text/html; charset=utf-8"
    if path == "/":
        links = "".join(f'<li><a href="{p}">{p}</a></li>' for p in PATHS.values())
        return f"<html><body><h1>文智演示信息源</h1><ul>{links}</ul></body></html>".encode(), "text/html; charset=utf-8"
    return None


class _Handler(BaseHTTPRequestHandler):
    server_version = "WenzhiDemoFeeds/1.0"

    def do_GET(self):  # noqa: N802 - the http.server API
        self.server.last_request = time.monotonic()  # type: ignore[attr-defined]
        found = payload(self.path.split("?", 1)[0])
        if found is None:
            self.send_error(404)
            return
        body, content_type = found
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):  # noqa: A002 - quiet: the worker polls every few minutes
        return


def make_server(host: str = "127.0.0.1", port: int = 8765) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer((host, port), _Handler)
    server.daemon_threads = True
    server.last_request = time.monotonic()  # type: ignore[attr-defined]
    return server


def serve(host: str = "127.0.0.1", port: int = 8765, *, idle_exit: float = IDLE_EXIT) -> None:
    """Serve until interrupted or idle for ``idle_exit`` seconds."""
    server = make_server(host, port)

    def watchdog():
        while True:
            time.sleep(min(30.0, max(0.05, idle_exit / 4)))
            if time.monotonic() - server.last_request > idle_exit:  # type: ignore[attr-defined]
                server.shutdown()
                return

    threading.Thread(target=watchdog, daemon=True).start()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def port_in_use(host: str, port: int) -> bool:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(0.5)
        return s.connect_ex((host, port)) == 0


def start_background(host: str = "127.0.0.1", port: int = 8765) -> int | None:
    """Start ``wenzhi media feeds`` as a detached process unless the port already answers; its pid or None."""
    import subprocess
    import sys

    if port_in_use(host, port):
        return None
    proc = subprocess.Popen([sys.executable, "-m", "wenzhi.config.cli", "media", "feeds", "--host", host,
                             "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            stdin=subprocess.DEVNULL, start_new_session=True)
    return proc.pid
