"""Media fixtures: a local HTTP server with well-formed and hostile feeds (no internet), and sources."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

RSS = """<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>
<item><title>天津动漫产业有限公司发布原创动画新作</title><link>https://news.example.cn/a/1?utm_source=x</link>
<guid>g-1</guid><pubDate>Tue, 01 Dec 2026 08:00:00 +0800</pubDate>
<description>&lt;p&gt;好评如潮&lt;script&gt;alert(1)&lt;/script&gt;&lt;/p&gt;</description></item>
<item><title>五大道文化旅游节开幕</title><link>https://news.example.cn/a/2</link><guid>g-2</guid>
<pubDate>Tue, 01 Dec 2026 09:00:00 +0800</pubDate><description>游客同比增长三成，现场气氛热烈。</description></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
<entry><title>天津大剧院新演出季开票</title><link rel="alternate" href="https://atom.example.cn/1"/><id>urn:1</id>
<updated>2026-12-01T10:00:00Z</updated><summary>演出季共有四十场演出。</summary></entry></feed>"""

GBK_RSS = ("<rss version=\"2.0\"><channel><title>国标</title><item><title>河西区图书馆阅读推广活动覆盖万余人次</title>"
           "<link>https://gbk.example.cn/1</link><description>读者纷纷点赞。</description></item></channel></rss>")

HTML_LIST = """<html><body><ul>
<li class="news"><a href="/n/1">古文化街非遗展演吸引市民观看</a><span class="time">2026-12-01 10:00</span>
<p class="summary">展演<script>steal()</script>持续三天。</p></li>
<li class="news"><a href="https://other.example.cn/n/2">天津博物馆特展开幕</a><span class="time">2026-12-01</span></li>
</ul></body></html>"""


class _Handler(BaseHTTPRequestHandler):
    routes: dict = {}

    def do_GET(self):  # noqa: N802
        path = self.path.split("?", 1)[0]
        if path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.end_headers()
            return
        if path == "/slow":
            time.sleep(3)
        if path == "/huge":
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.end_headers()
            chunk = b"<rss>" + b"x" * (1024 * 1024)
            try:
                for _ in range(50):  # 50 MB without a Content-Length
                    self.wfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass
            return
        found = self.routes.get(path)
        if found is None:
            self.send_error(404)
            return
        body, ctype = found
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, *args):
        return


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):  # a client that gave up (timeout, size limit): expected
        return


@pytest.fixture(scope="session")
def feed_server():
    """Base URL of a local server with the feeds above plus /loop (redirect loop), /slow (3 s), /huge (50 MB)."""
    _Handler.routes = {
        "/rss": (RSS.encode("utf-8"), "application/rss+xml; charset=utf-8"),
        "/atom": (ATOM.encode("utf-8"), "application/atom+xml"),
        "/gbk": (GBK_RSS.encode("gbk"), "application/xml"),
        "/wrong-header": (RSS.replace('encoding="utf-8"', 'encoding="big5"').encode("utf-8"), "text/xml"),
        "/gbk-said-utf8": (GBK_RSS.encode("gbk"), "application/xml; charset=utf-8"),
        "/broken": (b"<rss><channel><item><title>\xe6\x96\xb0\xe9\x97\xbb</title><link>https://b.example.cn/1"
                    b"</link></item><item><title>unclosed", "application/xml"),
        "/json": (('{"data": {"list": [{"id": 7, "title": "红桥区非遗工坊带动就业", "content": "工坊吸纳百余人就业",'
                  ' "link": "https://j.example.cn/7", "date": "2026-12-01 08:30:00"}]}}').encode("utf-8"),
                  "application/json"),
        "/jsonl": (('{"title": "一号", "text": "第一条"}\nnot json\n{"title": "三号"}\n').encode("utf-8"),
                   "application/x-ndjson"),
        "/html": (HTML_LIST.encode("utf-8"), "text/html; charset=utf-8"),
        "/notfeed": (b"<html><body>hello</body></html>", "text/html"),
    }
    server = _QuietServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def source(db):
    from wenzhi.media.models import Source

    return Source.objects.create(name="测试源", kind="file")


@pytest.fixture(autouse=True)
def _fresh_indexes():
    """Each test starts with an empty near-duplicate index and registry linker (rows roll back per test)."""
    from wenzhi.media import analysis, dedup

    dedup.near_index.clear()
    analysis.linker_cache.reset()
    yield
    dedup.near_index.clear()
    analysis.linker_cache.reset()
