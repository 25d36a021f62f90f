import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from wenzhi.core.serving import granian_args

SERVE_CHECK_EVERY = 300  # seconds between the apps' serve checks (hooks.serve_check)


def _run_serve_checks() -> None:
    """The apps' checks (the demo feed server started again if the database has demo sources); a failing
    check is logged and never stops the platform."""
    import logging

    from wenzhi.core import hooks

    for check in hooks.serve_checks():
        try:
            check()
        except Exception:
            logging.getLogger(__name__).exception("serve check %s failed", getattr(check, "__name__", check))


class Command(BaseCommand):
    help = "启动 Web 服务和后台任务 worker。Serve the platform (granian, core.serving) with its task worker alongside."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("WENZHI_BIND", "127.0.0.1:8000"),
                            help="监听地址（默认 WENZHI_BIND 或 127.0.0.1:8000）")
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WENZHI_WEB_WORKERS", "3")),
                            help="Web 进程数（默认 WENZHI_WEB_WORKERS 或 3）")
        parser.add_argument("--timeout", type=int, default=int(os.environ.get("WENZHI_WEB_TIMEOUT", "120")),
                            help="单个请求最长秒数，超过则结束该 Web 进程并重启（默认 WENZHI_WEB_TIMEOUT 或 120）")
        parser.add_argument("--no-worker", action="store_true", help="不在本机启动后台任务 worker（default 与 slow 两个队列各一个）")
        parser.add_argument("--worker-max-tasks", type=int,
                            default=int(os.environ.get("WENZHI_WORKER_MAX_TASKS", "20")),
                            help="slow 队列的 worker 处理这么多个任务后退出并由本命令重启，归还大文件导入占用的内存（默认 20；"
                                 "default 队列的 worker 在 1000 个任务后）")

    def handle(self, *args, bind: str, workers: int, timeout: int, no_worker: bool, worker_max_tasks: int,
               **options):
        try:
            server_args = granian_args(bind, workers)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        env = dict(os.environ)
        env.setdefault("DJANGO_SETTINGS_MODULE", os.environ.get("DJANGO_SETTINGS_MODULE",
                                                                "wenzhi.config.settings.local"))
        from wenzhi.core.tasks import worker_commands

        workers_cmds: list[list[str]] = []
        if not no_worker:
            # One worker per queue (core.tasks): a long task (a PDF report, an import) runs beside the alert
            # batches, never before them. Each exits after --max-tasks/--max-jobs tasks and is started again
            # below, so the memory a heavy task (a large import) took goes back to the system.
            workers_cmds = [[sys.executable, "-m", "wenzhi.config.cli", *cmd]
                            for cmd in worker_commands(settings.WENZHI_TASKS, worker_max_tasks)]
        stopping: list[bool] = []
        signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))  # children start with the default
        procs = [subprocess.Popen(cmd, env=env) for cmd in workers_cmds]
        env["WENZHI_WEB_TIMEOUT"] = str(timeout)  # config.wsgi: serving.RequestTimeLimit
        web = subprocess.Popen([sys.executable, "-m", "granian", *server_args,
                                "wenzhi.config.wsgi:application"], env=env)
        procs.append(web)
        self.stdout.write(f"文智已启动 Wenzhi is running: http://{bind}/")

        _run_serve_checks()
        checked = time.monotonic()
        try:
            while web.poll() is None and not stopping:
                for i, cmd in enumerate(workers_cmds):
                    if procs[i].poll() is not None:  # recycled (or crashed): start a fresh one
                        procs[i] = subprocess.Popen(cmd, env=env)
                if time.monotonic() - checked > SERVE_CHECK_EVERY:
                    _run_serve_checks()
                    checked = time.monotonic()
                time.sleep(1)
        except KeyboardInterrupt:
            pass
        finally:
            stop(procs, web)


def stop(procs: list[subprocess.Popen], web: subprocess.Popen, grace: float = 1.0) -> None:
    """Stop the web server and the task workers, each within its time, killed after it.

    A signal sent to the whole process group (systemd's stop, Ctrl-C in a terminal, ``kill -- -PGID``) has
    reached them already, and granian's main process can hang for good on a second SIGTERM that arrives while
    it handles the first (its handler sets a ``threading.Event``, which is not re-entrant; seen in
    ``test_serve``): each is given ``grace`` seconds to end by itself before it is sent one."""
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and any(p.poll() is None for p in procs):
        time.sleep(0.05)
    for p in procs:
        if p.poll() is None:
            p.terminate()
    for p in procs:
        try:
            p.wait(timeout=40 if p is web else 10)  # granian gives its requests 30 s
        except subprocess.TimeoutExpired:
            p.kill()
