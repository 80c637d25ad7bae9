"""The monthly return 调度表: records of every kind with known counts around the
period boundary (the 24th counts, the 25th belongs to the next month), entered values
summed up the tree, signing, and scope."""
from qltest import (GENERAL_PLAN, MAJOR_PLAN, Server, World, assert_error, cli_ok, fresh_db,
                    hazard_body)

Q = "/api/v1/reports/dispatch?unit=%s&period=2026-03&since=2026-01-01"


def build():
    db = fresh_db()
    cli_ok("init", "--db", db)
    s = Server(db, now="2026-03-24T10:00:00Z").start()
    w = World(s, db)
    T = "/api/v1/hazards/%d/transitions"

    def major(c, ent, found, source="self"):
        r = c.post("/api/v1/hazards", hazard_body(ent, level="major", found_on=found, source=source))
        assert r.status == 201, r
        return r.json["id"]

    a = major(w.ea, w.ent_a, "2026-03-01")
    for c, body in ((w.ea, MAJOR_PLAN), (w.ea, {"action": "submit"}),
                    (w.ea, {"action": "accept", "acceptor": "张三"}),
                    (w.reg1, {"action": "verify"})):
        assert c.post(T % a, body).status == 200
    b = major(w.ea, w.ent_a, "2026-03-02")
    cc = major(w.reg1, w.ent_a, "2026-03-05", source="inspection")
    for c, body in ((w.ea, MAJOR_PLAN), (w.ea, {"action": "submit"}),
                    (w.reg1, {"action": "accept", "acceptor": "赵"}), (w.reg1, {"action": "verify"})):
        assert c.post(T % cc, body).status == 200, c.post(T % cc, body)
    major(w.ea, w.ent_a, "2025-12-31")                      # before since: not counted
    gen = w.ea.post("/api/v1/hazards", hazard_body(w.ent_a)).json["id"]   # general: not counted
    w.ea.post(T % gen, GENERAL_PLAN)
    assert w.county.post("/api/v1/hazards/%d/supervision" % b, {"deadline": "2026-06-30"}).status == 201

    def insp(c, ent, dept, date, spot=True, **flags):
        r = c.post("/api/v1/inspections", {"enterprise_id": ent, "department_id": dept, "date": date,
                                           "method": "four_no_two_direct", "inspectors": ["赵科长", "钱工"],
                                           "spot_check": spot, "flags": flags})
        assert r.status == 201, r

    insp(w.reg1, w.ent_a, w.dept1, "2026-03-10", leader_not_studied=True, no_drill=True)
    insp(w.reg1, w.ent_a, w.dept1, "2026-03-12", leader_not_studied=True)
    insp(w.reg1, w.ent_a, w.dept1, "2026-03-13", spot=False)
    insp(w.reg2, w.ent_b, w.dept2, "2026-03-24", uncertified_operators=True)

    def enf(c, dept, **body):
        body.setdefault("date", "2026-03-15")
        r = c.post("/api/v1/enforcement", dict(body, department_id=dept))
        assert r.status == 201, r

    enf(w.reg1, w.dept1, kind="assistance", enterprise_id=w.ent_a, key_enterprise=True)
    enf(w.reg2, w.dept2, kind="assistance", enterprise_id=w.ent_b)
    enf(w.reg1, w.dept1, kind="penalty", enterprise_id=w.ent_a, amount=12345.67)
    enf(w.reg2, w.dept2, kind="penalty", enterprise_id=w.ent_b, amount=10000)
    enf(w.reg1, w.dept1, kind="double_penalty", enterprise_id=w.ent_a, amount=500)
    enf(w.reg1, w.dept1, kind="judicial_transfer", enterprise_id=w.ent_a, persons=2)
    enf(w.reg2, w.dept2, kind="judicial_transfer", enterprise_id=w.ent_b, persons=3)
    enf(w.reg1, w.dept1, kind="suspension", enterprise_id=w.ent_a)
    enf(w.reg1, w.dept1, kind="suspension", enterprise_id=w.ent_a, date="2026-03-20")
    enf(w.reg2, w.dept2, kind="exposure", enterprise_id=w.ent_b)
    enf(w.reg1, w.dept1, kind="typical_case", enterprise_id=w.ent_a, dangerous_operation=True)
    enf(w.reg2, w.dept2, kind="typical_case", enterprise_id=w.ent_b)
    enf(w.county, w.dept1, kind="accountability", region_code="210323", persons=4)
    enf(w.county, w.dept1, kind="region_interview", region_code="210323100")

    def act(c, kind, date="2026-03-18", **where):
        r = c.post("/api/v1/activities", dict(where, kind=kind, date=date))
        assert r.status == 201, r

    act(w.county, "study_session", region_code="210323")
    act(w.county, "special_research", region_code="210323")
    act(w.reg1, "onsite_supervision", department_id=w.dept1)
    act(w.town1, "member_visit", region_code="210323100")
    act(w.county, "member_visit", region_code="210323")
    act(w.county, "assessment_inspection", region_code="210323")

    pub = s.client()
    codes = []
    for anon in (True, False, False):
        body = {"region_code": "210323100", "description": "仓库堆放大量烟花", "place": "岫岩镇某仓库",
                "anonymous": anon}
        if not anon:
            body["contact"] = "13900000000"
        r = pub.post("/api/v1/tips", body)
        assert r.status == 201, r
        codes.append(r.json["tracking_code"])
    tips = {t["tracking_code"]: t["id"] for t in w.county.get("/api/v1/tips").json["items"]}
    assert w.county.post("/api/v1/tips/%d/review" % tips[codes[0]],
                         {"result": "verified", "date": "2026-03-20", "reward": 500}).status == 200
    assert w.reg1.post("/api/v1/tips/%d/review" % tips[codes[1]],
                       {"result": "verified", "date": "2026-03-24", "reward": 1000}).status == 200
    assert w.county.post("/api/v1/tips/%d/review" % tips[codes[2]],
                         {"result": "rejected", "date": "2026-03-21", "reason": "经核查不属实"}).status == 200
    s.stop()

    # The next day: records of the 25th, and a supervised hazard closed too late.
    s = Server(db, now="2026-03-25T10:00:00Z").start()
    w.rebind(s)
    major(w.ea, w.ent_a, "2026-03-25")
    for c, body in ((w.ea, MAJOR_PLAN), (w.ea, {"action": "submit"}),
                    (w.ea, {"action": "accept", "acceptor": "张三"}), (w.reg1, {"action": "verify"})):
        assert c.post(T % b, body).status == 200
    insp(w.reg2, w.ent_b, w.dept2, "2026-03-25", no_safety_org=True)
    enf(w.reg1, w.dept1, kind="penalty", enterprise_id=w.ent_a, amount=99, date="2026-03-25")
    act(w.county, "study_session", date="2026-03-25", region_code="210323")
    return s, w


