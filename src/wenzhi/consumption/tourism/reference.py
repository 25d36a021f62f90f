"""The 12 themed boards of cultural tourism (文化旅游主题板块), loaded once and then edited by the city.

The plan (三(七)) asks to "持续打造12个文化旅游主题板块" but does not name them. The twelve below are drawn from
what the plan itself names for cultural tourism and culture consumption in 三(七) and 三(九); each row says which
clause it comes from. The city renames, describes, reorders or switches them off on the boards page; loading
again never overwrites an edited board.
"""

from __future__ import annotations

BOARDS = [
    ("five-avenues", "五大道洋楼文化", "三(七) 建设提升五大道文化旅游区"),
    ("ancient-culture-street", "古文化街津门民俗", "三(七) 建设提升古文化街"),
    ("grand-canal", "运河文化长廊", "三(七) 运河文化长廊等项目"),
    ("yangliuqing", "杨柳青年画", "三(九) 支持杨柳青年画"),
    ("folk-crafts", "泥人张彩塑与民间技艺", "三(九) 泥人张彩塑、益德成闻药"),
    ("mengwa-lianwa", "“梦娃”“莲娃”文创", "三(九) “梦娃”“莲娃”"),
    ("carrier-park", "滨海航母主题", "三(七) 天津滨海航母主题公园"),
    ("rice-farming", "农耕稻作文化", "三(七) 水高庄园、水稻主题公园"),
    ("eco-parks", "生态田园主题公园", "三(七) 葫芦庐主题公园、亿利生态主题公园"),
    ("jin-flavour", "“津味生活”", "三(七) 文化创意、文化演艺等“津味生活”融合产品"),
    ("performing-arts", "文化演艺惠民", "三(九) 文化惠民季、天津演艺网"),
    ("reading", "书香天津", "三(九) “书香天津”春季书展、读书月"),
]


def load_boards() -> None:
    """Create the boards that do not exist yet (by code); never touch an existing (perhaps edited) one."""
    from .models import Board

    have = set(Board.all_objects.values_list("code", flat=True))
    Board.objects.bulk_create([Board(code=code, name=name, clause=clause, order=i)
                               for i, (code, name, clause) in enumerate(BOARDS, 1) if code not in have])
