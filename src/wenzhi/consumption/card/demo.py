"""Demo data of the benefit card (labelled 演示): merchants in several districts run by the demo venue operator,
this year's budget and a rule, resident cards with top-ups, purchases and a refund — all through the services,
so the demo ledger is balanced like a real one. ``scale`` 1 makes 200 cards."""

from __future__ import annotations

import random

from django.utils import timezone

from wenzhi.core.choices import Level, Role
from wenzhi.core.models import Organisation, User

from . import services
from .choices import ItemCategory, MerchantCategory
from .models import Card, Merchant, SubsidyBudget, SubsidyRule

MERCHANTS = [
    ("天津大剧院（演示）", MerchantCategory.THEATRE, "河西区", ItemCategory.PERFORMANCE),
    ("中国大戏院（演示）", MerchantCategory.THEATRE, "和平区", ItemCategory.PERFORMANCE),
    ("滨海文化中心影城（演示）", MerchantCategory.CINEMA, "滨海新区", ItemCategory.FILM),
    ("南开书局（演示）", MerchantCategory.BOOKSTORE, "南开区", ItemCategory.BOOK),
    ("杨柳青年画馆（演示）", MerchantCategory.CRAFT, "西青区", ItemCategory.CRAFT),
    ("蓟州乡村文旅驿站（演示）", MerchantCategory.TOURISM, "蓟州区", ItemCategory.TOURISM),
]


def _admin() -> User:
    admin = User.objects.filter(is_superuser=True).first() or next(
        (u for u in User.objects.filter(is_active=True).order_by("id") if u.has_role(Role.CITY_ADMIN)), None)
    if admin is None:
        admin = User.objects.create(username="card-demo-admin", roles=[Role.CITY_ADMIN], is_demo=True,
                                    organisation=Organisation.objects.filter(level=Level.CITY).first())
    return admin


def _residents(count: int) -> list[User]:
    have = list(User.objects.filter(username__startswith="card-demo-").exclude(username="card-demo-admin")
                .order_by("id")[:count])
    # Cardholders only, never signed in (inactive) and not listed among the demo sign-in accounts.
    new = [User(username=f"card-demo-{i:05d}", roles=[Role.PUBLIC], is_active=False,
                display_name=f"居民{i:05d}（演示）") for i in range(len(have), count)]
    User.objects.bulk_create(new, batch_size=500)
    return list(User.objects.filter(username__startswith="card-demo-").exclude(username="card-demo-admin")
                .order_by("id")[:count])


def _merchants(admin: User) -> list[tuple[Merchant, ItemCategory]]:
    districts = {o.name: o for o in Organisation.objects.filter(level=Level.DISTRICT)}
    operators = [u for u in User.objects.filter(is_demo=True, is_active=True) if u.has_role(Role.VENUE_OPERATOR)]
    out: list[tuple[Merchant, ItemCategory]] = []
    for name, category, district_name, item in MERCHANTS:
        district = districts.get(district_name)
        if district is None:
            continue
        merchant = Merchant.objects.filter(name=name).first()
        if merchant is None:
            merchant = services.merchant_save(actor=admin, merchant=None, operators=operators, data={
                "name": name, "organisation": district, "district": district, "category": category,
                "address": f"{district_name}（演示地址）", "phone": "022-00000000", "is_participating": True,
                "subsidy_eligible": category != MerchantCategory.OTHER})
            Merchant.objects.filter(pk=merchant.pk).update(is_demo=True)
        out.append((merchant, item))
    return out


def _venue_merchants(admin: User) -> int:
    """Each ticketing venue (the consumption demo's) takes the card: ticket orders can be paid with it."""
    from wenzhi.consumption.models import Venue

    operators = [u for u in User.objects.filter(is_demo=True, is_active=True) if u.has_role(Role.VENUE_OPERATOR)]
    made = 0
    for venue in Venue.objects.filter(card_merchant__isnull=True).select_related("district")[:20]:
        category = MerchantCategory.CINEMA if venue.kind == "cinema" else MerchantCategory.THEATRE
        merchant = services.merchant_save(actor=admin, merchant=None, operators=operators, data={
            "name": venue.name, "organisation": venue.district, "district": venue.district, "category": category,
            "venue": venue, "address": venue.address, "is_participating": True, "subsidy_eligible": True})
        Merchant.objects.filter(pk=merchant.pk).update(is_demo=True)
        made += 1
    return made


def generate(*, scale: float = 1.0, stdout=None) -> dict:
    """Create the demo card programme (idempotent: re-running adds only what is missing)."""
    admin = _admin()
    rng = random.Random(2025)
    year = timezone.localdate().year
    if not SubsidyBudget.objects.filter(year=year).exists():
        services.budget_set(actor=admin, year=year, amount_fen=50_000_000_00, note="演示预算（演示）")
    merchants = _merchants(admin)
    venues = _venue_merchants(admin)
    if not SubsidyRule.objects.filter(year=year, is_demo=True).exists():
        rule = services.rule_save(actor=admin, rule=None, data={
            "name": f"{year} 年文化惠民补贴（演示）", "year": year, "percent": 30, "cap_fen": 300_00,
            "categories": [ItemCategory.PERFORMANCE, ItemCategory.FILM, ItemCategory.BOOK, ItemCategory.TOURISM,
                           ItemCategory.EXHIBITION],
            "is_active": True})
        SubsidyRule.objects.filter(pk=rule.pk).update(is_demo=True)
    count = max(5, int(200 * scale))
    made = 0
    for user in _residents(count):
        if Card.objects.filter(holder=user).exists():
            continue
        card = services.card_issue(actor=admin, holder=user, holder_name=user.display_name, is_demo=True)
        services.card_topup(actor=admin, card=card, amount_fen=rng.choice([100_00, 200_00, 500_00]),
                            client_key=f"demo-topup-{card.pk}", channel="counter")
        for i in range(rng.randint(0, 3)):
            merchant, item = rng.choice(merchants)
            amount = rng.choice([30_00, 80_00, 120_00, 180_00])
            card.refresh_from_db(fields=["balance_fen"])
            if amount > card.balance_fen:  # the subsidy might cover a little more; the demo keeps it simple
                continue
            redemption = services.redeem(actor=admin, card=card, merchant=merchant, item_category=item,
                                         amount_fen=amount,
                                         client_key=f"demo-{card.pk}-{i}", reference=f"DEMO-{card.pk}-{i}")
            if rng.random() < 0.1:
                services.refund(actor=admin, redemption=redemption, amount_fen=redemption.amount_fen,
                                client_key=f"demo-refund-{redemption.pk}", reason="演示退款（演示）")
        made += 1
    # The demo resident account uses the programme too.
    public = User.objects.filter(username="public", is_demo=True).first()
    if public is not None and not Card.objects.filter(holder=public).exists():
        card = services.card_issue(actor=admin, holder=public, holder_name="演示居民", is_demo=True)
        services.card_topup(actor=admin, card=card, amount_fen=300_00, client_key="demo-public", channel="counter")
    return {"merchants": len(merchants) + venues, "cards": made}
