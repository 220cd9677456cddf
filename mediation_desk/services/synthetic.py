"""Deterministic synthetic people, places and dispute texts for the demo county, tests and benchmarks.

Everything here is generated from a ``random.Random`` seeded by the caller: the same seed gives the same people
in the same order. Nothing is taken from a real person. Names are drawn from common surnames and given-name
characters; resident ID numbers are valid GB 11643 numbers (address codes 331122 and, for people born before
2000, sometimes the retired 332526; sequence odd for men and even for women; check character computed);
mobile numbers are random digits behind common mobile prefixes; villages and companies get generated names.
The demo marks its database as synthetic (setting ``desk.synthetic``) so every view can say so.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from itertools import accumulate

from mediation_desk.domain.codes import Gender, all_categories
from mediation_desk.domain.identity import check_character

COUNTY_NAME = "缙云县"
COUNTY_CODE = "331122"
RETIRED_COUNTY_CODE = "332526"
AREA_CODE = "0578"

HAN = "汉族"
SHE = "畲族"

# Common surnames, weighted; the first group is frequent in Jinyun (应, 朱, 李, 吴, 胡, 丁, 潜, 樊, 杜, 楼, 赵).
_SURNAMES: tuple[tuple[str, int], ...] = (
    ("李", 60),
    ("王", 45),
    ("陈", 50),
    ("吴", 45),
    ("朱", 45),
    ("胡", 40),
    ("应", 40),
    ("周", 30),
    ("丁", 30),
    ("杜", 25),
    ("赵", 25),
    ("樊", 20),
    ("潜", 20),
    ("楼", 15),
    ("施", 15),
    ("郑", 20),
    ("金", 20),
    ("徐", 20),
    ("黄", 20),
    ("张", 30),
    ("刘", 20),
    ("杨", 15),
    ("蔡", 10),
    ("叶", 15),
    ("卢", 15),
    ("章", 10),
    ("钭", 8),
    ("何", 10),
    ("林", 10),
    ("马", 8),
    ("孙", 8),
    ("梅", 6),
    ("麻", 6),
    ("虞", 5),
    ("沈", 5),
    ("郭", 5),
    ("谢", 5),
    ("邵", 5),
    ("欧阳", 2),
    ("司马", 1),
)
_COMPOUND_SURNAMES = frozenset(name for name, _ in _SURNAMES if len(name) > 1)
# She surnames (蓝, 雷, 钟 and some 李).
_SHE_SURNAMES: tuple[tuple[str, int], ...] = (("蓝", 40), ("雷", 35), ("钟", 20), ("李", 5))

_MALE_CHARS = "伟强军勇杰斌涛明辉刚建国志华平海军兵峰锋磊鹏飞宇浩俊文武忠良德成林松柏荣鑫祥福贵根土水火生发金银旺兴亮"
_FEMALE_CHARS = "芳娟敏静丽艳燕霞玲萍红梅兰菊香琴秀英凤珍莲花妹娥翠云雪婷颖倩慧淑洁琳露瑶月彩雅春芬"
_NEUTRAL_CHARS = "新永晓小海春秋玉金丽佳文明红洪素雨晨嘉欣子一可宁安"

_OCCUPATIONS_ADULT: tuple[tuple[str, int], ...] = (
    ("务农", 30),
    ("个体经营", 12),
    ("企业职工", 14),
    ("务工", 14),
    ("建筑工人", 5),
    ("五金加工", 5),
    ("茶农", 4),
    ("烧饼师傅", 3),
    ("司机", 4),
    ("厨师", 2),
    ("教师", 2),
    ("无业", 5),
)
_OCCUPATIONS_OLD: tuple[tuple[str, int], ...] = (("务农", 50), ("退休", 30), ("无业", 15), ("个体经营", 5))

_MOBILE_SEGMENTS = (30, 31, 32, 33, 35, 36, 37, 38, 39, 50, 51, 52, 53, 55, 56, 57, 58, 59, 77, 80, 81, 82, 83, 85)
_MOBILE_PREFIXES = tuple(f"1{segment}" for segment in (*_MOBILE_SEGMENTS, 86, 87, 88, 89, 99))

# Generated place names: a first and a second character; 村 or 社区 is appended.
_VILLAGE_FIRST = "上下东西南北前后大小新老中里外高黄白石青金岩溪岭山坑塘桥田湖坪岙垟仙双三五九枫竹桃杨柳梅茶松"
_VILLAGE_SECOND = "坑头口岙溪岭塘山源坞垟田湾桥畈坪岗园庄宅店岩潭湖井坛埠岸洋垄坝"
_COMMUNITY_FIRST = "丽新和兴东西南北城河阳康江滨溪华安宁福泰平荣锦瑞祥"
_COMMUNITY_SECOND = "苑园湖滨阳华安康景丰宁福兴和惠晖欣湾城"
_ROAD_CHARS = "前进解放人民新华建设中山东风和平胜利文化迎宾望江环城仙都好溪"
_COMPANY_CHARS = "恒茂鑫盛华达源丰通顺利泰宏金永兴隆鼎诚信远祥瑞佳捷凯越广海晟宸嘉"

_COMPANY_KINDS: dict[str, tuple[str, ...]] = {
    "04": ("建材有限公司", "五金制品有限公司", "装饰工程有限公司", "贸易有限公司"),
    "05": ("茶业专业合作社", "农业开发有限公司", "机械有限公司", "食品有限公司"),
    "06": ("建筑工程有限公司", "运输有限公司"),
    "08": ("建设开发有限公司",),
    "09": ("石材加工厂", "生猪养殖场", "塑料制品厂"),
    "10": ("建筑劳务有限公司", "五金制品有限公司", "机械配件厂", "服装厂"),
    "11": ("家电商行", "超市", "家具店", "建材店"),
    "12": ("诊所", "口腔诊所", "中医诊所"),
    "13": ("运输有限公司", "物流有限公司"),
    "14": ("物业服务有限公司",),
}


@cache
def _cumulative(table: tuple[tuple[str, int], ...]) -> tuple[list[str], list[int]]:
    return [value for value, _ in table], list(accumulate(weight for _, weight in table))


def _weighted(rng: random.Random, table: tuple[tuple[str, int], ...]) -> str:
    values, cumulative = _cumulative(table)
    return rng.choices(values, cum_weights=cumulative)[0]


def surname_of(name: str) -> str:
    """The surname of a generated name (the compound surnames of the list are two characters)."""
    return name[:2] if name[:2] in _COMPOUND_SURNAMES else name[:1]


def yuan_text(fen: int) -> str:
    """Amounts as written in mediation papers: 人民币 32000 元 (whole yuan when there are no fen)."""
    yuan, cents = divmod(fen, 100)
    return f"{yuan}元" if cents == 0 else f"{yuan}.{cents:02d}元"


def date_text(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass(frozen=True, slots=True)
class Place:
    """Where a person lives: a township-level unit and a village or community in it."""

    township: str
    village: str  # with its 村 / 社区 suffix

    @property
    def is_community(self) -> bool:
        return self.village.endswith("社区")


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    gender: Gender
    ethnicity: str
    birth_date: date
    id_number: str
    phone: str
    address: str
    occupation: str


@dataclass(frozen=True, slots=True)
class Organisation:
    """A generated company, shop, clinic or cooperative that is a party to a dispute."""

    name: str
    representative: str
    phone: str
    address: str


@dataclass(frozen=True, slots=True)
class DisputeText:
    """A dispute's texts: category (with sub-type when one applies), title, facts, requests, agreement terms."""

    category: str
    subtype: str | None
    title: str
    facts: str
    requests: str
    terms: tuple[str, ...]
    investigation: str
    money: bool


