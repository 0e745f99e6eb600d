"""A generator of realistic case narratives for the search benchmarks, with planted query terms.

``documents(count, seed=…, unit_ids=…)`` yields :class:`~casecenter.search.indexing.Doc` objects of
kind ``bench.case``: a case name as title and a narrative of 280–320 characters in the style of a
受案登记 ("2026年3月14日21时许，报警人李秀英（身份证号…，联系电话…）报称其放在朝阳区建国路88号…的
电动自行车被人拿走…"), with valid resident ID numbers (GB 11643 check digit, real region codes, existing
birth dates), mobile numbers, plates and case numbers. The same seed gives the same documents.

The benchmark needs queries of known selectivity, so three kinds of term are planted:

- RARE_TERMS, rarely charged offences: each in exactly one document of every ``RARE_EVERY`` (0.005 %);
- PAIRS, a property item and a street: every document names one item of ``ITEMS`` and one street of
  ``STREETS``, drawn independently and uniformly, so each is in about 1.2 % of the documents and a
  given pair in about 0.014 %;
- BROAD_TERMS, the common offences (each 1–5 % by its scenario's weight) and the districts (4 %).

No planted term occurs anywhere else in the text (the tests count substrings to prove it). Pure
standard library and fast (``python -m casecenter.search.corpus`` measures it): the benchmark
builds a million documents, and the generator must not be what it waits for.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from itertools import cycle, islice
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .indexing import Doc


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


GENERATOR_VERSION = 1  # change whenever the output for a seed changes: the bench corpus is keyed by it
KIND = "bench.case"
RARE_EVERY = 20_000
LENGTH = (280, 320)

# Surnames with their share of the population in per mille (2020 census, the most frequent 60).
SURNAMES = _words(
    "王72 李72 张69 刘54 陈45 杨31 黄22 赵22 吴21 周19 徐17 孙15 马14 朱14 胡13 郭12 何11 高10 林10 "
    "罗9 郑9 梁9 谢8 宋7 唐7 许7 韩6 冯6 邓6 曹6 彭6 曾5 肖5 田5 董5 袁5 潘5 于5 蒋5 蔡5 余4 杜4 叶4 "
    "程4 苏4 魏4 吕4 丁4 任4 沈4 姚3 卢3 姜3 崔3 钟3 谭3 陆3 汪3 范3 金3"
)
MALE_NAMES = _words(
    "伟 强 磊 军 勇 杰 涛 斌 超 明 刚 平 辉 鹏 华 飞 鑫 波 宁 俊 浩 宇 凯 建华 国强 志强 志刚 建军 海涛 "
    "德明 文博 晓东 俊杰 子豪 浩然 宇轩 家豪 明轩 志伟 永刚 卫东 立新 红军 海波 振华 伟东 国华 "
    "晓峰 子轩 天佑 博文 鹏飞 金龙 学军 继红 春生 福生 庆丰"
)
FEMALE_NAMES = _words(
    "芳 娜 敏 静 丽 艳 娟 霞 燕 玲 婷 雪 琳 洁 倩 颖 慧 秀英 桂英 秀兰 玉兰 桂兰 秀珍 丽娟 淑珍 美玲 "
    "晓燕 丽华 红梅 春梅 海燕 雅琴 婉婷 欣怡 子涵 梓涵 雨涵 诗涵 一诺 佳怡 思琪 梦瑶 雨欣 晓丽 小红 "
    "翠花 凤英 金凤 玉梅 彩霞 丹丹 莉莉 佳佳 文静 慧敏"
)
# (district, its region code): the BROAD districts, and real region codes for the ID numbers.
DISTRICTS = (
    ("东城区", "110101"), ("西城区", "110102"), ("朝阳区", "110105"), ("丰台区", "110106"), ("海淀区", "110108"),
    ("黄浦区", "310101"), ("徐汇区", "310104"), ("长宁区", "310105"), ("静安区", "310106"), ("浦东新区", "310115"),
    ("玄武区", "320102"), ("秦淮区", "320104"), ("建邺区", "320105"), ("鼓楼区", "320106"), ("上城区", "330102"),
    ("西湖区", "330106"), ("越秀区", "440104"), ("天河区", "440106"), ("福田区", "440304"), ("南山区", "440305"),
    ("锦江区", "510104"), ("青羊区", "510105"), ("武昌区", "420106"), ("雁塔区", "610113"), ("历下区", "370102"),
)
BIRTH_REGIONS = tuple(code for _, code in DISTRICTS) + _words(
    "120101 130102 140105 210102 230102 340104 350203 360102 370202 410105 410305 430102 450103 500103 "
    "520102 530102 620102 130602 320583 330282 341202 362502 411302 421083 431102 511102 522401 612301"
)
STREETS = _words(
    "建国路 中山路 解放路 长江路 黄河路 新华路 光明路 幸福路 文化路 友谊路 东风路 滨江路 青年路 体育路 学院路 "
    "迎宾路 金桥路 银河路 花园路 天山路 昆仑路 泰山路 华山路 黄山路 庐山路 珠江路 汉江路 湘江路 漓江路 淮河路 "
    "渭河路 汾河路 民主路 富强路 工业路 东大街 西大街 南大街 北大街 钟楼街 文庙街 太平街 平安大道 世纪大道 "
    "金融大街 科技路 创业路 高新路 望京街 和谐大道 翠微路 紫竹路 丁香路 兰亭路 桂花路 梧桐路 银杏路 枫林路 "
    "松柏路 杨柳街 荷花池街 芙蓉路 牡丹路 石榴路 樱花路 凤凰路 龙腾路 朱雀大街 青龙街 白虎路 南湖路 北湖路 "
    "东湖路 月湖路 莲花路 桃源路 清泉路 金沙路 玉泉路 宝山路 红星路 星火路 曙光路 朝霞路 彩虹路 春晖路"
)
ITEMS = _words(
    "电动自行车 山地自行车 摩托车 三轮车 笔记本电脑 平板电脑 台式电脑 苹果手机 华为手机 小米手机 老年机 金项链 "
    "金手镯 金戒指 钻石戒指 玉石吊坠 翡翠挂件 机械手表 现金 钱包 双肩包 行李箱 手提包 蓄电池 电缆线 铜芯电线 "
    "香烟 白酒 茶叶 数码相机 蓝牙耳机 游戏机 液晶电视 空调外机 洗衣机 电冰箱 微波炉 吸尘器 电饭煲 电热水器 "
    "铝合金门窗 不锈钢水管 轮胎 汽车音响 行车记录仪 车载导航仪 充电宝 智能手表 望远镜 吉他 电子琴 钢琴 "
    "冬虫夏草 燕窝 奶粉 保健品 化妆品 羽绒服 皮衣 运动鞋 电动工具 冲击钻 切割机 发电机 水泵 钢筋 建筑模板 "
    "脚手架 快递包裹 购物卡 加油卡 车钥匙 电瓶 充电器 渔具 无人机 投影仪 路由器 移动硬盘 显卡 打印机 服务器"
)
PLACES = _words(
    "小区地下停车场 小区楼道内 小区门口 超市门口 菜市场 网吧内 KTV包厢内 烧烤店 饭店门口 宾馆房间内 公交站台 "
    "地铁站出口 商场一楼 写字楼大堂 工地 仓库 出租屋内 学校门口 医院门诊楼前 公园内 酒吧门口 洗浴中心 "
    "棋牌室内 快递驿站 加油站 汽车站广场 火车站广场 路边"
)
STATIONS = _words("城关 城南 城北 东关 西关 南关 北关 新城 老城 站前 河东 河西 开发区 桥头 湖滨 江岸")
ROLES = _words("客服 快递员 公安民警 银行工作人员 网贷平台客服 电商平台客服 领导 老同学 游戏装备卖家")
PRETEXTS = ("商品质量问题退款", "注销校园贷账户", "刷单返利", "办理低息贷款", "账户涉嫌洗黑钱需核查资金",
            "购买游戏装备", "投资理财高额回报", "代办信用卡提额", "快递丢失理赔")
INJURIES = ("轻微伤", "轻伤二级", "轻伤一级", "轻微伤", "轻微伤")
PROVINCES = "京津沪渝冀晋辽吉黑苏浙皖闽赣鲁豫鄂湘粤桂琼川贵云陕甘青宁新"
PLATE_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
MOBILE_PREFIXES = _words("130 131 132 133 135 136 137 138 139 150 151 152 153 155 156 157 158 159 166 "
                         "173 176 177 180 181 182 183 185 186 187 188 189 191 198 199")

# Scenarios: (offence or violation, template family, weight in per mille). The names are the
# dictionary's (data/dictionary.txt); a name ending in 罪 is a crime, the others 治安 violations.
SCENARIOS = (
    ("盗窃罪", "theft", 45), ("抢夺罪", "theft", 20), ("抢劫罪", "theft", 15), ("盗窃公共设施", "theft", 10),
    ("故意伤害罪", "fight", 45), ("殴打他人", "fight", 45), ("寻衅滋事罪", "fight", 40), ("聚众斗殴罪", "fight", 20),
    ("故意损毁财物", "fight", 20), ("故意毁坏财物罪", "fight", 15), ("非法侵入住宅", "fight", 10),
    ("威胁人身安全", "fight", 10), ("非法拘禁罪", "fight", 10),
    ("猥亵他人", "fight", 15), ("虐待家庭成员", "fight", 10), ("哄抢", "theft", 10),
    ("诈骗罪", "fraud", 45), ("帮助信息网络犯罪活动罪", "fraud", 45), ("掩饰隐瞒犯罪所得罪", "fraud", 35),
    ("侵犯公民个人信息罪", "fraud", 15), ("招摇撞骗罪", "fraud", 10), ("敲诈勒索罪", "fraud", 15),
    ("职务侵占罪", "fraud", 10), ("收购赃物", "fraud", 10), ("倒卖车票", "fraud", 10),
    ("伪造变造买卖公文证件", "fraud", 10),
    ("危险驾驶罪", "traffic", 45), ("交通肇事罪", "traffic", 15), ("偷开他人机动车", "traffic", 10),
    ("吸食毒品", "raid", 45), ("容留他人吸毒罪", "raid", 15), ("贩卖毒品罪", "raid", 20),
    ("非法持有毒品罪", "raid", 10),
    ("赌博", "raid", 35), ("开设赌场罪", "raid", 20), ("嫖娼", "raid", 15), ("组织卖淫罪", "raid", 10),
    ("扰乱公共秩序", "order", 25), ("妨害公务罪", "order", 15), ("袭警罪", "order", 10), ("阻碍执行职务", "order", 10),
    ("扰乱公共场所秩序", "order", 15), ("制造噪声干扰他人正常生活", "order", 10),
    ("非法携带管制刀具", "order", 15), ("偷窥偷拍", "order", 10), ("公然侮辱他人", "order", 10),
)
# Offences rarely charged by a police station: each in exactly one document of every RARE_EVERY.
RARE_TERMS = _words(
    "破坏军婚罪 走私文物罪 倒卖文物罪 盗伐林木罪 滥伐林木罪 非法狩猎罪 非法捕捞水产品罪 非法采矿罪 污染环境罪 "
    "非法行医罪 重婚罪 虐待罪 遗弃罪 拐骗儿童罪 侮辱罪 诽谤罪 伪证罪 脱逃罪 组织考试作弊罪 代替考试罪 高空抛物罪 "
    "催收非法债务罪 妨害安全驾驶罪 破坏电力设备罪 失火罪 放火罪 爆炸罪 投放虚假危险物质罪 编造虚假恐怖信息罪 "
    "非法侵入计算机信息系统罪 破坏计算机信息系统罪 非法利用信息网络罪 假冒注册商标罪 侵犯著作权罪 虚开发票罪 "
    "逃税罪 洗钱罪 非法吸收公众存款罪 组织领导传销活动罪 非法经营罪 强迫交易罪 串通投标罪 伪造货币罪 使用假币罪 "
    "伪造国家机关公文罪 伪造身份证件罪 非法制造枪支罪 私藏枪支罪 故意损毁文物罪 破坏生产经营罪"
)
PAIRS = tuple((ITEMS[i], STREETS[(i * 37 + 11) % len(STREETS)]) for i in range(50))
_TOTAL_WEIGHT = sum(w for *_, w in SCENARIOS)
BROAD_TERMS = tuple(name for name, _, w in SCENARIOS if w / _TOTAL_WEIGHT >= 0.01) + tuple(d for d, _ in DISTRICTS)

# Procedural sentences that pad a narrative to length: the centre's vocabulary, no planted term.
FILLERS = (
    "民警已依法制作询问笔录。", "案件已受案登记并录入执法办案平台。", "现场视频监控已调取并刻录光盘附卷。",
    "办案民警依法告知其诉讼权利和义务。", "讯问过程全程同步录音录像。", "已对其进行人身安全检查，未发现违禁品。",
    "其随身物品已登记并存入保管柜。", "已采集其人像、指纹等生物信息。", "证据材料已提交法制部门审核。",
    "法制审核意见为事实清楚、证据确实充分。", "案件正在进一步办理中。", "已依法通知其家属。",
    "被害人已到所制作询问笔录。",
    "民警已开具扣押清单一式三份。", "相关证人证言已固定。", "涉案财物已移交涉案财物管理中心保管。",
    "现场勘验笔录及照片已附卷。", "其对违法事实无异议并签字捺印。", "办案区进出均已登记，看管民警全程看管。",
    "已依法调取其银行流水及通话记录。", "已将鉴定意见告知当事人。", "案件已按规定报送审核审批。",
    "候问期间已保障其饮食和必要的休息时间。", "嫌疑人在候问室等候讯问。", "案件材料已按一案一档整理归档。",
    "其称系初次作案，已认识到错误。", "被害人表示要求依法处理。", "双方均未提出和解。", "同案人仍在进一步查找中。",
    "经比对，未发现其有其他违法犯罪记录。", "民警已对现场进行拍照固定。", "其家属已到场并签字确认。",
)

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)  # GB 11643-1999
CHECK_CHARS = "10X98765432"


def check_digit(first17: str) -> str:
    """The 18th character of a resident ID number (GB 11643-1999, ISO 7064 MOD 11-2)."""
    return CHECK_CHARS[sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True)) % 11]


def _weighted_sum(digits: str, offset: int) -> int:
    return sum(int(c) * w for c, w in zip(digits, WEIGHTS[offset:], strict=False))


def _table(pairs: Sequence[tuple[object, int]]) -> tuple:
    """A lookup table in which each value appears as often as its weight: a weighted pick is one index."""
    return tuple(value for value, weight in pairs for _ in range(weight))


_SURNAME_TABLE = _table([(s[0], int(s[1:])) for s in SURNAMES])
_SCENARIO_TABLE = _table([((name, family), w) for name, family, w in SCENARIOS])
_REGIONS = tuple((code, _weighted_sum(code, 0)) for code in BIRTH_REGIONS)
_FIRST, _LAST = date(1958, 1, 1), date(2007, 12, 31)
_BIRTHS = tuple((d, _weighted_sum(d, 6)) for d in (
    (_FIRST + timedelta(days=n)).strftime("%Y%m%d") for n in range((_LAST - _FIRST).days + 1)))
# The sequence's last digit is odd for men, even for women.
_SEQUENCES = tuple(tuple((f"{n:03d}", _weighted_sum(f"{n:03d}", 14)) for n in range(1000) if n % 2 == parity)
                   for parity in (0, 1))
_DAYS = tuple((f"{d.year}年{d.month}月{d.day}日", d.strftime("%Y%m%d"))
              for d in (date(2024, 1, 1) + timedelta(days=n) for n in range(1061)))


def selective_queries(n: int) -> list[str]:
    """``n`` queries of few hits: a rare term alone, then a pair ANDed (``"电动自行车 建国路"``), in turn."""
    alternating = [q for rare, pair in zip(RARE_TERMS, PAIRS, strict=False) for q in (rare, " ".join(pair))]
    return list(islice(cycle(alternating), n))


def broad_queries(n: int) -> list[str]:
    """``n`` queries of many hits (1–5 % of the documents each): common offences and districts."""
    return list(islice(cycle(BROAD_TERMS), n))


def expected_share(query: str) -> float:
    """The share of the documents that contain every term of a planted query (independent draws)."""
    share = 1.0
    for term in query.split():
        if term in RARE_TERMS:
            share *= 1 / RARE_EVERY
        elif term in ITEMS:
            share *= 1 / len(ITEMS)
        elif term in STREETS:
            share *= 1 / len(STREETS)
        elif term in dict(DISTRICTS):
            share *= 1 / len(DISTRICTS)
        else:
            weight = sum(w for name, _, w in SCENARIOS if name == term)
            share *= weight / _TOTAL_WEIGHT * (1 - len(RARE_TERMS) / RARE_EVERY)
    return share


def documents(count: int, *, seed: int = 1, unit_ids: Sequence[int | None] = (None,), start: int = 0) -> Iterator[Doc]:
    """``count`` documents, refs ``start + 1`` onwards; the same arguments give the same documents, and
    ``documents(n, start=k)`` continues ``documents(k)`` of the same seed (a build can resume)."""
    if not unit_ids:
        raise ValueError("unit_ids must name at least one unit (or None)")
    from .indexing import Doc  # here, so that the module itself imports without Django set up

    for block in range(start // 10_000, (start + count + 9_999) // 10_000):
        # Each block of 10,000 has its own stream, so that a resumed build gives the same documents.
        rng = random.Random(f"{seed}:{block}")  # noqa: S311 - test data, not a secret
        generator = _Generator(rng, tuple(unit_ids), seed, Doc)
        first, last = max(start, block * 10_000), min(start + count, (block + 1) * 10_000)
        for i in range(block * 10_000, first):  # draw (and drop) those before the start
            generator.document(i)
        for i in range(first, last):
            yield generator.document(i)


# Lengths of the pools, looked up once: the generator draws some thirty values per document.
_N_DISTRICTS = len(DISTRICTS)
_N_MALE_NAMES, _N_FEMALE_NAMES = len(MALE_NAMES), len(FEMALE_NAMES)
_N_FILLERS = len(FILLERS)
_N_ITEMS = len(ITEMS)
_N_MOBILE_PREFIXES = len(MOBILE_PREFIXES)
_N_PLACES = len(PLACES)
_N_PROVINCES = len(PROVINCES)
_N_STATIONS = len(STATIONS)
_N_STREETS = len(STREETS)
_N_BIRTHS = len(_BIRTHS)
_N_DAYS = len(_DAYS)
_N_REGIONS = len(_REGIONS)
_N_SCENARIO_TABLE = len(_SCENARIO_TABLE)
_N_SURNAME_TABLE = len(_SURNAME_TABLE)


class _Generator:
    def __init__(self, rng: random.Random, unit_ids: tuple, seed: int, doc: type[Doc]) -> None:
        self.rng, self.unit_ids, self.doc = rng, unit_ids, doc
        self.rare_phase = random.Random(f"rare:{seed}").randrange(RARE_EVERY)  # noqa: S311

    def person(self) -> tuple[str, str]:
        """A name and a valid ID number of the same sex."""
        r = self.rng.random
        male = r() < 0.72  # most of those named in police records are men
        given = MALE_NAMES if male else FEMALE_NAMES
        n_given = _N_MALE_NAMES if male else _N_FEMALE_NAMES
        name = _SURNAME_TABLE[int(r() * _N_SURNAME_TABLE)] + given[int(r() * n_given)]
        region, rs = _REGIONS[int(r() * _N_REGIONS)]
        birth, bs = _BIRTHS[int(r() * _N_BIRTHS)]
        seq, ss = _SEQUENCES[male][int(r() * 500)]
        return name, f"{region}{birth}{seq}{CHECK_CHARS[(rs + bs + ss) % 11]}"

    def phone(self) -> str:
        r = self.rng.random
        return f"{MOBILE_PREFIXES[int(r() * _N_MOBILE_PREFIXES)]}{int(r() * 100_000_000):08d}"

    def plate(self) -> str:
        r = self.rng.random
        tail = f"{int(r() * 100_000):05d}" if r() < 0.7 else f"{PLATE_CHARS[int(r() * 24)]}{int(r() * 10_000):04d}"
        return f"{PROVINCES[int(r() * _N_PROVINCES)]}{PLATE_CHARS[int(r() * 12)]}{tail}"

    def document(self, i: int) -> Doc:
        r = self.rng.random
        rare_slot = (i + self.rare_phase) % RARE_EVERY
        if rare_slot < len(RARE_TERMS):
            offence, family = RARE_TERMS[rare_slot], "rare"
        else:
            offence, family = _SCENARIO_TABLE[int(r() * _N_SCENARIO_TABLE)]
        day, compact = _DAYS[int(r() * _N_DAYS)]
        hour = int(r() * 24)
        district, code = DISTRICTS[int(r() * _N_DISTRICTS)]
        street, item = STREETS[int(r() * _N_STREETS)], ITEMS[int(r() * _N_ITEMS)]
        place = f"{district}{street}{int(r() * 300) + 1}号{PLACES[int(r() * _N_PLACES)]}"
        station = f"{STATIONS[int(r() * _N_STATIONS)]}派出所"
        v, vid = self.person()
        s, sid = self.person()
        vp, sp = self.phone(), self.phone()
        amount = (int(r() * 500) + 2) * 100
        case_no = f"A{code}{compact}{int(r() * 100_000):05d}"
        crime = offence.endswith("罪")
        charge = f"涉嫌{offence}" if crime else f"的行为构成{offence}"
        identifiers = [vid, vp, sid, sp, case_no]
        time_ = f"{day}{hour}时许"
        if family == "theft":
            title = f"{v}被盗{item}案" if offence == "盗窃罪" else f"{s}{offence.removesuffix('罪')}案"
            body = (f"{time_}，报警人{v}（身份证号{vid}，联系电话{vp}）报称其放在{place}的{item}被人拿走，"
                    f"价值人民币{amount}元。{station}民警赶到现场后开展勘查，调取周边视频监控，于次日将嫌疑人"
                    f"{s}（身份证号{sid}，联系电话{sp}）抓获，{s}{charge}，对上述事实供认不讳。")
        elif family == "fight":
            title = f"{s}{offence.removesuffix('罪')}案"
            body = (f"{time_}，{v}（身份证号{vid}，联系电话{vp}）报警称在{place}与{s}因琐事发生口角，被对方"
                    f"推搡殴打，随身携带的{item}在冲突中损坏。{station}民警到场后将{s}（身份证号{sid}，联系电话"
                    f"{sp}）口头传唤至执法办案管理中心，经鉴定{v}的损伤程度为{INJURIES[int(r() * 5)]}，{s}{charge}。")
        elif family == "fraud":
            title = f"{v}被{offence.removesuffix('罪')}案"
            body = (f"{time_}，被害人{v}（身份证号{vid}，联系电话{vp}）报称接到自称{ROLES[int(r() * 9)]}的电话，"
                    f"对方以{PRETEXTS[int(r() * 9)]}为由，诱骗其转账人民币{amount}元。经资金查控，{station}民警在"
                    f"{place}将{s}（身份证号{sid}，联系电话{sp}）抓获，{s}{charge}，当场扣押{item}等涉案财物。")
        elif family == "traffic":
            plate = self.plate()
            identifiers.append(plate)
            title = f"{s}{offence.removesuffix('罪')}案"
            body = (f"{time_}，{station}民警在{place}附近设卡检查时，发现驾驶人{s}（身份证号{sid}，联系电话{sp}）"
                    f"驾驶车牌号为{plate}的小型轿车形迹可疑，经呼气检测其血液中酒精含量为"
                    f"{int(r() * 150) + 20}mg/100ml。"
                    f"当事人{v}（身份证号{vid}，联系电话{vp}）在场见证，{s}{charge}，车内{item}已登记暂存。")
        elif family == "raid":
            title = f"{s}等人{offence.removesuffix('罪')}案"
            body = (f"{time_}，{station}民警根据群众举报，在{place}开展清查，当场查获{s}（身份证号{sid}，联系电话"
                    f"{sp}）等人，现场收缴{item}及人民币{amount}元。经询问，{s}{charge}。举报人{v}（身份证号"
                    f"{vid}，联系电话{vp}）已制作笔录，现场处置过程全程使用执法记录仪记录。")
        elif family == "order":
            title = f"{s}{offence.removesuffix('罪')}案"
            body = (f"{time_}，{station}接报称{place}有人闹事。民警到场后，{s}（身份证号{sid}，联系电话{sp}）"
                    f"情绪激动，不听劝阻，拉扯民警并摔砸{item}，经警告无效后被依法带离。现场目击者{v}（身份证号"
                    f"{vid}，联系电话{vp}）证实了上述经过，{s}{charge}。")
        else:
            title = f"{s}{offence.removesuffix('罪')}案"
            body = (f"{time_}，{station}民警在工作中发现{s}（身份证号{sid}，联系电话{sp}）{charge}。经在{place}"
                    f"现场核查，依法扣押{item}等物品，价值人民币{amount}元。知情人{v}（身份证号{vid}，联系电话"
                    f"{vp}）到所制作了询问笔录，案件已依法受案登记。")
        closing = (f"经呈请，依法对{s}刑事拘留，案件编号{case_no}。" if crime
                   else f"依法对{s}作出行政拘留{int(r() * 10) + 5}日的处罚，案件编号{case_no}。")
        body += closing
        k = int(r() * _N_FILLERS)
        while len(body) < LENGTH[0]:  # no filler twice: 7 and len(FILLERS) have no common divisor
            body += FILLERS[k]
            k = (k + 7) % len(FILLERS)
        return self.doc(kind=KIND, ref=str(i + 1), title=title, body=body,
                   unit_id=self.unit_ids[int(r() * len(self.unit_ids))], names=(v, s),
                   identifiers=tuple(identifiers), url="", extra={"case_no": case_no, "offence": offence})


def throughput(count: int = 200_000) -> float:
    """Documents generated per second of this process's CPU time (one core; other load not counted)."""
    start = time.process_time()
    for _ in documents(count, seed=1, unit_ids=(1, 2, 3)):
        pass
    return count / (time.process_time() - start)


if __name__ == "__main__":  # python -m casecenter.search.corpus: the generator's speed
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casecenter.config.settings_test")
    django.setup()
    print(f"{throughput():,.0f} documents per CPU second")