def test_every_value_of_the_county_return():
    s, w = build()
    try:
        r = w.county.get(Q % "region:210323")
        assert r.status == 200, r
        v = r.json["values"]
        items = r.json["items"]
        assert [i["key"] for i in items] == list(v.keys()) and len(items) == 35
        first = items[0]
        assert (first["section"], first["no"], first["label"], first["unit"]) == \
            (1, 1, "企业自查发现的重大事故隐患", "个")
        assert {i["type"] for i in items} == {"count", "amount", "bool"}
        want = {
            "self_major": 2, "self_major_closed": 1, "dept_major": 1, "dept_major_closed": 1,
            "supervised_major": 1, "supervised_major_closed": 0,
            "spot_checked": 2, "leader_not_studied": 1, "leader_no_inspection": 0,
            "no_duty_list": 0, "no_safety_org": 0, "uncertified_operators": 1,
            "outsourcing_chaos": 0, "no_drill": 1,
            "assistance": 2, "assistance_key": 1, "penalties": 2, "penalty_amount": 2.2346,
            "double_penalties": 1, "judicial_transfers": 5, "suspensions": 1, "exposed": 1,
            "typical_cases": 2, "dangerous_operation_cases": 1, "accountability": 4,
            "region_interviews": 1,
            "study_sessions": 1, "special_research": 1, "onsite_supervision": 0,
            "member_visits": 2, "tip_rewards": 0.15, "anonymous_tip_rewards": 0.05,
            "media_column": False, "tech_inspectors": 0, "assessment_inspections": 1,
        }
        assert len(v) == 35 and set(v) == set(want), sorted(set(v) ^ set(want))
        for key, value in want.items():
            assert v[key] == value, (key, v[key], value)
        assert r.json["as_of"] == "2026-03-24T23:59:59+08:00"
        assert r.json["sources"]["tech_inspectors"] == "entered"
        assert r.json["sources"]["penalties"] == "computed"
        # April's return counts what happened on the 25th.
        r = w.county.get(Q.replace("2026-03", "2026-04") % "region:210323").json["values"]
        assert r["self_major"] == 3 and r["supervised_major_closed"] == 1 and r["penalties"] == 3
        assert r["no_safety_org"] == 1 and r["study_sessions"] == 2
    finally:
        s.stop()