@dataclass(frozen=True, slots=True)
class DisputeTemplate:
    """One way a dispute of a category is described; the demo picks one before it chooses the parties."""

    subtype: str | None
    facts: str
    requests: str
    terms: tuple[str, ...]
    money: bool  # whether the amount is the subject (written into requests and terms)
    organisation: bool = False  # whether the respondent is usually an organisation
    kin: bool = False  # whether the parties are relatives (same surname)


# One to three templates per reporting category. Placeholders: {a} applicant, {b} respondent, {amount} the
# claimed amount, {agreed} the agreed amount, {village}, {township}, {year}, {deadline}, {thing}, {n} persons.
_TEMPLATES: dict[str, tuple[DisputeTemplate, ...]] = {
    "01": (
        DisputeTemplate(
            "0101",
            "{a}与{b}系夫妻关系，婚后因家庭琐事经常争吵，近期矛盾激化，{a}提出离婚，双方对子女抚养和共同财产分割存在分歧。",
            "1. 解除婚姻关系；2. 婚生子女由{a}抚养；3. 依法分割夫妻共同财产，{b}补偿{a}{amount}。",
            ("{b}于{deadline}前一次性支付{a}财产补偿款{agreed}。", "婚生子女由{a}抚养，{b}享有探望权。"),
            True,
        ),
        DisputeTemplate(
            "0102",
            "{a}年事已高，育有子女数人，其中{b}以已分家为由拒绝承担赡养义务，{a}生活困难，多次找村调委会反映。",
            "要求{b}按月支付赡养费，并分担医疗费用。",
            ("{b}自本协议签订之月起每月支付{a}赡养费，每年共计{agreed}。", "{a}生病住院时，医疗费用由子女平均分担。"),
            True,
            kin=True,
        ),
        DisputeTemplate(
            "0103",
            "{a}与{b}系兄弟姐妹关系，父亲去世后留有位于{village}的房屋一幢，双方对房屋继承份额发生争议。",
            "要求依法分割父亲遗留的房屋，或由{b}折价补偿{amount}。",
            ("房屋归{b}所有，{b}于{deadline}前折价补偿{a}{agreed}。", "双方今后互谅互让，和睦相处。"),
            True,
            kin=True,
        ),
    ),
    "02": (
        DisputeTemplate(
            None,
            "{a}与{b}系{village}邻居，{b}在自家屋后搭建简易棚，占用公共通道并影响{a}家通行和采光，双方多次发生口角。",
            "要求{b}拆除搭建的简易棚，恢复通道畅通。",
            ("{b}于{deadline}前自行拆除屋后简易棚，恢复通道原状。", "双方今后和睦相处，不得再因此事发生纠纷。"),
            False,
        ),
        DisputeTemplate(
            None,
            "{b}家屋顶排水直接流入{a}家院内，造成{a}家墙体受潮，双方协商未果，矛盾逐渐升级。",
            "要求{b}改建排水沟，并赔偿墙体修缮费用{amount}。",
            ("{b}于{deadline}前将排水沟改至自家一侧。", "{b}一次性补偿{a}墙体修缮费用{agreed}。"),
            True,
        ),
        DisputeTemplate(
            None,
            "{a}与{b}因宅前空地堆放柴草及鸡鸭散养问题发生争执，并引发推搡，双方情绪激动。",
            "要求{b}清理堆放在宅前空地上的柴草，管好家禽。",
            ("{b}于{deadline}前清理宅前空地上的柴草。", "双方家禽圈养，互不影响对方生活。"),
            False,
        ),
    ),
    "03": (
        DisputeTemplate(
            None,
            "{a}与{b}宅基地相邻，{b}翻建新房时地基越过原有界址约半米，{a}认为侵占其宅基地，双方发生争执。",
            "要求{b}按原界址建房，停止侵害。",
            ("{b}按原界址退让后继续施工，双方共同确认界址并签字。", "{b}补偿{a}施工期间造成的损失{agreed}。"),
            True,
        ),
        DisputeTemplate(
            None,
            "{a}于{year}年向{b}租赁位于{village}的房屋用于居住，因房屋漏水维修费用承担问题双方发生纠纷。",
            "要求{b}承担房屋维修费用{amount}。",
            ("房屋漏水维修费用由{b}承担{agreed}，于{deadline}前支付。", "租赁合同继续履行至约定期满。"),
            True,
        ),
    ),
    "04": (
        DisputeTemplate(
            "0401",
            "{b}于{year}年向{a}借款{amount}，约定一年内归还，到期后经{a}多次催讨，{b}以资金紧张为由至今未还。",
            "要求{b}归还借款{amount}。",
            ("{b}于{deadline}前归还{a}借款{agreed}。", "{a}放弃利息主张，款项付清后双方再无其他纠葛。"),
            True,
        ),
        DisputeTemplate(
            "0402",
            "{a}向{b}购买{thing}一批，货款共计{amount}，{a}认为货物存在质量问题拒绝支付余款，双方发生纠纷。",
            "要求{b}更换有质量问题的货物，或相应减少货款。",
            ("{b}更换有质量问题的货物，{a}于{deadline}前付清余款{agreed}。", "双方就本次买卖再无其他争议。"),
            True,
            organisation=True,
        ),
        DisputeTemplate(
            None,
            "{a}承包{b}的房屋装修工程，工程款共计{amount}，完工后双方就工程质量及尾款结算发生争议。",
            "要求{b}支付装修工程尾款{amount}。",
            ("{b}于{deadline}前支付{a}工程尾款{agreed}。", "{a}对卫生间渗水处进行返修，费用自理。"),
            True,
        ),
    ),
    "05": (
        DisputeTemplate(
            None,
            "{a}与{b}合伙经营烧饼店，因经营亏损及账目不清，双方就散伙后的财产分配发生争议，涉及金额{amount}。",
            "要求{b}返还合伙投资款并结算合伙期间的收益。",
            ("{b}于{deadline}前返还{a}合伙投资款{agreed}。", "店内设备归{b}所有，合伙关系自本协议签订之日起解除。"),
            True,
        ),
        DisputeTemplate(
            None,
            "{a}承包{village}的茶园，因承包期内灌溉用水分配问题与{b}发生纠纷，影响春茶采摘。",
            "要求{b}按约定轮流放水，并赔偿茶叶减产损失{amount}。",
            ("双方按单双日轮流取水灌溉。", "{b}补偿{a}茶叶减产损失{agreed}。"),
            True,
            organisation=True,
        ),
    ),
    "06": (
        DisputeTemplate(
            None,
            "{b}饲养的狗将{a}咬伤，{a}花去医疗费等各项费用共计{amount}，双方就赔偿数额协商未果。",
            "要求{b}赔偿医疗费、误工费、交通费等共计{amount}。",
            ("{b}于{deadline}前一次性赔偿{a}各项损失{agreed}。", "{b}今后拴养犬只，防止再次伤人。"),
            True,
        ),
        DisputeTemplate(
            None,
            "{b}在施工过程中不慎损坏{a}家的围墙及菜地，{a}要求赔偿损失，双方对损失数额分歧较大。",
            "要求{b}修复围墙并赔偿损失{amount}。",
            ("{b}于{deadline}前修复围墙并赔偿{a}菜地损失{agreed}。", "本协议履行完毕后双方再无其他纠纷。"),
            True,
            organisation=True,
        ),
        DisputeTemplate(
            None,
            "{a}与{b}因琐事发生争吵并互相推搡，{a}受轻微伤，花去医疗费若干，要求{b}赔偿。",
            "要求{b}赔偿医疗费、误工费等共计{amount}，并赔礼道歉。",
            ("{b}向{a}赔礼道歉，并于{deadline}前赔偿医疗费等各项损失{agreed}。", "双方今后不得再因此事寻衅滋事。"),
            True,
        ),
    ),
    "07": (
        DisputeTemplate(
            "0701",
            "{a}与{b}因{village}后山一片山林的界址发生争议，双方各执一词，均称该片山林为自家承包。",
            "要求确认山林界址，{b}停止砍伐。",
            ("双方以山脊分水线为界，共同埋设界桩。", "界址以西山林由{a}经营，{b}已砍伐的林木作价{agreed}补偿{a}。"),
            True,
        ),
        DisputeTemplate(
            None,
            "{a}与{b}承包地相邻，{b}耕种时越界种植，侵占{a}承包地约半亩，双方多次争吵。",
            "要求{b}退还越界耕种的承包地。",
            ("{b}于{deadline}前退还越界耕种的承包地。", "地上作物收获后由{b}自行清理。"),
            False,
        ),
    ),
    "08": (
        DisputeTemplate(
            None,
            "{a}所有的房屋因道路改建工程被列入征收范围，{a}对房屋评估补偿金额有异议，与{b}协商未果。",
            "要求重新评估房屋价值，增加补偿{amount}。",
            ("{b}对附属设施重新核定，增加补偿{a}{agreed}。", "{a}于{deadline}前腾空房屋交付拆除。"),
            True,
            organisation=True,
        ),
        DisputeTemplate(
            None,
            "{a}与{b}系兄弟，双方就老宅拆迁补偿款{amount}的分配发生争议。",
            "要求按份额分配老宅拆迁补偿款。",
            ("老宅拆迁补偿款按双方各半分配，{b}于{deadline}前支付{a}{agreed}。", "双方再无其他争议。"),
            True,
            kin=True,
        ),
    ),
    "09": (
        DisputeTemplate(
            None,
            "{b}紧邻{village}居民区，生产中排放的污水和气味影响周边村民生活，{a}等村民多次反映未果。",
            "要求{b}整改污染问题，并赔偿损失{amount}。",
            ("{b}于{deadline}前完成污水处理设施整改。", "{b}补偿受影响村民{agreed}。"),
            True,
            organisation=True,
        ),
        DisputeTemplate(
            None,
            "{b}夜间作业噪音扰民，{a}等人多次交涉未果，双方发生争执。",
            "要求{b}停止夜间作业。",
            ("{b}每日晚十时至次日早六时停止作业。", "{b}在车间加装隔音设施。"),
            False,
            organisation=True,
        ),
    ),
    "10": (
        DisputeTemplate(
            "1001",
            "{a}等{n}人受雇于{b}从事建筑工作，工程结束后{b}拖欠工资共计{amount}未付，多次催讨无果。",
            "要求{b}支付拖欠的工资{amount}。",
            ("{b}于{deadline}前支付{a}等人工资{agreed}。", "工资付清后双方劳务关系终结，再无其他争议。"),
            True,
            organisation=True,
        ),
        DisputeTemplate(
            "1002",
            "{a}在{b}处从事五金加工工作期间手部受伤，双方就工伤赔偿事宜协商未果。",
            "要求{b}赔偿医疗费、误工费、伤残补助等共计{amount}。",
            ("{b}于{deadline}前一次性赔偿{a}各项损失{agreed}。", "双方劳动关系自本协议签订之日起解除。"),
            True,
            organisation=True,
        ),
        DisputeTemplate(
            None,
            "{a}在{b}处工作多年，{b}解除劳动关系时未支付经济补偿，双方发生争议。",
            "要求{b}支付经济补偿{amount}。",
            ("{b}于{deadline}前支付{a}经济补偿{agreed}。", "双方劳动关系依法解除。"),
            True,
            organisation=True,
        ),
    ),
    "11": (
        DisputeTemplate(
            None,
            "{a}在{b}处购买{thing}，使用不久即出现质量问题，{a}要求退货，遭{b}拒绝。",
            "要求{b}退货退款{amount}。",
            ("{b}为{a}办理退货，于{deadline}前退还货款{agreed}。",),
            True,
            organisation=True,
        ),
    ),
    "12": (
        DisputeTemplate(
            None,
            "{a}在{b}就诊后病情加重，{a}认为{b}存在诊疗过错，要求赔偿，双方多次协商未果。",
            "要求{b}赔偿医疗费等各项损失{amount}。",
            ("{b}于{deadline}前一次性补偿{a}{agreed}。", "双方就本次诊疗再无其他争议。"),
            True,
            organisation=True,
        ),
    ),
    "13": (
        DisputeTemplate(
            None,
            "{b}驾驶小型货车行经{township}时与{a}驾驶的电动自行车发生碰撞，致{a}受伤，交警部门认定{b}负事故主要责任，"
            "双方就赔偿问题协商未果。",
            "要求{b}赔偿医疗费、误工费、护理费、车辆损失等共计{amount}。",
            (
                "{b}于{deadline}前一次性赔偿{a}各项损失{agreed}（已垫付的医疗费不再另计）。",
                "双方就本次事故再无其他争议。",
            ),
            True,
        ),
    ),
    "14": (
        DisputeTemplate(
            None,
            "{a}系{village}某小区业主，认为{b}物业服务不到位，拒交物业费{amount}，双方发生纠纷。",
            "要求{b}改进保洁和车辆管理服务。",
            ("{a}于{deadline}前缴纳所欠物业费{agreed}。", "{b}加强小区保洁和车辆停放管理。"),
            True,
            organisation=True,
        ),
    ),
    "15": (
        DisputeTemplate(
            None,
            "{a}与{b}因红白喜事办理及礼金往来问题产生矛盾，双方互不相让，关系紧张。",
            "要求{b}当面澄清事实并赔礼道歉。",
            ("{b}向{a}赔礼道歉。", "双方今后和睦相处。"),
            False,
        ),
        DisputeTemplate(
            None,
            "{a}与{b}因村集体经济组织分红资格问题发生争议，{a}认为其户籍在村，应享受分红。",
            "要求确认分红资格并补发分红款{amount}。",
            ("{b}补发{a}分红款{agreed}。",),
            True,
        ),
    ),
}

