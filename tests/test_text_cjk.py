"""Flattened pages in scripts without spaces: CJK sentences end in 。 and words are not separated."""

from __future__ import annotations

import random

import broadsheet

_PHRASES = (
    "市政府周二宣布了新的港口发展计划",
    "该计划将在未来五年内分阶段实施",
    "当地居民对此表示欢迎",
    "专家认为这将带动周边经济增长",
    "据悉项目总投资约为三十亿元",
    "有关部门表示将广泛听取市民意见",
    "新的码头预计明年年底前完工",
    "环保团体则提出了不同看法",
)
_NAV = "新华日报 - 首页 新闻 政治 经济 体育 文化 评论"
_FOOTER = ("关于我们", "联系我们", "广告服务", "隐私政策", "版权所有 © 2024 新华日报")


def _paragraph(rng: random.Random) -> str:
    return (
        "".join(rng.choice(_PHRASES) + rng.choice("，。") for _ in range(rng.randint(4, 6))).rstrip("，")
        + "。"
    )


def cjk_page(seed: int) -> tuple[str, list[str]]:
    rng = random.Random(seed)
    body = [_paragraph(rng) for _ in range(rng.randint(4, 7))]
    headlines = [rng.choice(_PHRASES) for _ in range(5)]
    lines = [
        _NAV,
        "首页 › 经济",
        "",
        "港口城市公布新的发展计划",
        "",
        "记者 王明",
        "2024年3月5日 10:30",
        *body,
        "",
        "标签：经济, 港口",
        "订阅我们的新闻简报",
        "热门文章",
        *[f"{i + 1} {h}" for i, h in enumerate(headlines)],
        *_FOOTER,
    ]
    return "\n".join(lines) + "\n", body


def test_cjk_body_is_found() -> None:
    for seed in range(5):
        text, body = cjk_page(seed)
        article = broadsheet.extract(text, kind="text")
        assert article.ok, article.error
        got = article.text.split("\n\n")
        assert got == body, seed
        assert article.published and article.published.startswith("2024-03-05")
        assert article.language == "zh"


def test_cjk_title() -> None:
    text, _ = cjk_page(1)
    article = broadsheet.extract(text, kind="text")
    assert article.title == "港口城市公布新的发展计划"
