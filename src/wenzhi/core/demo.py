"""Demo accounts, one per role. Created by ``wenzhi demo`` only where settings allow demo accounts."""

from django.conf import settings

from .choices import Level, Role
from .models import Organisation, User
from .services import organisation_create, user_create

DEMO_PASSWORD = "wenzhi-demo-2026"  # noqa: S105 - demo only, printed at start, never in production

DEMO_ACCOUNTS = [
    ("admin", Role.CITY_ADMIN, "city", "市委宣传部 文化产业处（演示）"),
    ("district", Role.DISTRICT_OFFICER, "district", "和平区文化产业办（演示）"),
    ("district2", Role.DISTRICT_OFFICER, "district2", "滨海新区文化产业办（演示）"),
    ("park", Role.PARK_OPERATOR, "park", "园区运营方（演示）"),
    ("enterprise", Role.ENTERPRISE_USER, "enterprise", "企业填报员（演示）"),
    ("expert", Role.EXPERT_REVIEWER, None, "评审专家（演示）"),
    ("editor", Role.MEDIA_EDITOR, None, "融媒体编辑（演示）"),
    ("venue", Role.VENUE_OPERATOR, None, "场馆商户运营员（演示）"),
    ("public", Role.PUBLIC, None, "公众用户（演示）"),
]


def _organisation_for(kind: str | None) -> Organisation | None:
    if kind is None:
        return None
    if kind == "city":
        return Organisation.objects.get(level=Level.CITY)
    if kind == "district":
        return Organisation.objects.get(level=Level.DISTRICT, name="和平区")
    if kind == "district2":
        return Organisation.objects.get(level=Level.DISTRICT, name="滨海新区")
    heping = Organisation.objects.get(level=Level.DISTRICT, name="和平区")
    if kind == "park":
        park = Organisation.objects.filter(level=Level.PARK, district=heping).order_by("id").first()
        return park or organisation_create(name="（演示）和平文化创意产业园", level=Level.PARK, parent=heping,
                                           code="DEMO-PARK-0001")
    if kind == "enterprise":
        park = _organisation_for("park")
        ent = Organisation.objects.filter(level=Level.ENTERPRISE, parent=park).order_by("id").first()
        ent = ent or Organisation.objects.filter(level=Level.ENTERPRISE, district=heping).order_by("id").first()
        return ent or organisation_create(name="（演示）天津文智数字文化有限公司", level=Level.ENTERPRISE,
                                          parent=park, code="DEMO-ENT-0001")
    raise ValueError(kind)


def demo_accounts(*, scale: float = 1.0, stdout=None) -> dict:
    """Create (or refresh) one demo account per role; returns {'accounts': [(username, role, org)]}."""
    if not settings.WENZHI_DEMO_ACCOUNTS:
        return {"accounts": []}
    created = []
    for username, role, org_kind, name in DEMO_ACCOUNTS:
        org = _organisation_for(org_kind)
        user = User.objects.filter(username=username).first()
        if user is None:
            user = user_create(username=username, password=DEMO_PASSWORD, roles=[role], organisation=org,
                               display_name=name, is_demo=True)
        created.append((username, str(Role(role).label), str(org or "—")))
    return {"accounts": created}


def print_accounts(stdout) -> None:
    stdout.write("演示账号 Demo accounts (password / 密码: %s):" % DEMO_PASSWORD)
    for user in User.objects.filter(is_demo=True).select_related("organisation").order_by("id"):
        stdout.write(f"  {user.username:<11} {'、'.join(user.role_labels):<8} {user.organisation or ''}")
