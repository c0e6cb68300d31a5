"""Plan milestones, the 60 key tasks, and the county seat quotas of the demonstration data.

* ``tasks``: the qualitative items of the plan (party building, ideology,
  safety, canteens, …) as milestones for every county, plus the year's 60 key
  tasks (重点工作, item 34), each owned by one county or by the city. Progress
  is as of the end of September 2022, the data's snapshot month
  (``qyanalysis.demo.snapshot``): tasks due by then are mostly completed and
  the rest are overdue (``delayed``, or still ``in_progress`` past their due
  month); tasks due October–December are not yet due (mostly in progress,
  some not started, a few completed early). Rural counties fall behind more
  often.
* ``targets_override``: each county's quota of the three item-6 seat targets
  (the 2022 责任书), summing to the city targets.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd

from qyanalysis.demo.inputs import seat_quotas
from qyanalysis.demo.snapshot import AS_OF_MONTH, AS_OF_YEAR
QUOTA_SOURCE = "synthetic demo: responsibility letter quota"
N_KEY_TASKS = 60
CITY_KEY_TASK_SHARE = 0.15

_MILESTONES = """
id|item|due|title_zh|title_en
M01a|1|6|理论学习中心组学习制度化、规范化建设|Institutionalise the theory-study group sessions
M01b|1|12|党的二十大精神纳入党员干部教育培训|Put the 20th Party Congress into cadre training
M02a|2|5|出台基层党组织建设三年行动重点任务清单|Issue the three-year Party-branch task list
M02b|2|10|民办学校党建“达标创优”|Party building in private schools up to standard
M03a|3|12|意识形态工作每月例会制度|Monthly ideology-work meetings
M03b|3|6|修订网络舆情应急处置预案|Revise the online-opinion response plan
M04a|4|9|节日廉情提醒与教育收费专项检查|Integrity reminders and school-fee inspection
M05a|5|3|签订推动基础教育高质量发展责任书|Sign the basic-education responsibility letter
M09a|9|11|开展普通高中办学质量评价|Evaluate senior-high school quality
M11a|11|8|优化中职学校专业设置|Optimise vocational-school programmes
M12a|12|11|文明校园创建|Model civilised campuses
M16a|16|9|开齐开足心理健康课并培训心理教师|Mental-health lessons and counsellor training
M18a|18|8|健全课后服务经费保障机制|Funding mechanism for after-school services
M21a|21|5|组织理化生实验操作考试|Science practical examinations
M22a|22|7|出台教育信息化行动计划(2022-2025)|Issue the education ICT action plan 2022–2025
M23a|23|9|推广普通话宣传周|Putonghua promotion week
M24a|24|10|师德师风专项整治|Teacher-ethics campaign
M26a|26|8|“县管校聘”岗位核定与竞聘上岗|County-managed teacher posts and competitive hiring
M28a|28|12|县级教师发展中心体系建设|County teacher-development centre
M31a|31|10|民办学校综合信息监管系统上线|Private-school supervision system online
M32a|32|12|“八五”普法工作|Eighth five-year legal-education programme
M33a|33|6|责任督学挂牌督导全覆盖|Named inspectors for every school
M36a|36|4|校园安全隐患排查建立台账|School-safety hazard register
M36b|36|7|防溺水专项宣传教育|Drowning-prevention campaign
M37a|37|9|“互联网+明厨亮灶”覆盖学校食堂|Internet-monitored open kitchens in school canteens
M37b|37|12|推进“通槽式”厕所改造|Replace trough toilets
"""
MILESTONES = pd.read_csv(io.StringIO(_MILESTONES), sep="|")

_KEY_THEMES = """
item|title_zh|title_en
6|新建扩建公办幼儿园|Build or extend public kindergartens
6|新建扩建义务教育学校|Build or extend compulsory schools
6|普通高中扩容工程|Expand senior-high capacity
7|附设幼儿班规范化改造|Standardise attached kindergarten classes
8|农村寄宿制学校建设|Rural boarding schools
8|“薄改”项目|Upgrade weak schools
8|专门学校建设|Build the special-purpose school
10|普通学校资源教室建设|Resource rooms in regular schools
11|高水平中职学校建设|High-level vocational schools
13|体育特色学校创建|Sports feature schools
14|全科美育基地学校建设|All-subject arts base schools
15|劳动教育特色学校创建|Labour-education feature schools
19|组建城乡教育共同体|Urban-rural education communities
25|后备校长人才库建设|Reserve pool of principals
27|规范临聘教师管理|Regulate temporary teachers
"""
KEY_THEMES = pd.read_csv(io.StringIO(_KEY_THEMES), sep="|")
EVIDENCE = {"completed": "验收材料(演示)", "in_progress": "推进台账(演示)", "delayed": "情况说明(演示)",
            "not_started": "", "cancelled": "调整说明(演示)"}


def _status(due_month: np.ndarray, rural: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Progress at the snapshot month from the due month, the county's rurality and a uniform draw.

    Due before the snapshot month: delayed with probability 0.03 + 0.1·rural,
    in progress (overdue) 0.08, completed otherwise. Due in the snapshot
    month: delayed 0.03 + 0.1·rural, completed up to 0.6, in progress
    otherwise. Due later: completed early 0.1, in progress 0.6, not started 0.3.
    """
    delayed = 0.03 + 0.1 * rural
    past = due_month < AS_OF_MONTH
    now = due_month == AS_OF_MONTH
    return np.select(
        [past & (u < delayed), past & (u < delayed + 0.08), past,
         now & (u < delayed), now & (u < 0.6), now,
         u < 0.1, u < 0.7],
        ["delayed", "in_progress", "completed",
         "delayed", "completed", "in_progress",
         "completed", "in_progress"],
        "not_started",
    )


