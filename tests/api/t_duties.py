"""Enterprise duties: leader-led inspections, drills, the duty list and safety
organisation on file, special-operator certificates, outsourcing contracts, and
compliance judged per enterprise and period (monthly / quarterly, half-yearly /
yearly by the high-risk flag; a window still open is pending, not failed)."""
from qltest import Server, World, assert_error, cli_ok, fresh_db

NOW = "2026-05-20T02:00:00Z"      # 2026-05-20 in China


def build():
    db = fresh_db()
    cli_ok("init", "--db", db)
    s = Server(db, now=NOW).start()
    return s, World(s, db)


def duty(c, ent, kind, date, **kw):
    body = dict({"kind": kind, "date": date, "title": "记录"}, **kw)
    if kind == "leader_inspection":
        body.setdefault("leader", "王总经理")
    r = c.post("/api/v1/enterprises/%d/duties" % ent, body)
    assert r.status == 201, r
    return r.json["id"]


def cert(c, ent, number, until):
    r = c.post("/api/v1/enterprises/%d/certificates" % ent,
               {"holder": "李师傅", "category": "电工作业", "number": number, "valid_until": until})
    assert r.status == 201, r


def contract(c, ent, start, end, agreement):
    r = c.post("/api/v1/enterprises/%d/contracts" % ent,
               {"contractor": "某某检修工程有限公司", "work": "储罐检修", "start_date": start,
                "end_date": end, "safety_agreement": agreement})
    assert r.status == 201, r


def compliance(c, ent, period):
    r = c.get("/api/v1/enterprises/%d/compliance?period=%s" % (ent, period))
    assert r.status == 200, r
    return r.json


def states(j):
    return {c["key"]: c["state"] for c in j["checks"]}


def test_compliance_is_judged_per_period_by_the_high_risk_flag():
    s, w = build()
    try:
        # ent_a is high-risk: monthly leader inspections, half-yearly drills
        duty(w.ea, w.ent_a, "leader_inspection", "2026-04-10")
        duty(w.ea, w.ent_a, "leader_inspection", "2026-05-05")
        duty(w.ea, w.ent_a, "drill", "2026-02-01", participants=35)
        duty(w.ea, w.ent_a, "duty_list", "2026-01-05")
        duty(w.reg1, w.ent_a, "safety_org", "2026-03-01")          # a regulator may record too
        cert(w.ea, w.ent_a, "T001", "2026-05-01")                   # expired
        cert(w.ea, w.ent_a, "T002", "2026-06-10")                   # expires within 30 days
        cert(w.ea, w.ent_a, "T003", "2029-01-01")
        contract(w.ea, w.ent_a, "2026-05-01", "2026-12-31", False)
        contract(w.ea, w.ent_a, "2026-01-01", "2026-02-28", False)
        contract(w.ea, w.ent_a, "2026-03-01", "2026-03-31", True)

        may = compliance(w.ea, w.ent_a, "2026-05")
        assert may["high_risk"] is True and may["judged_on"] == "2026-05-20"
        assert states(may) == {"leader_inspection": "ok", "drill": "ok", "duty_list": "ok",
                               "safety_org": "ok", "certificates": "failed",
                               "outsourcing": "failed"}
        assert may["compliant"] is False and may["failed"] == ["certificates", "outsourcing"]
        assert may["warning"] is True and may["certificates_expiring"] == 1
        ins = [c for c in may["checks"] if c["key"] == "leader_inspection"][0]
        assert ins["window"] == {"from": "2026-05-01", "to": "2026-05-31"} and ins["count"] == 1
        assert "每月" in ins["label"]

        mar = compliance(w.county, w.ent_a, "2026-03")
        assert mar["judged_on"] == "2026-03-31"
        assert mar["failed"] == ["leader_inspection"] and mar["warning"] is False

        jan = compliance(w.reg1, w.ent_a, "2026-01")
        assert jan["failed"] == ["leader_inspection", "safety_org", "outsourcing"]
        assert states(jan)["drill"] == "ok"                      # the half-year window
        jul = compliance(w.ea, w.ent_a, "2026-07")
        assert states(jul)["leader_inspection"] == "pending"
        assert states(jul)["drill"] == "pending"                 # second half-year not over

        # ent_b made not high-risk: quarterly inspections, yearly drills
        r = w.county.patch("/api/v1/enterprises/%d" % w.ent_b, {"high_risk": False})
        assert r.status == 200, r
        duty(w.eb, w.ent_b, "leader_inspection", "2026-04-02")
        b = compliance(w.eb, w.ent_b, "2026-05")
        assert b["high_risk"] is False
        assert states(b)["leader_inspection"] == "ok" and states(b)["drill"] == "pending"
        assert b["failed"] == ["duty_list", "safety_org"]
        ins = [c for c in b["checks"] if c["key"] == "leader_inspection"][0]
        assert ins["window"] == {"from": "2026-04-01", "to": "2026-06-30"} and "每季度" in ins["label"]
        assert compliance(w.eb, w.ent_b, "2026-03")["failed"] == \
            ["leader_inspection", "duty_list", "safety_org"]
        assert "drill" in compliance(w.eb, w.ent_b, "2025-12")["failed"]

        # the list: every enterprise in scope, judged for the period
        lst = w.county.get("/api/v1/compliance?period=2026-05").json
        assert lst["total"] == 2 and lst["period"] == "2026-05"
        got = {i["enterprise_id"]: i["failed"] for i in lst["items"]}
        assert got == {w.ent_a: ["certificates", "outsourcing"], w.ent_b: ["duty_list", "safety_org"]}
        own = w.ea.get("/api/v1/compliance?period=2026-05").json
        assert [i["enterprise_id"] for i in own["items"]] == [w.ent_a]
        assert [i["enterprise_id"] for i in w.reg2.get("/api/v1/compliance").json["items"]] == [w.ent_b]
    finally:
        s.stop()


