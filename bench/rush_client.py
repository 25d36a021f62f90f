"""The ticket rush's HTTP client (bench/consumption_rush.py, bench/http_server_floor.py): each request on a new TCP
connection, written as http.client writes it (the same request line, headers and compact JSON body), its whole
response read.

:func:`drive` keeps many requests in flight from one thread with one selector: the buyers are generators that
yield a request and are sent its answer. Until 2026-12-03 every buyer in flight was a thread (:class:`Client`,
kept for one-off requests): 24 threads each blocking on its socket hand the GIL back and forth on every send and
receive, and that switching ran on the same two cores as the server being measured.
"""

from __future__ import annotations

import selectors
import socket
import time
from collections.abc import Generator, Iterator

import orjson

# What a buyer yields (path, API token, JSON body) and is sent back (status, JSON payload, seconds).
Request = tuple[str, str, dict]
Answer = tuple[int, dict, float]
Buyer = Generator[Request, Answer, None]


def request_bytes(path: str, token: str, body: dict) -> bytes:
    data = orjson.dumps(body)
    return (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Encoding: identity\r\n"
            f"Content-Length: {len(data)}\r\nAuthorization: Token {token}\r\n"
            "Content-Type: application/json\r\nX-Forwarded-Proto: https\r\n\r\n").encode() + data


def payload(raw: bytes) -> dict:
    try:
        return orjson.loads(raw) if raw else {}
    except ValueError:
        return {"raw": raw[:200].decode(errors="replace")}


def complete(buf: bytes, closed: bool) -> tuple[int, bytes] | None:
    """Status and body of the HTTP/1.1 response in ``buf`` once it is whole (to its Content-Length, or chunked or
    to the end of the stream when ``closed``); None while more is to come."""
    head, sep, body = buf.partition(b"\r\n\r\n")
    if not sep:
        if closed:
            raise ConnectionError("the server closed the connection before the response's headers")
        return None
    lines = head.split(b"\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(b":") for line in lines[1:])}
    if b"content-length" in headers:
        length = int(headers[b"content-length"])
        if len(body) < length and not closed:
            return None
        body = body[:length]
    elif not closed:
        return None
    elif headers.get(b"transfer-encoding") == b"chunked":
        out, rest = b"", body
        while rest:
            size, _, rest = rest.partition(b"\r\n")
            n = int(size.split(b";")[0], 16)
            if n == 0:
                break
            out, rest = out + rest[:n], rest[n + 2:]
        body = out
    return int(lines[0].split()[1]), body


def drive(port: int, buyers: Iterator[Buyer], concurrency: int, timeout: float = 60.0) -> None:
    """Run ``buyers`` with up to ``concurrency`` requests in flight, from this thread. A request that fails
    (refused, reset, nothing received for ``timeout`` seconds) is thrown into its buyer as the ``OSError``."""
    address = ("127.0.0.1", port)
    sel = selectors.DefaultSelector()

    def advance(gen: Buyer | None, answer: Answer | None, error: OSError | None = None) -> None:
        while gen is not None:
            try:
                request = gen.throw(error) if error is not None else gen.send(answer)  # type: ignore[arg-type]
            except StopIteration:
                gen, answer, error = next(buyers, None), None, None
                continue
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.setblocking(False)
            sock.connect_ex(address)
            sel.register(sock, selectors.EVENT_WRITE, [gen, request_bytes(*request), b"", time.perf_counter()])
            return

    for _ in range(concurrency):
        advance(next(buyers, None), None)
    while sel.get_map():
        ready = sel.select(timeout)
        if not ready:  # nothing moved for ``timeout`` seconds: every request in flight fails
            ready = [(key, -1) for key in list(sel.get_map().values())]
        for key, events in ready:
            if events == -1:
                sel.unregister(key.fileobj)
                key.fileobj.close()  # type: ignore[union-attr]
                advance(key.data[0], None, TimeoutError(f"no answer in {timeout:.0f} s"))
                continue
            sock, state = key.fileobj, key.data
            try:
                if events & selectors.EVENT_WRITE:
                    sent = sock.send(state[1])  # type: ignore[union-attr]
                    state[1] = state[1][sent:]
                    if not state[1]:
                        sel.modify(sock, selectors.EVENT_READ, state)
                    continue
                chunk = sock.recv(65536)  # type: ignore[union-attr]
                state[2] += chunk
                done = complete(state[2], closed=not chunk)
            except OSError as exc:
                sel.unregister(sock)
                sock.close()
                advance(state[0], None, exc)
                continue
            if done is not None:
                sel.unregister(sock)
                sock.close()
                advance(state[0], (done[0], payload(done[1]), time.perf_counter() - state[3]))


class Client:
    """One request at a time, blocking (a server's boot check, a warm-up)."""

    def __init__(self, port: int):
        self.address = ("127.0.0.1", port)

    def post(self, path: str, token: str, body: dict) -> Answer:
        t0 = time.perf_counter()
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.settimeout(60)
            sock.connect(self.address)
            sock.sendall(request_bytes(path, token, body))
            buf, done = b"", None
            while done is None:
                chunk = sock.recv(65536)
                buf += chunk
                done = complete(buf, closed=not chunk)
        return done[0], payload(done[1]), time.perf_counter() - t0