def test_department_return_counts_its_own_records():
    s, w = build()
    try:
        v = w.reg1.get(Q % ("department:%d" % w.dept1)).json["values"]
        assert v["self_major"] == 2 and v["dept_major"] == 1      # ent_a is supervised by dept1
        assert v["spot_checked"] == 1 and v["uncertified_operators"] == 0
        assert v["penalties"] == 1 and v["penalty_amount"] == 1.2346
        assert v["judicial_transfers"] == 2 and v["accountability"] == 4
        assert v["onsite_supervision"] == 1 and v["study_sessions"] == 0
        assert v["tip_rewards"] == 0.1                               # reviewed by reg1
        v2 = w.reg2.get(Q % ("department:%d" % w.dept2)).json["values"]
        assert v2["self_major"] == 0 and v2["penalties"] == 1 and v2["exposed"] == 1
    finally:
        s.stop()


def test_town_return_is_its_subtree():
    s, w = build()
    try:
        v = w.town1.get(Q % "region:210323100").json["values"]
        assert v["self_major"] == 2 and v["spot_checked"] == 1 and v["region_interviews"] == 1
        assert v["member_visits"] == 1 and v["accountability"] == 0 and v["tip_rewards"] == 0.15
    finally:
        s.stop()


def test_entered_values_sum_up_and_lock_when_signed():
    s, w = build()
    try:
        put = lambda c, unit, key, value: c.put("/api/v1/reports/dispatch/entries",
                                                {"unit": unit, "period": "2026-03", "key": key,
                                                 "value": value})
        assert put(w.town1, "region:210323100", "tech_inspectors", 3).status == 200
        assert put(w.reg1, "department:%d" % w.dept1, "tech_inspectors", 2).status == 200
        assert put(w.reg1, "department:%d" % w.dept1, "media_column", True).status == 200
        assert_error(put(w.town1, "region:210323", "tech_inspectors", 9), 404)   # not its scope
        assert_error(put(w.county, "region:210323100", "tech_inspectors", 9), 403)  # not its own
        assert_error(put(w.town1, "region:210323100", "penalties", 9), 422, field="key")
        assert_error(put(w.town1, "region:210323100", "tech_inspectors", "三"), 422, field="value")
        v = w.county.get(Q % "region:210323").json["values"]
        assert v["tech_inspectors"] == 5 and v["media_column"] is True, v
        r = w.town1.post("/api/v1/reports/dispatch/signature",
                         {"unit": "region:210323100", "period": "2026-03", "filler": "李干事",
                          "reviewer": "王镇长"})
        assert r.status == 200, r
        assert_error(put(w.town1, "region:210323100", "tech_inspectors", 4), 409)
        got = w.town1.get(Q % "region:210323100").json
        assert got["values"]["tech_inspectors"] == 3 and got["signature"]["filler"] == "李干事"
    finally:
        s.stop()


