"""Demo catalogues of devolved powers for the demo city (DESIGN.md M3, M4, M6).

Modelled on what Henan counties publish when they devolve powers to townships: government-service
items handled at township and village desks (some accepted at the village and completed at the
township), the township enforcement list in two batches with two items since taken back (so the
list as it stood on a date differs from today's), and county–township coordination items
(县乡协同事项) with the township's part, the workflow, the resources and "13710" deadlines, tighter
for urgent and critical matters where the work demands it.

Every lead and co-handling sector of a coordination item has a department in each demo county
(``governance.demo.DEPARTMENTS``), so a case raised under any of them can be assigned.

Loading is idempotent: an item is found by its code before it is created, and an item that exists
is left as it is (an administrator may have edited it).
"""

import datetime

from governance.models import (
    CasePriority,
    CoordinationDeadline,
    CoordinationItem,
    EnforcementCategory,
    EnforcementItem,
    HandlingMode,
    Sector,
    ServiceItem,
    ServiceLevel,
)

_T = ServiceLevel.TOWNSHIP
_V = ServiceLevel.VILLAGE
_AT_TOWNSHIP = HandlingMode.TOWNSHIP
_AT_VILLAGE = HandlingMode.VILLAGE
_VILLAGE_TO_TOWNSHIP = HandlingMode.VILLAGE_TO_TOWNSHIP

