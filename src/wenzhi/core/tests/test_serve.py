"""`wenzhi serve`: each instance on a machine gets its own gunicorn control socket."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from wenzhi.core.management.commands.serve import control_socket_args


def test_each_address_has_its_own_control_socket(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    first, second = control_socket_args("127.0.0.1:8000", ""), control_socket_args("0.0.0.0:8001", "")
    assert first[0] == "--control-socket" and first[1] != second[1]
    assert Path(first[1]).parent == tmp_path / "run"
    assert control_socket_args("127.0.0.1:8000", "off") == ["--no-control-socket"]
    assert control_socket_args("127.0.0.1:8000", str(tmp_path / "x.ctl")) == ["--control-socket",
                                                                               str(tmp_path / "x.ctl")]
    settings.VAR_DIR = tmp_path / ("deep" * 30)  # longer than a Unix socket path may be
    assert control_socket_args("127.0.0.1:8000", "") == ["--no-control-socket"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.skipif(sys.platform != "linux", reason="gunicorn runs on Unix")
def test_two_instances_run_side_by_side(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[3]), "WENZHI_VAR_DIR": str(tmp_path),
           "DJANGO_SETTINGS_MODULE": "wenzhi.config.settings.test"}
    binds = [f"127.0.0.1:{_free_port()}", f"127.0.0.1:{_free_port()}"]
    procs = [subprocess.Popen([sys.executable, "-m", "wenzhi.config.cli", "serve", "--no-worker", "--workers", "1",
                               "--bind", bind], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              start_new_session=True) for bind in binds]
    try:
        run = tmp_path / "run"
        for _ in range(300):  # gunicorn needs a few seconds to start on a busy machine
            if len(list(run.glob("*.ctl"))) == 2 or any(p.poll() is not None for p in procs):
                break
            time.sleep(0.1)
        assert all(p.poll() is None for p in procs), [p.stderr.read().decode()[-2000:] for p in procs]
        assert len(list(run.glob("gunicorn-*.ctl"))) == 2
    finally:
        for p in procs:
            os.killpg(p.pid, signal.SIGTERM)
        for p in procs:
            p.wait(timeout=20)