def test_return_scope_and_bad_parameters():
    s, w = build()
    try:
        assert_error(w.other_office.get(Q % "region:210323"), 404)
        assert_error(w.town1.get(Q % "region:210323"), 404)
        assert_error(w.reg1.get(Q % ("department:%d" % w.dept2)), 404)
        assert_error(w.ea.get(Q % "region:210323100"), 403)
        assert_error(w.sys.get(Q % "region:210323"), 403)
        assert_error(w.county.get("/api/v1/reports/dispatch?unit=region:210323&period=2026-13&since=2026-01-01"), 400,
                     field="period")
        assert_error(w.county.get("/api/v1/reports/dispatch?unit=region:210323&period=2026-03"), 400,
                     field="since")
        assert_error(w.county.get("/api/v1/reports/dispatch?unit=town:1&period=2026-03&since=2026-01-01"),
                     400, field="unit")
    finally:
        s.stop()


def test_tips_are_public_but_tracking_shows_status_only():
    db = fresh_db()
    cli_ok("init", "--db", db)
    with Server(db, now="2026-03-24T10:00:00Z") as s:
        w = World(s, db)
        pub = s.client()
        assert_error(pub.post("/api/v1/tips", {"region_code": "210323100", "description": "x",
                                               "place": "y"}), 422, field="contact")
        r = pub.post("/api/v1/tips", {"region_code": "210323100", "description": "无证焊接",
                                      "place": "某厂", "contact": "13900000000"})
        assert r.status == 201
        code = r.json["tracking_code"]
        t = pub.get("/api/v1/tips/track/" + code)
        assert t.status == 200 and t.json["status"] == "pending"
        assert "13900000000" not in t.body and "无证焊接" not in t.body
        assert_error(pub.get("/api/v1/tips/track/JB0000000000"), 404)
        assert w.other_office.get("/api/v1/tips").json["total"] == 0
        items = w.town1.get("/api/v1/tips").json["items"]
        assert len(items) == 1 and items[0]["contact"] == "13900000000"
        assert_error(w.other_office.post("/api/v1/tips/%d/review" % items[0]["id"],
                                         {"result": "verified", "date": "2026-03-24"}), 404)
        assert_error(w.ea.get("/api/v1/tips"), 403)
        for i in range(9):
            pub.post("/api/v1/tips", {"region_code": "210323100", "description": "重复",
                                      "place": "p", "anonymous": True})
        assert_error(pub.post("/api/v1/tips", {"region_code": "210323100", "description": "又一条",
                                               "place": "p", "anonymous": True}), 429)


def test_record_validation_changes_nothing():
    db = fresh_db()
    cli_ok("init", "--db", db)
    with Server(db, now="2026-03-24T10:00:00Z") as s:
        w = World(s, db)
        base = {"enterprise_id": w.ent_a, "department_id": w.dept1, "date": "2026-03-10",
                "method": "routine", "inspectors": ["赵"]}
        for over, field in ((dict(inspectors=[]), "inspectors"), (dict(method="x"), "method"),
                            (dict(date="2026-03-32"), "date"), (dict(date="2026-04-01"), "date"),
                            (dict(flags={"no_drill": True}), "flags")):
            assert_error(w.reg1.post("/api/v1/inspections", dict(base, **over)), 422, field=field)
        assert_error(w.reg1.post("/api/v1/inspections", dict(base, department_id=w.dept2)), 403)
        assert_error(w.reg2.post("/api/v1/inspections", dict(base, department_id=w.dept2)), 403)
        assert_error(w.reg1.post("/api/v1/enforcement", {"kind": "penalty", "date": "2026-03-10",
                                                         "department_id": w.dept1,
                                                         "enterprise_id": w.ent_a}), 422,
                     field="amount")
        assert_error(w.reg1.post("/api/v1/enforcement", {"kind": "fine", "date": "2026-03-10",
                                                         "department_id": w.dept1}), 422, field="kind")
        v = w.county.get(Q % "region:210323").json["values"]
        assert v["spot_checked"] == 0 and v["penalties"] == 0