# code, name, level, handling mode, sector, legal basis, statutory limit, promised limit (working days)
# A table, one catalogue row per entry as the published lists print them: not reformatted.
# fmt: off
SERVICE_ITEMS = [
    # --- township desks (乡镇便民服务中心) ---
    ("FW-XZ-001", "就业创业证申领", _T, _AT_TOWNSHIP, Sector.HUMAN_RESOURCES,
     "《就业服务与就业管理规定》第六十二条", 5, 1),
    ("FW-XZ-002", "失业登记", _T, _AT_TOWNSHIP, Sector.HUMAN_RESOURCES,
     "《中华人民共和国就业促进法》第四十二条；《就业服务与就业管理规定》第六十三条", 5, 1),
    ("FW-XZ-003", "就业困难人员认定", _T, _AT_TOWNSHIP, Sector.HUMAN_RESOURCES,
     "《中华人民共和国就业促进法》第五十二条", 15, 5),
    ("FW-XZ-004", "灵活就业人员社会保险补贴申领", _T, _AT_TOWNSHIP, Sector.HUMAN_RESOURCES,
     "《就业补助资金管理办法》（财社〔2017〕164号）第六条", 20, 10),
    ("FW-XZ-005", "乡村建设规划许可证核发", _T, _AT_TOWNSHIP, Sector.NATURAL_RESOURCES,
     "《中华人民共和国城乡规划法》第四十一条", 20, 10),
    ("FW-XZ-006", "农村土地经营权流转合同备案", _T, _AT_TOWNSHIP, Sector.AGRICULTURE,
     "《农村土地经营权流转管理办法》第二十一条", 10, 5),
    ("FW-XZ-007", "农村土地承包经营纠纷调解", _T, _AT_TOWNSHIP, Sector.AGRICULTURE,
     "《中华人民共和国农村土地承包经营纠纷调解仲裁法》第七条", 30, 20),
    ("FW-XZ-008", "农村居民采伐自留山和个人承包集体林地林木采伐许可", _T, _AT_TOWNSHIP, Sector.FORESTRY,
     "《中华人民共和国森林法》第五十七条", 10, 5),
    ("FW-XZ-009", "食品摊贩登记", _T, _AT_TOWNSHIP, Sector.MARKET_REGULATION,
     "《河南省食品小作坊、小经营店和食品摊贩管理条例》第三十条", 10, 3),
    ("FW-XZ-010", "个体工商户设立登记", _T, _AT_TOWNSHIP, Sector.MARKET_REGULATION,
     "《促进个体工商户发展条例》第八条；《中华人民共和国市场主体登记管理条例》第十九条", 3, 1),
    ("FW-XZ-011", "孤儿基本生活费发放申请", _T, _AT_TOWNSHIP, Sector.CIVIL_AFFAIRS,
     "《国务院办公厅关于加强孤儿保障工作的意见》（国办发〔2010〕54号）", 20, 15),
    ("FW-XZ-012", "事实无人抚养儿童认定", _T, _AT_TOWNSHIP, Sector.CIVIL_AFFAIRS,
     "《民政部等12部门关于进一步加强事实无人抚养儿童保障工作的意见》（民发〔2019〕62号）", 20, 15),
    ("FW-XZ-013", "惠民殡葬补贴申领", _T, _AT_TOWNSHIP, Sector.CIVIL_AFFAIRS,
     "《殡葬管理条例》第三条；《河南省惠民殡葬政策实施办法》", 10, 5),
    ("FW-XZ-014", "计划生育家庭特别扶助金申请", _T, _AT_TOWNSHIP, Sector.HEALTH,
     "《中华人民共和国人口与计划生育法》第三十一条", 20, 15),
    ("FW-XZ-015", "法律援助申请受理", _T, _AT_TOWNSHIP, Sector.JUSTICE,
     "《中华人民共和国法律援助法》第三十八条、第四十三条", 7, 3),
    ("FW-XZ-016", "人民调解申请受理", _T, _AT_TOWNSHIP, Sector.JUSTICE,
     "《中华人民共和国人民调解法》第十七条、第二十八条", 30, 15),
    ("FW-XZ-017", "义务兵家庭优待金发放", _T, _AT_TOWNSHIP, Sector.VETERANS,
     "《军人抚恤优待条例》第四十三条", 20, 10),
    ("FW-XZ-018", "城乡居民基本养老保险关系转移接续", _T, _AT_TOWNSHIP, Sector.HUMAN_RESOURCES,
     "《城乡养老保险制度衔接暂行办法》（人社部发〔2014〕17号）", 15, 10),
    # --- village convenience terminals ("家门口的政务服务大厅") ---
    ("FW-CJ-001", "城乡居民基本养老保险参保登记", _V, _AT_VILLAGE, Sector.HUMAN_RESOURCES,
     "《国务院关于建立统一的城乡居民基本养老保险制度的意见》（国发〔2014〕8号）", 5, 1),
    ("FW-CJ-002", "城乡居民基本养老保险待遇领取申请", _V, _VILLAGE_TO_TOWNSHIP, Sector.HUMAN_RESOURCES,
     "《国务院关于建立统一的城乡居民基本养老保险制度的意见》（国发〔2014〕8号）", 20, 10),
    ("FW-CJ-003", "城乡居民基本医疗保险参保登记", _V, _AT_VILLAGE, Sector.MEDICAL_SECURITY,
     "《中华人民共和国社会保险法》第二十五条", 5, 1),
    ("FW-CJ-004", "城乡居民医保门诊慢特病待遇认定申请", _V, _VILLAGE_TO_TOWNSHIP, Sector.MEDICAL_SECURITY,
     "《医疗保障基金使用监督管理条例》；《河南省城乡居民基本医疗保险门诊慢特病管理办法》", 15, 10),
    ("FW-CJ-005", "医疗救助申请", _V, _VILLAGE_TO_TOWNSHIP, Sector.MEDICAL_SECURITY,
     "《社会救助暂行办法》第二十八条、第三十条", 20, 10),
    ("FW-CJ-006", "最低生活保障申请", _V, _VILLAGE_TO_TOWNSHIP, Sector.CIVIL_AFFAIRS,
     "《社会救助暂行办法》第十一条", 30, 20),
    ("FW-CJ-007", "特困人员救助供养申请", _V, _VILLAGE_TO_TOWNSHIP, Sector.CIVIL_AFFAIRS,
     "《社会救助暂行办法》第十四条至第十六条", 20, 15),
    ("FW-CJ-008", "临时救助申请", _V, _VILLAGE_TO_TOWNSHIP, Sector.CIVIL_AFFAIRS,
     "《社会救助暂行办法》第四十七条、第四十八条", 15, 5),
    ("FW-CJ-009", "残疾人两项补贴申请（困难残疾人生活补贴和重度残疾人护理补贴）", _V, _VILLAGE_TO_TOWNSHIP,
     Sector.CIVIL_AFFAIRS,
     "《国务院关于全面建立困难残疾人生活补贴和重度残疾人护理补贴制度的意见》（国发〔2015〕52号）", 20, 10),
    ("FW-CJ-010", "高龄津贴申请", _V, _VILLAGE_TO_TOWNSHIP, Sector.CIVIL_AFFAIRS,
     "《河南省老年人权益保障条例》第三十二条", 20, 10),
    ("FW-CJ-011", "老年人优待证办理", _V, _VILLAGE_TO_TOWNSHIP, Sector.HEALTH,
     "《中华人民共和国老年人权益保障法》第五十七条", 10, 5),
    ("FW-CJ-012", "生育登记", _V, _AT_VILLAGE, Sector.HEALTH,
     "《河南省人口与计划生育条例》第十八条", 3, 1),
    ("FW-CJ-013", "农村部分计划生育家庭奖励扶助资格确认", _V, _VILLAGE_TO_TOWNSHIP, Sector.HEALTH,
     "《全国农村部分计划生育家庭奖励扶助制度管理规范》（国人口发〔2006〕122号）", 20, 15),
    ("FW-CJ-014", "农村宅基地申请审批", _V, _VILLAGE_TO_TOWNSHIP, Sector.AGRICULTURE,
     "《中华人民共和国土地管理法》第六十二条；《农业农村部 自然资源部关于规范农村宅基地审批管理的通知》"
     "（农经发〔2019〕6号）", 20, 15),
    ("FW-CJ-015", "耕地地力保护补贴申报", _V, _VILLAGE_TO_TOWNSHIP, Sector.AGRICULTURE,
     "《财政部 农业部关于全面推开农业“三项补贴”改革工作的通知》（财农〔2016〕26号）", 15, 10),
    ("FW-CJ-016", "农村低收入群体等重点对象危房改造申请", _V, _VILLAGE_TO_TOWNSHIP, Sector.HOUSING_CONSTRUCTION,
     "《关于做好农村低收入群体等重点对象住房安全保障工作的实施意见》（建村〔2021〕35号）", 20, 15),
    ("FW-CJ-017", "退役军人优待证申领", _V, _VILLAGE_TO_TOWNSHIP, Sector.VETERANS,
     "《中华人民共和国退役军人保障法》第六十三条", 20, 10),
]
# fmt: on

