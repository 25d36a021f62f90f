import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "启动 Web 服务和后台任务 worker。Serve the platform (gunicorn) with its task worker alongside."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("WENZHI_BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WENZHI_WEB_WORKERS", "3")))
        parser.add_argument("--no-worker", action="store_true", help="不在本机启动后台任务 worker")

    def handle(self, *args, bind: str, workers: int, no_worker: bool, **options):
        env = dict(os.environ)
        env.setdefault("DJANGO_SETTINGS_MODULE", os.environ.get("DJANGO_SETTINGS_MODULE",
                                                                "wenzhi.config.settings.local"))
        procs = []
        if not no_worker:
            worker = ["rqworker", "default", "--job-class", "django_tasks_rq.Job"] \
                if settings.WENZHI_TASKS == "rq" else ["db_worker"]
            procs.append(subprocess.Popen([sys.executable, "-m", "wenzhi.config.cli", *worker], env=env))
        web = subprocess.Popen([sys.executable, "-m", "gunicorn", "wenzhi.config.wsgi:application",
                                "--bind", bind, "--workers", str(workers), "--timeout", "120",
                                "--access-logfile", "-"], env=env)
        procs.append(web)
        self.stdout.write(f"文智已启动 Wenzhi is running: http://{bind}/")

        def stop(*_):
            for p in procs:
                if p.poll() is None:
                    p.terminate()

        signal.signal(signal.SIGTERM, stop)
        try:
            web.wait()
        except KeyboardInterrupt:
            pass
        finally:
            stop()
            for p in procs:
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    p.kill()