def test_xlsx_in_the_form_layout_and_cli_report_agree():
    import io
    import json
    import re
    import zipfile
    from qltest import cli, tmp_path
    s, w = build()
    try:
        api = w.county.get(Q % "region:210323").json
        r = w.county.get(Q % "region:210323" + "&format=xlsx")
        assert r.status == 200 and "spreadsheetml" in r.header("Content-Type"), r
        z = zipfile.ZipFile(io.BytesIO(r.raw))
        strings = re.findall(r"<t[^>]*>([^<]*)</t>", z.read("xl/sharedStrings.xml").decode())
        for text in ("重大事故隐患专项排查整治行动进展情况调度表", "总体情况", "对企业自查自改进行抽查检查情况",
                     "部门精准严格执法情况", "党委政府组织领导情况", "企业自查发现的重大事故隐患",
                     "2次；金额 2.2346万元", "2个；其中危险作业罪案例 1个"):
            assert any(text in t for t in strings), (text, strings)
        assert any(t.startswith("填表人：") for t in strings)
        merges = re.findall(r'<mergeCell ref="([^"]+)"', z.read("xl/worksheets/sheet1.xml").decode())
        assert "A1:G1" in merges and "A4:A6" in merges, merges
    finally:
        s.stop()
    rc, out, err = cli("report", "dispatch", "--db", w.db, "--unit", "region:210323", "--period",
                       "2026-03", "--since", "2026-01-01")
    assert rc == 0, err
    assert json.loads(out)["values"] == api["values"]
    path = tmp_path("dispatch.xlsx")
    rc, out, err = cli("report", "dispatch", "--db", w.db, "--unit", "region:210323", "--period",
                       "2026-03", "--since", "2026-01-01", "--format", "xlsx", "-o", path)
    assert rc == 0, err
    assert zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    rc, out, err = cli("report", "dispatch", "--db", w.db, "--unit", "region:999999", "--period",
                       "2026-03", "--since", "2026-01-01")
    assert rc != 0 and "填报单位" in err


def test_office_sees_which_lower_units_are_late_or_missing():
    db = fresh_db()
    cli_ok("init", "--db", db)
    s = Server(db, now="2026-03-25T10:00:00Z").start()
    w = World(s, db)
    sign = lambda c, unit: c.post("/api/v1/reports/dispatch/signature",
                                  {"unit": unit, "period": "2026-03", "filler": "甲", "reviewer": "乙"})
    assert sign(w.town1, "region:210323100").status == 200
    r = w.county.get("/api/v1/reports/dispatch/status?period=2026-03").json
    states = {u["unit"]: u["state"] for u in r["units"]}
    assert states == {"region:210323100": "on_time", "region:210323101": "pending",
                      "department:%d" % w.dept1: "pending", "department:%d" % w.dept2: "pending"}, r
    s.stop()
    s = Server(db, now="2026-03-27T02:00:00Z").start()
    w.rebind(s)
    try:
        assert sign(w.reg1, "department:%d" % w.dept1).status == 200
        assert_error(sign(w.reg1, "department:%d" % w.dept1), 409)
        r = w.county.get("/api/v1/reports/dispatch/status?period=2026-03").json
        states = {u["unit"]: u["state"] for u in r["units"]}
        assert states == {"region:210323100": "on_time", "region:210323101": "missing",
                          "department:%d" % w.dept1: "late", "department:%d" % w.dept2: "missing"}, r
        assert r["missing"] == 2 and r["late"] == 1 and r["due"] == "2026-03-25"
        assert_error(w.reg1.get("/api/v1/reports/dispatch/status?period=2026-03"), 403)
        assert_error(w.other_office.get("/api/v1/reports/dispatch/status?period=2026-03"
                                        "&unit=region:210323"), 404)
    finally:
        s.stop()