FIRST_BATCH = datetime.date(2024, 1, 1)  # 清河县赋予乡镇（街道）县级行政执法权事项目录（第一批）
SECOND_BATCH = datetime.date(2026, 1, 1)  # 目录（第二批）及动态调整

# code, name, category, source sector, legal basis, in force from, withdrawn after (or None)
# A table, one catalogue row per entry as the published lists print them: not reformatted.
# fmt: off
ENFORCEMENT_ITEMS = [
    ("ZF-2024-001", "对农村村民未经批准或者采取欺骗手段骗取批准，非法占用土地建住宅的行政处罚",
     EnforcementCategory.PENALTY, Sector.AGRICULTURE, "《中华人民共和国土地管理法》第七十八条", FIRST_BATCH, None),
    ("ZF-2024-002", "对在乡、村庄规划区内未依法取得乡村建设规划许可证或者未按照许可证规定进行建设的行政处罚",
     EnforcementCategory.PENALTY, Sector.NATURAL_RESOURCES, "《中华人民共和国城乡规划法》第六十五条", FIRST_BATCH,
     None),
    ("ZF-2024-003", "对逾期不改正的乡村违法建设的拆除",
     EnforcementCategory.COMPULSORY_MEASURE, Sector.NATURAL_RESOURCES, "《中华人民共和国城乡规划法》第六十五条",
     FIRST_BATCH, None),
    ("ZF-2024-004", "对非法占用耕地挖砂、采石、取土等破坏种植条件的行政处罚",
     EnforcementCategory.PENALTY, Sector.NATURAL_RESOURCES, "《中华人民共和国土地管理法》第七十五条", FIRST_BATCH,
     None),
    ("ZF-2024-005", "对违反规定露天焚烧秸秆、落叶等产生烟尘污染的物质的行政处罚",
     EnforcementCategory.PENALTY, Sector.ECOLOGY_ENVIRONMENT, "《中华人民共和国大气污染防治法》第一百一十九条第一款",
     FIRST_BATCH, None),
    ("ZF-2024-006",
     "对在人口集中地区焚烧沥青、油毡、橡胶、塑料、皮革、垃圾等产生有毒有害烟尘和恶臭气体的物质的行政处罚",
     EnforcementCategory.PENALTY, Sector.ECOLOGY_ENVIRONMENT, "《中华人民共和国大气污染防治法》第一百一十九条第二款",
     FIRST_BATCH, None),
    ("ZF-2024-007", "对在居民住宅区等人口密集区域露天烧烤食品或者为露天烧烤食品提供场地的行政处罚",
     EnforcementCategory.PENALTY, Sector.URBAN_MANAGEMENT, "《中华人民共和国大气污染防治法》第一百一十八条第三款",
     FIRST_BATCH, None),
    ("ZF-2024-008", "对随意倾倒、抛撒、堆放或者焚烧生活垃圾的行政处罚",
     EnforcementCategory.PENALTY, Sector.URBAN_MANAGEMENT,
     "《中华人民共和国固体废物污染环境防治法》第一百一十一条第一款第一项", FIRST_BATCH, None),
    ("ZF-2024-009", "对擅自占用、挖掘城镇道路的行政处罚",
     EnforcementCategory.PENALTY, Sector.URBAN_MANAGEMENT, "《城市道路管理条例》第四十二条", FIRST_BATCH,
     datetime.date(2025, 6, 30)),
    ("ZF-2024-010", "对未经批准擅自设置大型户外广告的行政处罚",
     EnforcementCategory.PENALTY, Sector.URBAN_MANAGEMENT, "《城市市容和环境卫生管理条例》第三十六条", FIRST_BATCH,
     datetime.date(2025, 12, 31)),
    ("ZF-2024-011", "对在河道管理范围内建设妨碍行洪的建筑物、构筑物的行政处罚",
     EnforcementCategory.PENALTY, Sector.WATER, "《中华人民共和国防洪法》第五十五条", FIRST_BATCH, None),
    ("ZF-2024-012", "对逾期不清除河道阻水障碍物的强行清除",
     EnforcementCategory.COMPULSORY_MEASURE, Sector.WATER, "《中华人民共和国河道管理条例》第三十六条", FIRST_BATCH,
     None),
    ("ZF-2024-013", "对未取得采伐许可证或者违反采伐许可证规定采伐林木的行政处罚",
     EnforcementCategory.PENALTY, Sector.FORESTRY, "《中华人民共和国森林法》第七十六条", FIRST_BATCH, None),
    ("ZF-2024-014", "对未经审核同意擅自改变林地用途的行政处罚",
     EnforcementCategory.PENALTY, Sector.FORESTRY, "《中华人民共和国森林法》第七十三条", FIRST_BATCH, None),
    ("ZF-2024-015", "对在禁止燃放的时间、地点燃放烟花爆竹的行政处罚",
     EnforcementCategory.PENALTY, Sector.PUBLIC_SECURITY, "《烟花爆竹安全管理条例》第四十二条第二款", FIRST_BATCH,
     None),
    ("ZF-2024-016", "对本行政区域内生产经营单位安全生产状况的监督检查",
     EnforcementCategory.INSPECTION, Sector.EMERGENCY, "《中华人民共和国安全生产法》第九条第二款", FIRST_BATCH, None),
    ("ZF-2024-017", "对食品摊贩未按规定登记或者超出登记范围经营的行政处罚",
     EnforcementCategory.PENALTY, Sector.MARKET_REGULATION,
     "《河南省食品小作坊、小经营店和食品摊贩管理条例》第四十四条", FIRST_BATCH, None),
    ("ZF-2024-018", "农村村民住宅建设开工前丈量批放、施工中巡查、竣工后核查（“三到场”）",
     EnforcementCategory.OTHER, Sector.AGRICULTURE,
     "《农业农村部 自然资源部关于规范农村宅基地审批管理的通知》（农经发〔2019〕6号）", FIRST_BATCH, None),
    ("ZF-2026-001", "对城镇燃气经营者和燃气用户安全用气的监督检查",
     EnforcementCategory.INSPECTION, Sector.HOUSING_CONSTRUCTION, "《城镇燃气管理条例》第五条、第四十一条",
     SECOND_BATCH, None),
    ("ZF-2026-002", "对用于违法生产经营的食品、食品原料、工具、设备的查封、扣押",
     EnforcementCategory.COMPULSORY_MEASURE, Sector.MARKET_REGULATION, "《中华人民共和国食品安全法》第一百一十条",
     SECOND_BATCH, None),
]
# fmt: on