def _task_frame(task_id, item, county, title_zh, title_en, is_key, due_month, status) -> pd.DataFrame:
    return pd.DataFrame({
        "task_id": task_id, "item": np.asarray(item, dtype=np.int64), "county": county, "year": AS_OF_YEAR,
        "title_zh": title_zh, "title_en": title_en, "is_key_task": is_key,
        "due": pd.Series(np.asarray(due_month)).map(lambda m: f"{AS_OF_YEAR}-{m:02d}").to_numpy(),
        "status": status, "evidence": pd.Series(status).map(EVIDENCE).to_numpy(),
    })


def build_tasks(profiles: pd.DataFrame, city_code: str, rng: np.random.Generator) -> pd.DataFrame:
    """Milestones × county and the 60 key tasks, sorted by ``task_id`` and ``county``.

    Args:
        profiles: County profiles (``county_code``, ``short_zh``, ``rural``).
        city_code: Code of the city; about 15 % of the key tasks are the city's own.
        rng: The tasks' random generator.
    """
    n_counties, n_milestones = len(profiles), len(MILESTONES)
    county = np.tile(np.arange(n_counties), n_milestones)
    milestone = np.repeat(np.arange(n_milestones), n_counties)
    due = MILESTONES["due"].to_numpy()[milestone]
    rural = profiles["rural"].to_numpy()
    milestones = _task_frame(
        MILESTONES["id"].to_numpy()[milestone], MILESTONES["item"].to_numpy()[milestone],
        profiles["county_code"].to_numpy()[county], MILESTONES["title_zh"].to_numpy()[milestone],
        MILESTONES["title_en"].to_numpy()[milestone], False, due,
        _status(due, rural[county], rng.random(len(county))))

    theme = np.arange(N_KEY_TASKS) % len(KEY_THEMES)
    owner = rng.integers(0, n_counties, N_KEY_TASKS)
    owned_by_city = rng.random(N_KEY_TASKS) < CITY_KEY_TASK_SHARE
    # the first tasks go to distinct counties, so that every county owns at least one
    owner[:min(n_counties, N_KEY_TASKS)] = rng.permutation(n_counties)[:N_KEY_TASKS]
    owned_by_city[:min(n_counties, N_KEY_TASKS)] = False
    codes = np.where(owned_by_city, city_code, profiles["county_code"].to_numpy()[owner])
    place = np.where(owned_by_city, "全市", profiles["short_zh"].to_numpy()[owner])
    key_due = 3 + np.arange(N_KEY_TASKS) % 10
    key_rural = np.where(owned_by_city, 0.3, rural[owner])
    key = _task_frame(
        pd.Series(np.arange(1, N_KEY_TASKS + 1)).map(lambda i: f"K{i:02d}").to_numpy(),
        KEY_THEMES["item"].to_numpy()[theme], codes,
        KEY_THEMES["title_zh"].to_numpy()[theme] + "(" + place + ")",
        KEY_THEMES["title_en"].to_numpy()[theme], True, key_due,
        _status(key_due, key_rural, rng.random(N_KEY_TASKS)))
    tasks = pd.concat([milestones, key], ignore_index=True)
    return tasks.sort_values(["task_id", "county"], kind="stable").reset_index(drop=True)


def build_targets_override(profiles: pd.DataFrame) -> pd.DataFrame:
    """County quotas of ``t06_new_public_seats_*`` (threshold, ``>=``), summing to the city targets."""
    frames = [
        pd.DataFrame({"target_id": f"t06_new_public_seats_{kind}",
                      "county": profiles["county_code"].to_numpy(),
                      "threshold": quota.astype(np.int64), "comparator": ">=", "source": QUOTA_SOURCE})
        for kind, quota in seat_quotas(profiles).items()
    ]
    return pd.concat(frames, ignore_index=True).sort_values(["target_id", "county"]).reset_index(drop=True)