def test_verified_tip_becomes_a_hazard_and_inspection_findings_link_back():
    db = fresh_db()
    cli_ok("init", "--db", db)
    with Server(db, now="2026-03-24T10:00:00Z") as s:
        w = World(s, db)
        r = s.client().post("/api/v1/tips", {"region_code": "210323100", "description": "夜间违规动火",
                                             "place": "一号车间", "anonymous": True,
                                             "enterprise_id": w.ent_a})
        code = r.json["tracking_code"]
        tid = w.reg1.get("/api/v1/tips").json["items"][0]["id"]
        assert_error(w.reg1.post("/api/v1/tips/%d/review" % tid,
                                 {"result": "verified", "date": "2026-03-24", "create_hazard": True,
                                  "level": "major"}), 422, field="basis")
        assert_error(w.reg1.post("/api/v1/tips/%d/review" % tid,
                                 {"result": "verified", "date": "2026-03-24", "create_hazard": True,
                                  "enterprise_id": w.ent_b}), 403)
        r = w.reg1.post("/api/v1/tips/%d/review" % tid,
                        {"result": "verified", "date": "2026-03-24", "reward": 200,
                         "create_hazard": True})
        assert r.status == 200 and r.json["hazard_id"], r
        h = w.county.get("/api/v1/hazards/%d" % r.json["hazard_id"]).json
        assert h["source"] == "tip" and h["description"] == "夜间违规动火" and h["location"] == "一号车间"
        assert h["department_id"] == w.dept1 and h["found_on"] == "2026-03-24"
        assert w.county.get("/api/v1/hazards?source=tip").json["total"] == 1
        assert s.client().get("/api/v1/tips/track/" + code).json["status"] == "verified"
        # An inspection's findings point back at it.
        insp = w.reg1.post("/api/v1/inspections", {"enterprise_id": w.ent_a, "department_id": w.dept1,
                                                   "date": "2026-03-20", "method": "double_random",
                                                   "inspectors": ["赵科长"]}).json["id"]
        r = w.reg1.post("/api/v1/hazards", hazard_body(w.ent_a, source="inspection",
                                                       inspection_id=insp))
        assert r.status == 201 and r.json["inspection_id"] == insp, r
        assert_error(w.reg2.post("/api/v1/hazards", hazard_body(w.ent_b, source="inspection",
                                                                inspection_id=insp)), 422,
                     field="inspection_id")


def _pdftotext(path):
    """The PDF's text with all white space removed (cells wrap)."""
    import subprocess
    out = subprocess.run(["pdftotext", path, "-"], capture_output=True, check=True)
    return "".join(out.stdout.decode().split())


def _has(text, want):
    return "".join(want.split()) in text


def _dark_share(png_or_pgm_path):
    """The share of dark pixels on a page rendered to PGM (0..1)."""
    data = open(png_or_pgm_path, "rb").read()
    magic, dims, depth, body = data.split(b"\n", 3)
    assert magic == b"P5" and depth == b"255"
    return sum(1 for b in body if b < 128) / len(body)