WITHDRAWAL_REASON = "县政府清单动态调整：该事项收回县直部门行使"

# Deadline profiles in working days (accept, first feedback, resolve, close); "13710" for normal matters.
_NORMAL = (1, 3, 7, 10)
_URGENT = (1, 2, 5, 7)
_CRITICAL = (1, 1, 2, 3)

# code, name, lead sector, co-handling sectors, township's part, workflow, resources, {priority: profile}
# A table, one catalogue row per entry as the published lists print them: not reformatted.
# fmt: off
COORDINATION_ITEMS = [
    ("XT-001", "农村人居环境整治", Sector.AGRICULTURE,
     [Sector.HOUSING_CONSTRUCTION, Sector.ECOLOGY_ENVIRONMENT, Sector.HEALTH],
     "组织村“两委”开展日常保洁和“三清一改”，督促落实门前“三包”，发现垃圾、污水、厕所问题台账管理、限期整改；"
     "超出乡镇能力的（垃圾中转、污水管网等）提请县直部门解决。",
     "1. 村级网格员日常巡查并上报\n2. 乡镇人居环境办核实、建立台账\n3. 乡镇能解决的限期整改\n"
     "4. 需县直部门解决的“吹哨”提请\n5. 部门报到、制定方案、组织整改\n6. 乡镇验收评价、销号",
     "每村保洁员按人口千分之三配备；县财政按每人每年20元安排运维经费", {}),
    ("XT-002", "违法占地建房巡查处置", Sector.NATURAL_RESOURCES, [Sector.AGRICULTURE, Sector.PUBLIC_SECURITY],
     "落实田长制网格巡查，发现违法占地、违法建房第一时间制止、拍照取证、下达停工通知并上报；配合部门立案查处和拆除复耕。",
     "1. 网格员巡查发现\n2. 乡镇执法队到场制止、取证\n3. 当日上报并“吹哨”\n4. 自然资源、农业农村部门报到、立案\n"
     "5. 依法处置（责令退还、拆除、复耕）\n6. 乡镇复核评价、销号",
     "乡镇综合行政执法队不少于8人；自然资源所派驻2人；县财政安排巡查、拆除专项经费",
     {CasePriority.URGENT: _URGENT}),
    ("XT-003", "秸秆禁烧", Sector.ECOLOGY_ENVIRONMENT, [Sector.AGRICULTURE, Sector.EMERGENCY],
     "夏秋两季实行乡包村、村包组、组包地块责任制，设置巡查点位，发现火点立即扑灭并上报；组织秸秆还田和离田利用。",
     "1. 卫星遥感或巡查发现火点\n2. 乡镇应急队伍到场扑灭\n3. 上报火点信息并“吹哨”\n4. 生态环境部门报到、核查认定\n"
     "5. 依法处罚、追责问责\n6. 乡镇反馈评价、销号",
     "三夏、三秋期间每村不少于2个巡查点位；县财政安排秸秆综合利用补贴",
     {CasePriority.URGENT: _URGENT, CasePriority.CRITICAL: _CRITICAL}),
    ("XT-004", "河道“清四乱”", Sector.WATER, [Sector.NATURAL_RESOURCES, Sector.ECOLOGY_ENVIRONMENT, Sector.AGRICULTURE],
     "落实乡级河长巡河制度，发现乱占、乱采、乱堆、乱建问题登记上报，组织村级河长和保洁员清理一般性堆放。",
     "1. 乡、村两级河长巡河\n2. 问题登记、拍照上报\n3. 一般问题乡镇自行清理\n4. 乱采、乱建等问题“吹哨”\n"
     "5. 水利部门报到、会同相关部门依法处置\n6. 乡镇复核评价、销号",
     "每条河道落实乡级河长1名、村级河长和河道保洁员；县财政按河道长度安排保洁经费",
     {CasePriority.URGENT: _URGENT}),
    ("XT-005", "燃气安全隐患排查整治", Sector.HOUSING_CONSTRUCTION,
     [Sector.EMERGENCY, Sector.MARKET_REGULATION, Sector.PUBLIC_SECURITY],
     "组织对辖区餐饮场所、居民用户开展入户排查，发现私接乱改、使用不合格“瓶阀管”等隐患督促整改，重大隐患立即上报。",
     "1. 乡镇组织网格员和燃气企业入户排查\n2. 建立隐患台账\n3. 一般隐患督促当场整改\n4. 重大隐患立即“吹哨”\n"
     "5. 住建部门报到、会同应急和市场监管部门处置\n6. 乡镇复查评价、销号",
     "乡镇安全生产专干不少于2人；县财政安排燃气报警器安装补贴",
     {CasePriority.URGENT: _URGENT, CasePriority.CRITICAL: _CRITICAL}),
    ("XT-006", "食品安全协管", Sector.MARKET_REGULATION, [Sector.HEALTH, Sector.AGRICULTURE],
     "落实村级食品安全协管员制度，开展农村集体聚餐报备和指导，巡查食品摊贩、小作坊，发现问题及时上报。",
     "1. 协管员巡查、聚餐报备\n2. 发现问题登记上报\n3. 乡镇食安办初步核实\n4. 需执法的“吹哨”\n"
     "5. 市场监管部门报到、依法查处\n6. 乡镇回访评价、销号",
     "每村配备食品安全协管员1名；县财政按每人每月200元安排补助",
     {CasePriority.URGENT: _URGENT}),
    ("XT-007", "防汛抗旱", Sector.EMERGENCY,
     [Sector.WATER, Sector.NATURAL_RESOURCES, Sector.HOUSING_CONSTRUCTION, Sector.TRANSPORT],
     "汛前排查山洪、地质灾害、危房和低洼易涝隐患点，落实“三个责任人”；汛期值班值守、预警转移群众，旱情时组织抗旱浇灌。",
     "1. 汛前隐患排查、建立台账\n2. 预警信息接收和“叫应”\n3. 险情发生立即上报并“吹哨”\n"
     "4. 应急管理部门报到、统筹水利等部门抢险\n5. 群众转移安置、灾后核查\n6. 乡镇评价、销号",
     "乡镇组建不少于30人的应急抢险队伍；县财政安排防汛物资储备经费",
     {CasePriority.URGENT: (1, 1, 3, 5), CasePriority.CRITICAL: _CRITICAL}),
    ("XT-008", "农村公路路域环境整治", Sector.TRANSPORT, [Sector.PUBLIC_SECURITY, Sector.HOUSING_CONSTRUCTION],
     "落实路长制，巡查农村公路占道堆放、打场晒粮、违规设置接坡等问题，组织清理并上报路面损毁。",
     "1. 乡、村级路长巡查\n2. 一般问题乡镇组织清理\n3. 路面损毁、安全隐患“吹哨”\n"
     "4. 交通运输部门报到、组织养护维修\n5. 涉交通违法的交警部门处置\n6. 乡镇评价、销号",
     "每村配备公路管护员；县财政按农村公路里程安排养护资金", {}),
    ("XT-009", "矛盾纠纷排查化解", Sector.JUSTICE, [Sector.SOCIAL_GOVERNANCE, Sector.PUBLIC_SECURITY],
     "坚持和发展新时代“枫桥经验”，村级每周、乡级每半月排查一次，能调尽调；调解不成的引导诉讼、仲裁或提请县级化解。",
     "1. 网格员、调解员排查\n2. 登记建档、分级分类\n3. 乡镇综治中心组织调解\n4. 疑难复杂纠纷“吹哨”\n"
     "5. 司法行政部门报到，会同相关部门联合化解\n6. 回访评价、销号",
     "乡镇社会治理综合中心常驻人员不少于5人；每村1名专职人民调解员", {}),
    ("XT-010", "“九小场所”安全隐患排查", Sector.EMERGENCY,
     [Sector.MARKET_REGULATION, Sector.HOUSING_CONSTRUCTION, Sector.PUBLIC_SECURITY],
     "对小商店、小餐饮、小旅馆、小作坊等“九小场所”开展消防和用电安全检查，督促整改一般隐患，重大隐患上报。",
     "1. 网格员日常检查\n2. 乡镇安监站复查\n3. 一般隐患限期整改\n4. 重大隐患“吹哨”\n"
     "5. 应急管理部门报到、会同相关部门依法处置\n6. 乡镇复查评价、销号",
     "乡镇安监站不少于3人；县财政安排“九小场所”简易喷淋、烟感设施补贴",
     {CasePriority.URGENT: _URGENT}),
    ("XT-011", "根治拖欠农民工工资", Sector.HUMAN_RESOURCES,
     [Sector.HOUSING_CONSTRUCTION, Sector.TRANSPORT, Sector.WATER, Sector.PUBLIC_SECURITY],
     "受理辖区农民工欠薪投诉，摸清在建项目用工和工资支付情况，先行协调；涉及项目主管部门或恶意欠薪的及时上报。",
     "1. 乡镇受理投诉、登记\n2. 核实用工和欠薪情况\n3. 乡镇先行协调\n4. 协调不成“吹哨”\n"
     "5. 人社部门报到，会同行业主管部门督促清偿；涉嫌犯罪的移送公安\n6. 回访评价、销号",
     "乡镇劳动保障所不少于2人；县级设立工资保证金和应急周转金",
     {CasePriority.URGENT: _URGENT}),
    ("XT-012", "防止返贫动态监测和帮扶", Sector.AGRICULTURE,
     [Sector.CIVIL_AFFAIRS, Sector.HEALTH, Sector.HUMAN_RESOURCES, Sector.HOUSING_CONSTRUCTION],
     "开展农户信息采集和入户走访，发现因病、因灾、因意外事故等返贫致贫风险及时纳入监测，落实针对性帮扶措施。",
     "1. 农户申报、干部排查、部门筛查预警\n2. 乡镇入户核实\n3. 村级评议、乡镇审核\n4. 需部门政策支持的“吹哨”\n"
     "5. 相关部门报到、落实帮扶政策\n6. 风险消除评价、销号",
     "每村明确1名帮扶联络员；县财政衔接推进乡村振兴补助资金统筹安排", {}),
    ("XT-013", "重大动物疫病防控", Sector.AGRICULTURE,
     [Sector.MARKET_REGULATION, Sector.HEALTH, Sector.PUBLIC_SECURITY],
     "组织春秋两季集中免疫，做好养殖场户排查登记，发现畜禽异常死亡立即报告并落实隔离、封锁等先期处置。",
     "1. 村级防疫员巡查、报告\n2. 乡镇畜牧兽医站初步核查\n3. 疑似疫情立即“吹哨”\n"
     "4. 农业农村部门报到、采样诊断\n5. 封锁、扑杀、无害化处理和流通环节管控\n6. 解除封锁后评价、销号",
     "每村配备村级防疫员1名；县财政安排强制免疫和无害化处理补助",
     {CasePriority.CRITICAL: _CRITICAL}),
    ("XT-014", "耕地“非农化”“非粮化”整治", Sector.NATURAL_RESOURCES, [Sector.AGRICULTURE, Sector.WATER],
     "落实田长制，对照卫片图斑逐一核查，发现占用耕地挖塘养鱼、植树造林、建设非农设施等问题及时制止和上报。",
     "1. 卫片下发或巡查发现\n2. 乡镇逐一实地核查、举证\n3. 违法问题“吹哨”\n4. 自然资源部门报到、立案查处\n"
     "5. 组织复耕复种、整改到位\n6. 乡镇核查评价、销号",
     "乡镇田长制办公室不少于3人；县财政安排复耕补助", {}),
    ("XT-015", "文物安全巡查", Sector.CULTURE_TOURISM, [Sector.PUBLIC_SECURITY, Sector.NATURAL_RESOURCES],
     "落实文物保护单位乡镇、村两级安全责任，聘请文物保护员定期巡查，发现盗掘、破坏迹象立即报告并保护现场。",
     "1. 文物保护员定期巡查\n2. 发现险情或违法行为立即上报\n3. 乡镇先期保护现场并“吹哨”\n"
     "4. 文物主管部门报到、会同公安机关处置\n5. 组织抢险加固或依法查处\n6. 乡镇评价、销号",
     "每处不可移动文物落实1名文物保护员；县财政安排巡查补助",
     {CasePriority.URGENT: _URGENT}),
    ("XT-016", "“散乱污”企业排查整治", Sector.ECOLOGY_ENVIRONMENT,
     [Sector.INDUSTRY_IT, Sector.MARKET_REGULATION, Sector.NATURAL_RESOURCES],
     "对辖区小作坊、小加工点开展拉网排查，建立清单，配合断水断电、清除原料和设备，防止反弹。",
     "1. 乡镇拉网排查、建立清单\n2. 分类提出整治意见\n3. 需关停取缔或升级改造的“吹哨”\n"
     "4. 生态环境部门报到、会同相关部门依法处置\n5. 乡镇持续巡查防反弹\n6. 评价、销号",
     "乡镇环保专干不少于2人；县财政安排整治专项经费", {}),
]
# fmt: on


