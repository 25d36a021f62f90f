"""Realistic Chinese project-application descriptions for the projects benchmarks, built from real text.

The body sentences are real headlines from ``../shared/data/nlp/`` (TNEWS culture, entertainment and travel
headlines; THUCNews headlines of the entertainment, game, science and education classes), wrapped in the stock
phrases of a Tianjin culture-industry application (project name, enterprise, district, investment, schedule,
intelligent features). ``variant`` makes the re-application a reviewer should catch: renamed, moved to another
district, sentences reordered, one dropped and one added, figures changed.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "nlp"  # ../shared/data/nlp beside the checkout

DISTRICTS = ["和平区", "河东区", "河西区", "南开区", "河北区", "红桥区", "东丽区", "西青区", "津南区", "北辰区",
             "武清区", "宝坻区", "滨海新区", "宁河区", "静海区", "蓟州区"]
KINDS = ["数字文化产业园", "沉浸式演艺中心", "动漫游戏研发基地", "非遗文创工坊", "智慧文旅平台", "影视后期制作中心",
         "数字出版平台", "文化创意街区", "电竞产业中心", "艺术品交易平台", "工业设计中心", "网络视听基地"]
PREFIXES = ["津门", "海河", "渤海", "北洋", "津沽", "五大道", "杨柳青", "古文化街", "滨海", "盘山", "意式风情", "泥人张"]
FEATURES = ["项目应用人工智能技术实现内容智能生产和个性化推荐", "项目建设5G+VR沉浸式体验空间和数字孪生展示系统",
            "项目搭建文化大数据平台,打通创作、生产、传播和消费环节", "项目引入区块链版权登记和数字藏品发行",
            "项目依托云计算和虚拟制作技术提升影视内容制作效率", "项目开发智能导览小程序,提供线上线下融合服务"]
CLASSES = {"8", "9", "4", "3"}


def headlines(limit: int = 40_000) -> list[str]:
    out = []
    with (DATA / "tnews_culture_entertainment_travel_subset.jsonl").open(encoding="utf-8") as fh:
        out.extend(json.loads(line)["sentence"] for line in fh)
    with (DATA / "THUCNews_titles" / "train" / "train_prefix45k.txt").open(encoding="utf-8") as fh:
        for line in fh:
            text, _, label = line.rstrip("\n").rpartition("\t")
            if label in CLASSES:
                out.append(text)
            if len(out) >= limit:
                break
    return out


def description(rng: random.Random, pool: list[str]) -> dict:
    name = f"{rng.choice(PREFIXES)}{rng.choice(KINDS)}"
    district = rng.choice(DISTRICTS)
    body = rng.sample(pool, rng.randint(5, 9))
    return {"name": name, "district": district, "body": body, "feature": rng.choice(FEATURES),
            "investment": rng.randint(500, 50_000), "years": rng.randint(1, 3)}


def render(d: dict) -> str:
    parts = [f"{d['name']}项目位于天津市{d['district']},计划总投资{d['investment']}万元,建设周期{d['years']}年。",
             "项目主要建设内容和市场依据如下:"]
    parts += [f"{s}。" for s in d["body"]]
    parts.append(f"{d['feature']}。项目建成后预计年营业收入{d['investment'] // 3}万元,带动就业{d['investment'] // 50}人。")
    return "".join(parts)


def variant(rng: random.Random, d: dict, pool: list[str]) -> dict:
    body = list(d["body"])
    rng.shuffle(body)
    body.pop(rng.randrange(len(body)))
    body.insert(rng.randrange(len(body) + 1), rng.choice(pool))
    return {**d, "name": f"{rng.choice(PREFIXES)}{rng.choice(KINDS)}", "district": rng.choice(DISTRICTS),
            "body": body, "investment": int(d["investment"] * rng.uniform(0.8, 1.3)), "years": rng.randint(1, 3)}