# Amount claimed, in yuan (log-uniform within the range), per category.
_AMOUNTS: dict[str, tuple[int, int]] = {
    "01": (5_000, 300_000),
    "02": (500, 10_000),
    "03": (2_000, 60_000),
    "04": (5_000, 300_000),
    "05": (10_000, 200_000),
    "06": (1_000, 80_000),
    "07": (2_000, 30_000),
    "08": (20_000, 500_000),
    "09": (5_000, 50_000),
    "10": (3_000, 200_000),
    "11": (300, 20_000),
    "12": (5_000, 300_000),
    "13": (3_000, 200_000),
    "14": (800, 10_000),
    "15": (500, 20_000),
}

_THINGS = ("茶叶", "建筑钢材", "五金配件", "冰箱", "空调", "电动自行车", "实木家具", "瓷砖", "农用机械", "手机")

_INVESTIGATION = (
    "经走访{village}村干部及周边群众，并到现场查看，{a}所述情况基本属实，双方争议焦点为{focus}。",
    "调解员到现场进行了查看和拍照，向{b}了解了情况，{b}承认部分事实，但对{focus}有不同意见。",
    "调解员查阅了相关书面材料，询问了知情人，初步查明了纠纷的起因和经过，争议焦点为{focus}。",
)

_FOCUS: dict[str, str] = {
    "01": "财产分割和子女抚养",
    "02": "通行和排水",
    "03": "宅基地界址",
    "04": "欠款数额和还款期限",
    "05": "账目结算",
    "06": "赔偿数额",
    "07": "山林土地界址",
    "08": "补偿款分配",
    "09": "污染整改和补偿",
    "10": "工资和赔偿数额",
    "11": "退货退款",
    "12": "诊疗责任和补偿数额",
    "13": "赔偿项目和数额",
    "14": "物业服务质量和物业费",
    "15": "事实澄清",
}