def test_pdf_in_the_form_layout_rendered_and_from_the_cli():
    import shutil
    import subprocess
    from qltest import artifact_path, cli, tmp_path
    s, w = build()
    try:
        r = w.county.get(Q % "region:210323" + "&format=pdf")
        assert r.status == 200 and r.header("Content-Type") == "application/pdf", r
        assert r.raw.startswith(b"%PDF-") and b"%%EOF" in r.raw[-64:]
        assert "dispatch-2026-03.pdf" in r.header("Content-Disposition")
        api_pdf = tmp_path("api-dispatch.pdf")
        open(api_pdf, "wb").write(r.raw)
        assert_error(w.county.get(Q % "region:210323" + "&format=doc"), 400, field="format")
    finally:
        s.stop()
    text = _pdftotext(api_pdf)
    for want in ("重大事故隐患专项排查整治行动进展情况调度表", "填报单位：岫岩满族自治县",
                 "2026-01-01 至 2026-03-24", "总体情况", "对企业自查自改进行抽查检查情况",
                 "部门精准严格执法情况", "党委政府组织领导情况", "企业自查发现的重大事故隐患",
                 "2次；金额 2.2346万元", "填表人：", "审核人：", "如遇节假日提前上报"):
        assert _has(text, want), (want, text)
    fonts = subprocess.run(["pdffonts", api_pdf], capture_output=True, check=True).stdout.decode()
    assert "NotoSerifCJK" in fonts and " yes yes " in fonts, fonts      # embedded, subset
    # render the page as people will see it, keep it, and check it is one
    # landscape A4 page with ink on it (text and the table's rules)
    png = artifact_path("dispatch-county-2026-03")
    subprocess.run(["pdftoppm", "-png", "-r", "100", "-singlefile", api_pdf, png], check=True)
    pgm = tmp_path("page")
    subprocess.run(["pdftoppm", "-gray", "-r", "50", "-singlefile", api_pdf, pgm], check=True)
    head = open(pgm + ".pgm", "rb").read(32).split(b"\n")
    width, height = map(int, head[1].split())
    assert width == 585 and height in (413, 414), head       # A4 landscape at 50 dpi
    assert 0.02 < _dark_share(pgm + ".pgm") < 0.5
    info = subprocess.run(["pdfinfo", api_pdf], capture_output=True, check=True).stdout.decode()
    import re
    assert re.search(r"Pages:\s+1\n", info) and "Creator:         清零" in info, info
    assert "A4" in info and "Mar 25" in info and "2026" in info, info   # dated by the clock

    path = tmp_path("cli-dispatch.pdf")
    rc, out, err = cli("report", "dispatch", "--db", w.db, "--unit", "region:210323", "--period",
                       "2026-03", "--since", "2026-01-01", "--format", "pdf", "-o", path)
    assert rc == 0, err
    assert _has(_pdftotext(path), "2次；金额 2.2346万元")
    rc, out, err = cli("report", "dispatch", "--db", w.db, "--unit", "region:210323", "--period",
                       "2026-03", "--since", "2026-01-01", "--format", "pdf")
    assert rc != 0 and "-o" in err

    # LibreOffice (installed by scripts/bootstrap) opens the Excel return and
    # prints the same form
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is not installed (scripts/bootstrap installs it)"
    xlsx = tmp_path("lo-dispatch.xlsx")
    rc, out, err = cli("report", "dispatch", "--db", w.db, "--unit", "region:210323", "--period",
                       "2026-03", "--since", "2026-01-01", "--format", "xlsx", "-o", xlsx)
    assert rc == 0, err
    profile = tmp_path("lo-profile")
    subprocess.run([soffice, "-env:UserInstallation=file://" + profile, "--headless",
                    "--convert-to", "pdf", "--outdir", tmp_path("lo"), xlsx],
                   capture_output=True, check=True, timeout=180)
    lo_pdf = tmp_path("lo/lo-dispatch.pdf")
    lo_text = _pdftotext(lo_pdf)
    for want in ("重大事故隐患专项排查整治行动进展情况调度表", "部门精准严格执法情况",
                 "2次；金额 2.2346万元", "填表人："):
        assert _has(lo_text, want), (want, lo_text)
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-singlefile", lo_pdf,
                    artifact_path("dispatch-county-2026-03-libreoffice")], check=True)