def load_catalogues() -> None:
    """Create the demo catalogue items that do not exist yet (found by code)."""
    _load_service_items()
    _load_enforcement_items()
    _load_coordination_items()


def _load_service_items() -> None:
    existing = set(ServiceItem.objects.values_list("code", flat=True))
    for code, name, level, mode, sector, basis, statutory, promised in SERVICE_ITEMS:
        if code in existing:
            continue
        item = ServiceItem(
            code=code,
            name=name,
            level=level,
            handling_mode=mode,
            sector=sector,
            legal_basis=basis,
            statutory_limit_days=statutory,
            promised_limit_days=promised,
        )
        item.full_clean()
        item.save()


def _load_enforcement_items() -> None:
    existing = set(EnforcementItem.objects.values_list("code", flat=True))
    for code, name, category, sector, basis, effective_from, withdrawn_after in ENFORCEMENT_ITEMS:
        if code in existing:
            continue
        item = EnforcementItem(
            code=code,
            name=name,
            category=category,
            source_sector=sector,
            legal_basis=basis,
            effective_from=effective_from,
        )
        item.full_clean()
        item.save()
        if withdrawn_after is not None:
            # Withdrawn later, as its own change, so the history shows the list being adjusted.
            item.effective_to = withdrawn_after
            item._change_reason = WITHDRAWAL_REASON
            item.full_clean()
            item.save()


def _load_coordination_items() -> None:
    existing = set(CoordinationItem.objects.values_list("code", flat=True))
    for code, name, lead, co_sectors, township_role, workflow, resources, profiles in COORDINATION_ITEMS:
        if code in existing:
            continue
        item = CoordinationItem(
            code=code,
            name=name,
            lead_sector=lead,
            co_sectors=[str(sector) for sector in co_sectors],
            township_role=township_role,
            workflow=workflow,
            resources=resources,
        )
        item.full_clean()
        item.save()
        for priority, days in {CasePriority.NORMAL: _NORMAL, **profiles}.items():
            row = CoordinationDeadline(item=item, priority=priority)
            row.accept_days, row.feedback_days, row.resolve_days, row.close_days = days
            row.full_clean()
            row.save()
