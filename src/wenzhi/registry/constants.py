"""Constants of the registry: the USCC alphabet, tag fields, park evaluation criteria, thresholds."""

from django.utils.translation import gettext_lazy as _

# GB 32100-2015: 31 characters, the digits and the capitals without I, O, S, V, Z.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
USCC_LENGTH = 18

# Boolean tags of an enterprise, in the order the UI shows them.
ENTERPRISE_TAGS = (
    ("above_scale", _("规模以上")),
    ("state_owned_group", _("国有文化企业集团")),
    ("listed", _("上市企业")),
    ("neeq", _("新三板")),
    ("srdi", _("专精特新")),
    ("tech_giant", _("科技小巨人")),
    ("leading", _("领军企业")),
    ("intelligent", _("智能文化创意企业")),
    ("export_key", _("文化出口重点企业")),
)

# An enterprise whose intelligent score reaches this is suggested as 智能文化创意企业.
INTELLIGENT_THRESHOLD = 0.5

# Annual evaluation of a park or base (动态管理): criterion → (label, maximum points). Total 100.
PARK_CRITERIA = {
    "management": (_("运营管理"), 20),
    "clustering": (_("企业集聚"), 25),
    "performance": (_("产业效益"), 25),
    "innovation": (_("创新与智能化"), 15),
    "public_service": (_("公共服务"), 15),
}
# Total score → outcome: ≥ 85 excellent, ≥ 70 pass, ≥ 60 warn, below fail.
PARK_OUTCOME_THRESHOLDS = ((85, "excellent"), (70, "pass"), (60, "warn"), (0, "fail"))