def test_certificates_flag_expiry_and_lists_page():
    s, w = build()
    try:
        cert(w.ea, w.ent_a, "A1", "2026-05-19")
        cert(w.ea, w.ent_a, "A2", "2026-05-20")
        cert(w.ea, w.ent_a, "A3", "2026-06-19")                      # 30 days: expiring
        cert(w.ea, w.ent_a, "A4", "2026-06-20")                      # 31 days: valid
        items = w.ea.get("/api/v1/enterprises/%d/certificates" % w.ent_a).json["items"]
        assert [(i["number"], i["status"], i["days_left"]) for i in items] == \
            [("A1", "expired", -1), ("A2", "expiring", 0), ("A3", "expiring", 30), ("A4", "valid", 31)]
        assert items[0]["status_label"] == "已过期" and items[1]["status_label"] == "即将到期"
        soon = w.county.get("/api/v1/enterprises/%d/certificates?expiring=true" % w.ent_a).json
        assert soon["total"] == 3 and [i["number"] for i in soon["items"]] == ["A1", "A2", "A3"]
        for d in ("2026-05-01", "2026-04-01", "2026-03-01"):
            duty(w.ea, w.ent_a, "drill", d)
        duty(w.ea, w.ent_a, "duty_list", "2026-01-01")
        page = w.ea.get("/api/v1/enterprises/%d/duties?kind=drill&per_page=2" % w.ent_a).json
        assert page["total"] == 3 and [i["date"] for i in page["items"]] == ["2026-05-01", "2026-04-01"]
        assert page["items"][0]["kind_label"] == "应急演练"
        assert w.ea.get("/api/v1/enterprises/%d/duties" % w.ent_a).json["total"] == 4
        contract(w.ea, w.ent_a, "2026-01-01", "2026-12-31", True)
        c = w.ea.get("/api/v1/enterprises/%d/contracts" % w.ent_a).json["items"][0]
        assert c["running"] is True and c["safety_agreement"] is True
    finally:
        s.stop()


def test_bad_duty_input_names_the_field_and_changes_nothing():
    s, w = build()
    try:
        base = "/api/v1/enterprises/%d" % w.ent_a
        cert(w.ea, w.ent_a, "D1", "2027-01-01")
        cases = [
            ("/duties", {"kind": "party", "date": "2026-05-01", "title": "x"}, 422, "kind"),
            ("/duties", {"kind": "drill", "date": "2026-05-21", "title": "x"}, 422, "date"),
            ("/duties", {"kind": "drill", "date": "2026-02-30", "title": "x"}, 422, "date"),
            ("/duties", {"kind": "drill", "date": "2026-05-01"}, 422, "title"),
            ("/duties", {"kind": "leader_inspection", "date": "2026-05-01", "title": "x"}, 422, "leader"),
            ("/duties", {"kind": "drill", "date": "2026-05-01", "title": "x", "participants": -1},
             422, "participants"),
            ("/certificates", {"holder": "a", "category": "b", "number": "D1",
                               "valid_until": "2027-01-01"}, 409, "number"),
            ("/certificates", {"holder": "a", "category": "b", "number": "D2"}, 422, "valid_until"),
            ("/contracts", {"contractor": "c", "work": "w", "start_date": "2026-05-01",
                            "end_date": "2026-04-30", "safety_agreement": True}, 422, "end_date"),
            ("/contracts", {"contractor": "c", "work": "w", "start_date": "2026-05-01",
                            "end_date": "2026-06-30"}, 422, "safety_agreement"),
            ("/contracts", {"contractor": "c", "contractor_uscc": "91210323MA00000011",
                            "work": "w", "start_date": "2026-05-01", "end_date": "2026-06-30",
                            "safety_agreement": True}, 422, "contractor_uscc"),
        ]
        for path, body, status, field in cases:
            assert_error(w.ea.post(base + path, body), status, field=field)
        for path, n in (("/duties", 0), ("/certificates", 1), ("/contracts", 0)):
            assert w.county.get(base + path).json["total"] == n, path
        assert_error(w.ea.get(base + "/compliance?period=2026-13"), 400, field="period")
        assert_error(w.ea.get("/api/v1/compliance?period=26-01"), 400, field="period")
    finally:
        s.stop()


def test_duties_stay_inside_the_scope():
    s, w = build()
    try:
        a = "/api/v1/enterprises/%d" % w.ent_a
        body = {"kind": "drill", "date": "2026-05-01", "title": "消防演练"}
        for c in (w.eb, w.reg2, w.other_office, w.reg_other):
            for path in ("/duties", "/certificates", "/contracts", "/compliance"):
                assert_error(c.get(a + path), 404)
            assert_error(c.post(a + "/duties", body), 404)
        assert_error(w.expert.post(a + "/duties", body), 403)
        assert_error(w.sec.get(a + "/duties"), 403)
        assert w.expert.get(a + "/duties").json["total"] == 0
        assert w.county.get(a + "/duties").json["total"] == 0     # nothing was written
        duty(w.town1, w.ent_a, "drill", "2026-05-01")              # the town office covers ent_a
        assert w.ea.get(a + "/duties").json["total"] == 1
        assert w.other_office.get("/api/v1/compliance").json["total"] == 1   # ent_c only
    finally:
        s.stop()
