from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from wenzhi.core.demo import print_accounts
from wenzhi.core.models import User


class Command(BaseCommand):
    help = "迁移数据库、载入参考数据；数据库为新库时生成演示数据。Migrate, load reference data, demo on a new DB."

    def add_arguments(self, parser):
        parser.add_argument("--no-demo", action="store_true", help="不生成演示数据")
        parser.add_argument("--scale", type=float, default=1.0)

    def handle(self, *args, no_demo: bool, scale: float, **options):
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("数据库已迁移，天津市及 16 个区的参考数据已载入。")
        if settings.WENZHI_DEMO_ACCOUNTS and not no_demo and not User.objects.exists():
            call_command("demo", scale=scale, stdout=self.stdout)
        elif settings.WENZHI_DEMO_ACCOUNTS:
            print_accounts(self.stdout)
        self.index_for_search()
        self.gather_statistics()

    def gather_statistics(self) -> None:
        """SQLite plans queries with statistics only after ANALYZE (PostgreSQL's autovacuum gathers its own):
        without them it took an index for a bare equality on deleted_at and sorted every enterprise."""
        from django.db import connection

        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")

    def index_for_search(self) -> None:
        """Fill the full-text index when a type's rows are not all in it (a new database, whose demo data indexed
        only the few rows saved one by one; or one upgraded to a version with search or a new searchable type)."""
        from django.utils.translation import gettext as _

        from wenzhi.core import search
        from wenzhi.core.models import SearchEntry

        if all(SearchEntry.objects.filter(type=t.key).count() >= t.rows().count() for t in search.types()):
            return
        total = sum(search.rebuild().values())
        if total:
            self.stdout.write(_("全文检索索引已建立：%(count)s 条。") % {"count": f"{total:,}"})
