import sys

from django.core.management.base import BaseCommand

from wenzhi.core import hooks


class Command(BaseCommand):
    help = ("中文 NLP 工具（JSON Lines 输入输出）：sentiment、topic、entities、keywords、dedup、train 等。"
            "`wenzhi nlp entities` 不带 --entities 时链接到登记库中的企业、园区、区。")

    def run_from_argv(self, argv):
        # argv = [prog, "nlp", *args]: hand everything to the library's own argument parser.
        from wenzhi.nlp.cli import main as nlp_main

        sys.exit(nlp_main(argv[2:], entity_source=hooks.entities_for_linking))

    def handle(self, *args, **options):
        from wenzhi.nlp.cli import main as nlp_main

        return str(nlp_main(list(args), entity_source=hooks.entities_for_linking))