class Synth:
    """A deterministic source of synthetic people, places and texts: same seed, same output, in the same order."""

    def __init__(self, seed: int | random.Random, *, today: date | None = None) -> None:
        self.rng = seed if isinstance(seed, random.Random) else random.Random(seed)
        self.today = today or date.today()

    # -- people ----------------------------------------------------------------------------------------------

    def gender(self) -> Gender:
        return Gender.MALE if self.rng.random() < 0.5 else Gender.FEMALE

    def ethnicity(self) -> str:
        """Mostly 汉族; Jinyun has a She minority (about 2–3 %)."""
        return SHE if self.rng.random() < 0.025 else HAN

    def surname(self, ethnicity: str = HAN) -> str:
        return _weighted(self.rng, _SHE_SURNAMES if ethnicity == SHE else _SURNAMES)

    def given_name(self, gender: Gender) -> str:
        own = _MALE_CHARS if gender is Gender.MALE else _FEMALE_CHARS
        pool = own + _NEUTRAL_CHARS
        if self.rng.random() < 0.25:
            return self.rng.choice(own)
        first = self.rng.choice(pool)
        second = self.rng.choice(own)
        while second == first and self.rng.random() < 0.8:
            second = self.rng.choice(own)
        return first + second

    def name(self, gender: Gender | None = None, ethnicity: str = HAN) -> str:
        return self.surname(ethnicity) + self.given_name(gender or self.gender())

    def birth_date(self, *, min_age: int = 18, max_age: int = 80) -> date:
        """A birth date giving an age between ``min_age`` and ``max_age`` today."""
        youngest = self.today - timedelta(days=round(min_age * 365.25) + 1)
        oldest = self.today - timedelta(days=round((max_age + 1) * 365.25) - 1)
        return date.fromordinal(self.rng.randint(oldest.toordinal(), youngest.toordinal()))

    def resident_id(self, birth: date, gender: Gender) -> str:
        """A valid GB 11643 number: 331122 (or, born before 2000, sometimes 332526), sequence by gender."""
        code = RETIRED_COUNTY_CODE if birth.year < 2000 and self.rng.random() < 0.5 else COUNTY_CODE
        half = self.rng.randint(0, 498)
        sequence = 2 * half + 1 if gender is Gender.MALE else 2 * half + 2
        first17 = f"{code}{birth:%Y%m%d}{sequence:03d}"
        return first17 + check_character(first17)

    def phone(self) -> str:
        """An 11-digit mobile number behind a common prefix (random digits: not anybody's number on purpose)."""
        return self.rng.choice(_MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"

    def landline(self) -> str:
        return f"{AREA_CODE}-3{self.rng.randrange(10**6):06d}"

    def occupation(self, birth: date) -> str:
        age = self.today.year - birth.year
        if age < 22 and self.rng.random() < 0.6:
            return "学生"
        return _weighted(self.rng, _OCCUPATIONS_OLD if age >= 62 else _OCCUPATIONS_ADULT)

    def address(self, place: Place) -> str:
        """缙云县五云街道上坑村12号, or for a community 缙云县五云街道新苑社区人民路8号."""
        number = self.rng.randint(1, 199)
        if place.is_community:
            return f"{COUNTY_NAME}{place.township}{place.village}{self.road()}{number}号"
        return f"{COUNTY_NAME}{place.township}{place.village}{number}号"

    def person(
        self,
        place: Place,
        *,
        gender: Gender | None = None,
        ethnicity: str | None = None,
        surname: str | None = None,
        min_age: int = 18,
        max_age: int = 80,
    ) -> Person:
        """A person living at ``place``; ``surname`` makes a relative of someone already generated."""
        gender = gender or self.gender()
        ethnicity = ethnicity or self.ethnicity()
        birth = self.birth_date(min_age=min_age, max_age=max_age)
        name = (surname + self.given_name(gender)) if surname else self.name(gender, ethnicity)
        return Person(
            name=name,
            gender=gender,
            ethnicity=ethnicity,
            birth_date=birth,
            id_number=self.resident_id(birth, gender),
            phone=self.phone(),
            address=self.address(place),
            occupation=self.occupation(birth),
        )

    # -- places and organisations -------------------------------------------------------------------------------

    def road(self) -> str:
        start = self.rng.randrange(0, len(_ROAD_CHARS) // 2) * 2
        return _ROAD_CHARS[start : start + 2] + self.rng.choice(("路", "街", "大道"))

    def place_names(self, villages: int, communities: int = 0) -> list[str]:
        """Generated committee places, unique within one call (one township): communities first, then villages."""
        names: list[str] = []
        seen: set[str] = set()
        for count, first, second, suffix in (
            (communities, _COMMUNITY_FIRST, _COMMUNITY_SECOND, "社区"),
            (villages, _VILLAGE_FIRST, _VILLAGE_SECOND, "村"),
        ):
            made = 0
            while made < count:
                stem = self.rng.choice(first) + self.rng.choice(second)
                if stem[0] == stem[1] or stem in seen:
                    continue
                seen.add(stem)
                names.append(stem + suffix)
                made += 1
        return names

    def organisation(self, category: str, place: Place) -> Organisation:
        """A generated company, shop, clinic or cooperative suited to the category."""
        kind = self.rng.choice(_COMPANY_KINDS.get(category, ("有限公司",)))
        stem = "".join(self.rng.sample(_COMPANY_CHARS, 2))
        prefix = COUNTY_NAME if kind.endswith("公司") else place.township
        return Organisation(
            name=f"{prefix}{stem}{kind}",
            representative=self.name(),
            phone=self.landline(),
            address=f"{COUNTY_NAME}{place.township}{self.road()}{self.rng.randint(1, 299)}号",
        )

    # -- dispute texts -------------------------------------------------------------------------------------------

    def amount_fen(self, category: str) -> int:
        """A claimed amount for the category, in fen: log-uniform, rounded to 100 yuan (to 10 below 2,000)."""
        low, high = _AMOUNTS[category]
        value: float = low * (high / low) ** self.rng.random()
        step = 10 if value < 2_000 else 100
        return max(step, round(value / step) * step) * 100

    def agreed_fen(self, claimed: int) -> int:
        """The amount agreed in mediation: usually somewhat less than the claim, rounded to 10 yuan."""
        share = self.rng.choice((1.0, 1.0, 0.9, 0.85, 0.8, 0.75, 0.7, 0.6))
        return max(1000, round(claimed * share / 1000) * 1000)

    def template_for(self, category: str) -> DisputeTemplate:
        return self.rng.choice(_TEMPLATES[category])

    def dispute(
        self,
        category: str,
        applicant: str,
        respondent: str,
        place: Place,
        *,
        claimed_fen: int = 0,
        agreed_fen: int = 0,
        deadline: date | None = None,
        persons: int = 0,
        year: int | None = None,
        template: DisputeTemplate | None = None,
    ) -> DisputeText:
        """Texts for a dispute of ``category`` between the named parties."""
        chosen = template or self.template_for(category)
        values = {
            "a": applicant,
            "b": respondent,
            "amount": f"人民币{yuan_text(claimed_fen)}" if claimed_fen else "若干",
            "agreed": f"人民币{yuan_text(agreed_fen)}" if agreed_fen else "相应款项",
            "village": place.village,
            "township": place.township,
            "year": year or self.today.year - 1,
            "deadline": date_text(deadline) if deadline else "协议签订当日",
            "thing": self.rng.choice(_THINGS),
            "n": max(persons, 2),
        }
        category_name = all_categories()[category].name
        focus = _FOCUS[category]
        return DisputeText(
            category=category,
            subtype=chosen.subtype,
            title=f"{applicant}与{respondent}{category_name}",
            facts=chosen.facts.format(**values),
            requests=chosen.requests.format(**values),
            terms=tuple(term.format(**values) for term in chosen.terms),
            investigation=self.rng.choice(_INVESTIGATION).format(focus=focus, **values),
            money=chosen.money,
        )

    def session_body(
        self, applicant: str, respondent: str, category: str, *, final: bool, success: bool, terminated: bool = False
    ) -> str:
        """A session record's body: rights notice, each side's statement, the mediator's work, the result."""
        focus = _FOCUS[category]
        opening = "调解员首先向双方当事人告知了人民调解的性质、原则和双方的权利义务，双方均表示同意调解。"
        statements = (
            f"{applicant}陈述：对方在{focus}问题上不讲道理，希望调委会主持公道。"
            f"{respondent}陈述：事情另有原因，自己并非全无道理，但愿意在调委会主持下协商解决。"
        )
        work = self.rng.choice(
            (
                "调解员结合《中华人民共和国民法典》相关规定进行释法说理，分别做双方思想工作，",
                "调解员采取背对背方式分别听取双方意见，邀请村干部和亲属共同参与疏导，",
                "调解员讲清法律规定和乡风民俗，引导双方换位思考，",
            )
        )
        if not final:
            end = "双方意见有所接近，约定择日再次调解。"
        elif terminated:
            end = "但一方当事人表示不愿继续调解，调解终止。"
        elif success:
            end = "经耐心疏导，双方自愿达成调解协议。"
        else:
            end = "但双方分歧较大，未能达成一致。"
        return opening + statements + work + end
