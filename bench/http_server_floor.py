"""The HTTP server's own CPU per request: a hello-world WSGI application under ``wenzhi serve``'s server
(granian with the arguments of ``core.serving.granian_args``) or, when it is installed, gunicorn as Wenzhi ran it
until 2026-12-03 (3 sync workers, access log), driven by the ticket rush's client (bench/rush_client.py:
a new TCP connection per request, the same POST with a JSON body, 24 in flight from one thread).

    python bench/http_server_floor.py                      # granian, 16,488 requests
    python bench/http_server_floor.py --server gunicorn    # needs `pip install gunicorn` (not a dependency)
    python bench/http_server_floor.py --iterable           # the app answers an iterable with close(), not a list

Printed: requests per second, the server's CPU ms per request (every process under it, from /proc) and the
client's. What is left of a ticket-rush request's server CPU above this floor is Django, the API and psycopg.

Measured 2026-12-03 ~08:15 UTC with this script, another job using both cores (load 3.9-6.3), runs alternating
gunicorn / granian / gunicorn / granian: server CPU ms per request 0.532 / 0.152 / 0.462 / 0.190 (1,377 / 3,345 /
1,566 / 3,560 requests/s), client 0.200 / 0.145 / 0.182 / 0.163. With ``--iterable`` (load 1.7-4.1, alternating
with the list): 0.294 / 0.322 ms against 0.240 / 0.295, hence ``core.serving`` hands granian lists.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from consumption_rush import descendants, proc_cpu  # noqa: E402
from rush_client import Client, drive  # noqa: E402

from wenzhi.core.serving import granian_args  # noqa: E402

APP = '''import os

ITERABLE = bool(os.environ.get("FLOOR_ITERABLE"))


def application(environ, start_response):
    environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    body = b'{"id": 1, "status": "pending"}'
    start_response("201 Created", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return Body([body]) if ITERABLE else [body]


class Body:  # an iterable with close(), as a Django response is
    def __init__(self, chunks):
        self.chunks = chunks

    def __iter__(self):
        return iter(self.chunks)

    def close(self):
        pass
'''


def start(server: str, port: int, workers: int, where: str, iterable: bool = False) -> subprocess.Popen:
    if server == "granian":
        args = ["-m", "granian", *granian_args(f"127.0.0.1:{port}", workers), "hello:application"]
    else:
        args = ["-m", "gunicorn", "hello:application", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
                "--access-logfile", "-"]
    env = {**os.environ, "FLOOR_ITERABLE": "1" if iterable else ""}
    proc = subprocess.Popen([sys.executable, *args], cwd=where, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    for _ in range(100):
        time.sleep(0.2)
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc
        except OSError:
            if proc.poll() is not None:
                raise SystemExit(f"{server} did not start (is it installed?)") from None
    proc.terminate()
    raise SystemExit(f"{server} did not start")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", choices=("granian", "gunicorn"), default="granian")
    parser.add_argument("--requests", type=int, default=16_488)
    parser.add_argument("--threads", type=int, default=24, help="requests in flight at once")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--port", type=int, default=8762)
    parser.add_argument("--iterable", action="store_true",
                        help="the app returns an iterable with close() (as a Django response) instead of a list")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as where:
        Path(where, "hello.py").write_text(APP)
        proc = start(args.server, args.port, args.workers, where, args.iterable)
        try:
            client = Client(args.port)
            for _ in range(60):  # every worker has answered once
                client.post("/", "warm-up", {})
            time.sleep(1)
            server0, client0, t0 = sum(map(proc_cpu, descendants(proc.pid))), time.process_time(), time.perf_counter()

            def buyer():
                yield "/api/v1/orders/", "token", {"session": 1, "seats": [1, 2]}

            drive(args.port, (buyer() for _ in range(args.requests)), args.threads)
            wall, done = time.perf_counter() - t0, args.requests
            server = sum(map(proc_cpu, descendants(proc.pid))) - server0
        finally:
            proc.terminate()
            proc.wait(30)
    print(f"{args.server}, {args.workers} workers, {'an iterable' if args.iterable else 'a list'}: {done} requests in {wall:.1f} s ({done / wall:.0f}/s); CPU ms per "
          f"request: server {1000 * server / done:.3f}, client {1000 * (time.process_time() - client0) / done:.3f}; "
          f"load {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
