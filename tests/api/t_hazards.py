"""Enterprises and the hazard closed loop: registration, the state machine across
enterprise, regulator and office users, validation that changes nothing, the scope
matrix, queries, statistics, export and import."""
import io
import zipfile

from qltest import (GENERAL_PLAN, MAJOR_PLAN, NOW, Server, World, assert_error, cli, cli_ok,
                    enterprise_body, fresh_db, hazard_body, sql, tmp_path, uscc)


def world(now=NOW):
    db = fresh_db()
    cli_ok("init", "--db", db)
    s = Server(db, now=now).start()
    return s, World(s, db)


def count(db, table):
    return int(sql(db, "SELECT count(*) FROM %s" % table))


def actions(h):
    return [e["action"] for e in h["history"]]


# --- enterprises --------------------------------------------------------------

def test_enterprise_credit_code_is_validated():
    s, w = world()
    try:
        before = count(w.db, "enterprises")
        good = uscc(11)
        bad_check = good[:-1] + ("0" if good[-1] != "0" else "1")
        assert_error(w.county.post("/api/v1/enterprises", enterprise_body(11, "210323100",
                                                                          uscc=bad_check)),
                     422, field="uscc")
        assert_error(w.county.post("/api/v1/enterprises",
                                   enterprise_body(11, "210323100", uscc="91210323MA0O00001X")),
                     422, field="uscc")
        assert_error(w.county.post("/api/v1/enterprises",
                                   enterprise_body(11, "210323100", uscc="123")), 422, field="uscc")
        assert_error(w.county.post("/api/v1/enterprises",
                                   enterprise_body(1, "210323100")), 409, field="uscc")
        assert count(w.db, "enterprises") == before
        r = w.county.post("/api/v1/enterprises", enterprise_body(11, "210323100",
                                                                 uscc=good.lower()))
        assert r.status == 201 and r.json["uscc"] == good, r
    finally:
        s.stop()


def test_early_pilot_code_needs_office_override_with_reason():
    s, w = world()
    try:
        good = uscc(12)
        pilot = good[:-1] + ("0" if good[-1] != "0" else "1")
        body = enterprise_body(12, "210323100", uscc=pilot, uscc_override_reason="早期试点代码，已核实")
        assert_error(w.reg1.post("/api/v1/enterprises", body), 403)
        r = w.county.post("/api/v1/enterprises", body)
        assert r.status == 201 and r.json["uscc_override"], r
        audit = sql(w.db, "SELECT action FROM audit_log WHERE action LIKE 'enterprise.create%'")
        assert "enterprise.create_uscc_override" in audit
    finally:
        s.stop()


def test_enterprise_fields_are_validated_and_named():
    s, w = world()
    try:
        before = count(w.db, "enterprises")
        cases = [
            (dict(main_person={"name": "张三"}), "main_person.phone"),
            (dict(main_person={"name": "张三", "phone": "12"}), "main_person.phone"),
            (dict(controller={"phone": "13800000002"}), "controller.name"),
            (dict(industry_code="ZZ99"), "industry_code"),
            (dict(region_code="210323999"), "region_code"),
            (dict(region_code="2103231"), "region_code"),
            (dict(department_ids=[9999]), "department_ids"),
            (dict(name=""), "name"),
            (dict(high_risk="是"), "high_risk"),
        ]
        for over, field in cases:
            r = w.county.post("/api/v1/enterprises", enterprise_body(20, "210323100", **over))
            assert_error(r, 422, field=field)
        assert count(w.db, "enterprises") == before
    finally:
        s.stop()


def test_enterprises_are_registered_inside_scope_only():
    s, w = world()
    try:
        assert_error(w.town1.post("/api/v1/enterprises", enterprise_body(30, "210323101")), 403)
        assert_error(w.county.post("/api/v1/enterprises",
                                   enterprise_body(30, "210324100", region="210324")), 403)
        assert_error(w.ea.post("/api/v1/enterprises", enterprise_body(30, "210323100")), 403)
        r = w.reg2.post("/api/v1/enterprises", enterprise_body(30, "210323101"))
        assert r.status == 201 and w.dept2 in r.json["department_ids"], r
    finally:
        s.stop()


def test_enterprise_lists_follow_scope():
    s, w = world()
    try:
        def ids(c, q=""):
            r = c.get("/api/v1/enterprises" + q)
            assert r.status == 200, r
            return sorted(i["id"] for i in r.json["items"])
        a, b, c = w.ent_a, w.ent_b, w.ent_c
        assert ids(w.county) == [a, b]
        assert ids(w.town1) == [a]
        assert ids(w.reg1) == [a]
        assert ids(w.reg2) == [b]
        assert ids(w.ea) == [a]
        assert ids(w.eb) == [b]
        assert ids(w.expert) == [a, b]
        assert ids(w.other_office) == [c]
        assert ids(w.county, "?region=210323101") == [b]
        assert ids(w.county, "?q=%E6%B5%8B%E8%AF%95%E4%BC%81%E4%B8%9A1") == [a]
    finally:
        s.stop()


def test_enterprise_update_is_scoped_and_audited():
    s, w = world()
    try:
        r = w.county.patch("/api/v1/enterprises/%d" % w.ent_a, {"name": "改名后的企业"})
        assert r.status == 200 and r.json["name"] == "改名后的企业", r
        assert r.json["uscc"] == uscc(1)
        assert_error(w.reg2.patch("/api/v1/enterprises/%d" % w.ent_a, {"name": "x"}), 404)
        assert_error(w.ea.patch("/api/v1/enterprises/%d" % w.ent_a, {"name": "x"}), 403)
        assert_error(w.county.patch("/api/v1/enterprises/%d" % w.ent_a,
                                    {"main_person": {"name": "赵六", "phone": "x"}}), 422,
                     field="main_person.phone")
        assert w.county.get("/api/v1/enterprises/%d" % w.ent_a).json["name"] == "改名后的企业"
        assert "enterprise.update" in sql(w.db, "SELECT action FROM audit_log")
    finally:
        s.stop()


# --- the closed loop ------------------------------------------------------------

def test_general_hazard_full_life_by_the_enterprise():
    s, w = world()
    try:
        r = w.ea.post("/api/v1/hazards", hazard_body(w.ent_a))
        assert r.status == 201, r
        h = r.json
        assert h["status"] == "open" and h["code"].startswith("YH-210323-2026-")
        assert h["region_code"] == "210323100" and h["enterprise_id"] == w.ent_a
        for body, status in [(GENERAL_PLAN, "rectifying"),
                             ({"action": "submit", "note": "已更换"}, "awaiting_acceptance"),
                             ({"action": "accept", "acceptor": "张三"}, "closed")]:
            r = w.ea.post("/api/v1/hazards/%d/transitions" % h["id"], body)
            assert r.status == 200 and r.json["status"] == status, r
        h = w.county.get("/api/v1/hazards/%d" % h["id"]).json
        assert actions(h) == ["register", "plan", "submit", "accept"]
        assert all(e["by"] == "ent_a" and e["at"] for e in h["history"])
        assert h["closed_at"] and h["deadline"] == "2026-03-20" and h["overdue"] is False
        assert sql(w.db, "SELECT count(*) FROM audit_log WHERE action LIKE 'hazard.%'") == "4"
    finally:
        s.stop()


def test_major_hazard_full_life_with_verification_and_supervision():
    s, w = world()
    try:
        r = w.ea.post("/api/v1/hazards", hazard_body(w.ent_a, level="major"))
        assert r.status == 201, r
        hid = r.json["id"]
        out = sql(w.db, "SELECT recipient || ':' || phone FROM notification_outbox"
                        " WHERE hazard_id = %d ORDER BY recipient" % hid)
        assert out.split() == ["controller:13800000002", "main_person:13800000001"], out
        r = w.county.post("/api/v1/hazards/%d/supervision" % hid,
                          {"deadline": "2026-05-01", "note": "县级挂牌"})
        assert r.status == 201 and r.json["supervised"] is True, r
        assert_error(w.county.post("/api/v1/hazards/%d/supervision" % hid,
                                   {"deadline": "2026-05-01"}), 409)
        steps = [(w.ea, MAJOR_PLAN, "rectifying"),
                 (w.ea, {"action": "submit", "note": "完成"}, "awaiting_acceptance"),
                 (w.ea, {"action": "accept", "acceptor": "张三"}, "awaiting_verification")]
        for c, body, status in steps:
            r = c.post("/api/v1/hazards/%d/transitions" % hid, body)
            assert r.status == 200 and r.json["status"] == status, r
        assert_error(w.county.delete("/api/v1/hazards/%d/supervision" % hid), 409)
        assert_error(w.ea.post("/api/v1/hazards/%d/transitions" % hid, {"action": "verify"}), 403)
        assert_error(w.reg2.post("/api/v1/hazards/%d/transitions" % hid, {"action": "verify"}),
                     404)
        r = w.reg1.post("/api/v1/hazards/%d/transitions" % hid, {"action": "verify",
                                                                 "note": "核查属实"})
        assert r.status == 200 and r.json["status"] == "closed", r
        assert r.json["funds"] == 12000.5 and r.json["emergency_plan"] == "停产撤人"
        r = w.county.delete("/api/v1/hazards/%d/supervision" % hid)
        assert r.status == 200 and r.json["supervised"] is False, r
        assert actions(r.json) == ["register", "supervise", "plan", "submit", "accept", "verify",
                                   "delist"]
        assert r.json["supervisions"][0]["delisted_at"]
    finally:
        s.stop()


def test_hazard_found_by_inspection_is_accepted_by_that_department():
    s, w = world()
    try:
        r = w.reg1.post("/api/v1/hazards", hazard_body(w.ent_a, source="inspection"))
        assert r.status == 201 and r.json["department_id"] == w.dept1, r
        hid = r.json["id"]
        assert_error(w.reg1.post("/api/v1/hazards/%d/transitions" % hid, GENERAL_PLAN), 403)
        assert w.ea.post("/api/v1/hazards/%d/transitions" % hid, GENERAL_PLAN).status == 200
        assert w.ea.post("/api/v1/hazards/%d/transitions" % hid, {"action": "submit"}).status == 200
        assert_error(w.ea.post("/api/v1/hazards/%d/transitions" % hid,
                               {"action": "accept", "acceptor": "张三"}), 403)
        r = w.reg1.post("/api/v1/hazards/%d/transitions" % hid, {"action": "reject",
                                                                 "reason": "整改不到位"})
        assert r.status == 200 and r.json["status"] == "rectifying", r
        assert r.json["history"][-1]["note"] == "整改不到位"
        w.ea.post("/api/v1/hazards/%d/transitions" % hid, {"action": "submit"})
        r = w.reg1.post("/api/v1/hazards/%d/transitions" % hid, {"action": "accept",
                                                                 "acceptor": "赵科长"})
        assert r.status == 200 and r.json["status"] == "closed", r
    finally:
        s.stop()


def test_wrong_state_is_409_and_changes_nothing():
    s, w = world()
    try:
        hid = w.ea.post("/api/v1/hazards", hazard_body(w.ent_a)).json["id"]
        events = count(w.db, "hazard_events")
        for body in ({"action": "submit"}, {"action": "accept", "acceptor": "x"},
                     {"action": "extend", "deadline": "2026-05-01", "reason": "x"}):
            assert_error(w.ea.post("/api/v1/hazards/%d/transitions" % hid, body), 409)
        assert_error(w.reg1.post("/api/v1/hazards/%d/transitions" % hid, {"action": "verify"}),
                     409)
        assert count(w.db, "hazard_events") == events
        assert w.ea.get("/api/v1/hazards/%d" % hid).json["status"] == "open"
    finally:
        s.stop()


def test_five_in_place_fields_are_required_for_major():
    s, w = world()
    try:
        hid = w.ea.post("/api/v1/hazards", hazard_body(w.ent_a, level="major")).json["id"]
        for field in ("responsible_person", "measures", "deadline", "funds", "emergency_plan",
                      "interim_measures"):
            body = dict(MAJOR_PLAN)
            del body[field]
            assert_error(w.ea.post("/api/v1/hazards/%d/transitions" % hid, body), 422, field=field)
        for field, value in (("deadline", "2026-02-30"), ("funds", -1), ("funds", 1.234),
                             ("funds", "一万"), ("deadline", "2026-01-01")):
            body = dict(MAJOR_PLAN, **{field: value})
            assert_error(w.ea.post("/api/v1/hazards/%d/transitions" % hid, body), 422, field=field)
        r = w.ea.get("/api/v1/hazards/%d" % hid).json
        assert r["status"] == "open" and r["responsible_person"] is None
        # A general hazard needs only the first three.
        gid = w.ea.post("/api/v1/hazards", hazard_body(w.ent_a)).json["id"]
        assert w.ea.post("/api/v1/hazards/%d/transitions" % gid, GENERAL_PLAN).status == 200
    finally:
        s.stop()


def test_registration_validation_changes_nothing():
    s, w = world()
    try:
        before = count(w.db, "hazards")
        cases = [
            (dict(level="huge"), "level"),
            (dict(category="other"), "category"),
            (dict(source="rumour"), "source"),
            (dict(found_on="2026-02-30"), "found_on"),
            (dict(found_on="2026/03/01"), "found_on"),
            (dict(found_on="2027-01-01"), "found_on"),
            (dict(location=""), "location"),
            (dict(level="major", basis=None), "basis"),
            (dict(level="major", rectified_on_spot=True), "rectified_on_spot"),
            (dict(source="inspection"), "source"),
            (dict(enterprise_id="1"), "enterprise_id"),
        ]
        for over, field in cases:
            body = hazard_body(w.ent_a, **over)
            if over.get("basis", 1) is None:
                del body["basis"]
            assert_error(w.ea.post("/api/v1/hazards", body), 422, field=field)
        assert_error(w.ea.post("/api/v1/hazards", hazard_body(w.ent_b)), 403, field="enterprise_id")
        assert count(w.db, "hazards") == before
        assert count(w.db, "notification_outbox") == 0
    finally:
        s.stop()


def test_on_the_spot_rectification_registers_closed():
    s, w = world()
    try:
        r = w.ea.post("/api/v1/hazards", hazard_body(w.ent_a, rectified_on_spot=True,
                                                     rectification_note="当场关闭配电箱门"))
        assert r.status == 201 and r.json["status"] == "closed" and r.json["closed_at"], r
        assert r.json["rectified_on_spot"] is True
        assert "即查即改" in r.json["history"][0]["note"]
    finally:
        s.stop()


def test_extensions_are_kept_and_must_move_later():
    s, w = world()
    try:
        hid = w.ea.post("/api/v1/hazards", hazard_body(w.ent_a)).json["id"]
        w.ea.post("/api/v1/hazards/%d/transitions" % hid, GENERAL_PLAN)
        assert_error(w.ea.post("/api/v1/hazards/%d/transitions" % hid,
                               {"action": "extend", "deadline": "2026-03-15", "reason": "x"}),
                     422, field="deadline")
        assert_error(w.ea.post("/api/v1/hazards/%d/transitions" % hid,
                               {"action": "extend", "deadline": "2026-04-15"}), 422, field="reason")
        for d in ("2026-04-15", "2026-05-15"):
            r = w.ea.post("/api/v1/hazards/%d/transitions" % hid,
                          {"action": "extend", "deadline": d, "reason": "设备到货延迟"})
            assert r.status == 200 and r.json["deadline"] == d, r
        ext = [e for e in r.json["history"] if e["action"] == "extend"]
        assert [e["data"]["new_deadline"] for e in ext] == ["2026-04-15", "2026-05-15"]
        assert ext[1]["data"]["old_deadline"] == "2026-04-15"
    finally:
        s.stop()


def test_void_needs_a_reason_and_a_department_or_office():
    s, w = world()
    try:
        hid = w.ea.post("/api/v1/hazards", hazard_body(w.ent_a)).json["id"]
        assert_error(w.ea.post("/api/v1/hazards/%d/transitions" % hid,
                               {"action": "void", "reason": "x"}), 403)
        assert_error(w.reg1.post("/api/v1/hazards/%d/transitions" % hid, {"action": "void"}), 422,
                     field="reason")
        r = w.reg1.post("/api/v1/hazards/%d/transitions" % hid, {"action": "void",
                                                                 "reason": "重复登记"})
        assert r.status == 200 and r.json["status"] == "void", r
        assert_error(w.county.post("/api/v1/hazards/%d/transitions" % hid,
                                   {"action": "void", "reason": "x"}), 409)
        assert count(w.db, "hazards") == 1
    finally:
        s.stop()


def test_overdue_follows_the_clock():
    db = fresh_db()
    cli_ok("init", "--db", db)
    s = Server(db, now=NOW).start()
    w = World(s, db)
    hid = w.ea.post("/api/v1/hazards", hazard_body(w.ent_a)).json["id"]
    w.ea.post("/api/v1/hazards/%d/transitions" % hid, GENERAL_PLAN)  # deadline 2026-03-20
    assert w.ea.get("/api/v1/hazards/%d" % hid).json["overdue"] is False
    assert w.county.get("/api/v1/hazards?overdue=true").json["total"] == 0
    s.stop()
    s = Server(db, now="2026-03-21T01:00:00Z").start()
    try:
        c = s.client(w.county.bearer)
        assert c.get("/api/v1/hazards/%d" % hid).json["overdue"] is True
        r = c.get("/api/v1/hazards?overdue=true")
        assert r.json["total"] == 1 and r.json["items"][0]["id"] == hid
        assert c.get("/api/v1/hazards?overdue=false").json["total"] == 0
        st = c.get("/api/v1/stats/hazards?group_by=status").json["groups"]
        assert st == [{"key": "rectifying", "label": "整改中", "total": 1, "closed": 0,
                       "overdue": 1, "rate": 0}], st
    finally:
        s.stop()


# --- scope ------------------------------------------------------------------------

def test_scope_matrix_for_hazards():
    s, w = world()
    try:
        ha = w.ea.post("/api/v1/hazards", hazard_body(w.ent_a, level="major")).json["id"]
        hb = w.eb.post("/api/v1/hazards", hazard_body(w.ent_b)).json["id"]
        hc = w.reg_other.post("/api/v1/hazards", hazard_body(w.ent_c, source="inspection")).json["id"]
        users = {"county": w.county, "town1": w.town1, "other_office": w.other_office,
                 "reg1": w.reg1, "reg2": w.reg2, "reg_other": w.reg_other, "ent_a": w.ea,
                 "ent_b": w.eb, "expert": w.expert, "sys": w.sys, "sec": w.sec, "aud": w.aud}
        sees = {"county": {ha, hb}, "town1": {ha}, "other_office": {hc}, "reg1": {ha},
                "reg2": {hb}, "reg_other": {hc}, "ent_a": {ha}, "ent_b": {hb},
                "expert": {ha, hb}}
        admins = {"sys", "sec", "aud"}
        for name, c in users.items():
            lst = c.get("/api/v1/hazards?per_page=100")
            stats = c.get("/api/v1/stats/hazards?group_by=level")
            if name in admins:
                assert_error(lst, 403)
                assert_error(stats, 403)
                for h in (ha, hb, hc):
                    assert_error(c.get("/api/v1/hazards/%d" % h), 403)
                continue
            assert {i["id"] for i in lst.json["items"]} == sees[name], (name, lst)
            assert sum(g["total"] for g in stats.json["groups"]) == len(sees[name]), name
            for h in (ha, hb, hc):
                r = c.get("/api/v1/hazards/%d" % h)
                if h in sees[name]:
                    assert r.status == 200, (name, h, r)
                else:
                    assert_error(r, 404)
                    assert "location" not in r.body
                    # Writes outside the scope: not found (403 for a role that never
                    # writes hazards), and nothing changes.
                    for body in ({"action": "void", "reason": "x"}, GENERAL_PLAN):
                        r = c.post("/api/v1/hazards/%d/transitions" % h, body)
                        assert_error(r, 403 if name == "expert" else 404)
        assert_error(w.other_office.post("/api/v1/hazards/%d/supervision" % ha,
                                         {"deadline": "2026-05-01"}), 404)
        assert_error(w.reg1.post("/api/v1/hazards/%d/supervision" % ha,
                                 {"deadline": "2026-05-01"}), 403)
        assert_error(w.expert.post("/api/v1/hazards", hazard_body(w.ent_a)), 403)
        assert sql(w.db, "SELECT count(*) FROM hazard_events") == "3"
    finally:
        s.stop()


def test_scope_matrix_for_enterprises():
    s, w = world()
    try:
        cases = [(w.county, w.ent_a, 200), (w.county, w.ent_c, 404), (w.town1, w.ent_b, 404),
                 (w.reg1, w.ent_b, 404), (w.reg2, w.ent_b, 200), (w.ea, w.ent_b, 404),
                 (w.ea, w.ent_a, 200), (w.expert, w.ent_c, 404), (w.other_office, w.ent_c, 200),
                 (w.sys, w.ent_a, 403), (w.aud, w.ent_a, 403), (w.sec, w.ent_a, 403)]
        for c, e, status in cases:
            r = c.get("/api/v1/enterprises/%d" % e)
            assert r.status == status, (e, r)
            if status != 200:
                assert "main_person" not in r.body
        for c in (w.reg1, w.town1, w.other_office):
            assert_error(c.patch("/api/v1/enterprises/%d" % w.ent_b, {"name": "x"}), 404)
    finally:
        s.stop()


# --- queries -----------------------------------------------------------------------

def test_list_filters_sorting_and_search():
    s, w = world()
    try:
        mk = lambda c, e, **o: c.post("/api/v1/hazards", hazard_body(e, **o)).json["id"]
        h1 = mk(w.ea, w.ent_a, found_on="2026-01-05", description="消防通道堵塞")
        h2 = mk(w.ea, w.ent_a, level="major", found_on="2026-02-05")
        h3 = mk(w.reg2, w.ent_b, source="inspection", found_on="2026-03-05", location="仓库")
        w.county.post("/api/v1/hazards/%d/supervision" % h2, {"deadline": "2026-06-01"})

        def ids(q):
            r = w.county.get("/api/v1/hazards" + q)
            assert r.status == 200, (q, r)
            return [i["id"] for i in r.json["items"]]
        assert ids("?level=major") == [h2]
        assert ids("?source=inspection") == [h3]
        assert ids("?supervised=true") == [h2]
        assert sorted(ids("?supervised=false")) == [h1, h3]
        assert ids("?found_from=2026-02-01&found_to=2026-02-28") == [h2]
        assert ids("?region=210323101") == [h3]
        assert ids("?enterprise_id=%d&status=open&sort=found_on&order=asc" % w.ent_a) == [h1, h2]
        assert ids("?q=%E6%B6%88%E9%98%B2") == [h1]           # 消防
        assert ids("?q=%E4%BB%93%E5%BA%93") == [h3]           # 仓库
        assert ids("?sort=found_on&order=desc") == [h3, h2, h1]
        r = w.county.get("/api/v1/hazards?per_page=2&page=2&sort=found_on&order=asc")
        assert [i["id"] for i in r.json["items"]] == [h3] and r.json["total"] == 3
        assert r.json["page"] == 2 and r.json["per_page"] == 2
        for bad in ("?level=x", "?status=done", "?overdue=maybe", "?found_from=2026-13-01",
                    "?per_page=1000", "?page=0", "?sort=secret", "?region=abc"):
            assert_error(w.county.get("/api/v1/hazards" + bad), 400)
    finally:
        s.stop()


def test_stats_by_region_level_and_source():
    s, w = world()
    try:
        a1 = w.ea.post("/api/v1/hazards", hazard_body(w.ent_a, rectified_on_spot=True)).json["id"]
        w.ea.post("/api/v1/hazards", hazard_body(w.ent_a))
        w.eb.post("/api/v1/hazards", hazard_body(w.ent_b))
        v = w.eb.post("/api/v1/hazards", hazard_body(w.ent_b)).json["id"]
        w.reg2.post("/api/v1/hazards/%d/transitions" % v, {"action": "void", "reason": "重复"})
        g = w.county.get("/api/v1/stats/hazards?group_by=region").json["groups"]
        assert g == [{"key": "210323100", "label": "岫岩镇", "total": 2, "closed": 1,
                      "overdue": 0, "rate": 0.5},
                     {"key": "210323101", "label": "兴隆街道", "total": 1, "closed": 0,
                      "overdue": 0, "rate": 0}], g
        g = w.county.get("/api/v1/stats/hazards?group_by=source").json["groups"]
        assert g == [{"key": "self", "label": "企业自查", "total": 3, "closed": 1, "overdue": 0,
                      "rate": 0.3333}], g
        g = w.county.get("/api/v1/stats/hazards?group_by=industry").json["groups"]
        assert g[0]["key"] == "C2614" and g[0]["total"] == 3
        assert a1
        assert_error(w.county.get("/api/v1/stats/hazards?group_by=colour"), 400)
    finally:
        s.stop()


def test_export_csv_and_xlsx_follow_filters_and_scope():
    s, w = world()
    try:
        w.ea.post("/api/v1/hazards", hazard_body(w.ent_a, description="甲企业隐患"))
        w.eb.post("/api/v1/hazards", hazard_body(w.ent_b, description="乙企业隐患"))
        r = w.ea.get("/api/v1/hazards/export?format=csv")
        assert r.status == 200 and r.raw.startswith(b"\xef\xbb\xbf"), r
        text = r.raw.decode("utf-8-sig")
        assert text.splitlines()[0].startswith("隐患编号,企业名称")
        assert "甲企业隐患" in text and "乙企业隐患" not in text
        r = w.county.get("/api/v1/hazards/export?format=xlsx&region=210323101")
        assert r.status == 200 and "spreadsheetml" in r.header("Content-Type")
        z = zipfile.ZipFile(io.BytesIO(r.raw))
        strings = z.read("xl/sharedStrings.xml").decode()
        assert "乙企业隐患" in strings and "甲企业隐患" not in strings and "隐患编号" in strings
        assert_error(w.county.get("/api/v1/hazards/export?format=pdf"), 400)
    finally:
        s.stop()


# --- import ------------------------------------------------------------------------

HEADER = "统一社会信用代码,单位名称,所属区划代码,行业代码,高危行业 (是/否),主要负责人,主要负责人电话,实际控制人,实际控制人电话"


def import_db():
    db = fresh_db()
    cli_ok("init", "--db", db)
    cli_ok("demo", "--db", db)
    return db


def test_import_csv_with_bom_and_chinese_headers():
    db = import_db()
    before = count(db, "enterprises")
    rows = [HEADER] + ["%s,导入企业%d,210323100,C2614,%s,张三,13800000001,李四,0412-1234567"
                       % (uscc(500 + i), i, "是" if i % 2 else "否") for i in range(30)]
    path = tmp_path("ent.csv")
    with open(path, "w", encoding="utf-8-sig") as f:
        f.write("\r\n".join(rows) + "\r\n")
    rc, out, err = cli("import", "enterprises", "--db", db, path)
    assert rc == 0, err
    assert count(db, "enterprises") == before + 30
    assert sql(db, "SELECT high_risk FROM enterprises WHERE name = '导入企业1'") == "1"
    assert sql(db, "SELECT high_risk FROM enterprises WHERE name = '导入企业2'") == "0"


def test_import_bad_row_imports_nothing_and_names_row_and_field():
    db = import_db()
    before = count(db, "enterprises")
    rows = [HEADER] + ["%s,导入企业%d,210323100,C2614,是,张三,13800000001,李四,13800000002"
                       % (uscc(600 + i), i) for i in range(5)]
    rows[4] = rows[4].replace("13800000001", "电话不详")
    path = tmp_path("bad.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(rows) + "\n")
    rc, out, err = cli("import", "enterprises", "--db", db, path)
    assert rc != 0
    assert "第 5 行" in err and "main_person.phone" in err, err
    assert count(db, "enterprises") == before


def test_import_xlsx_with_english_headers():
    db = import_db()
    before = count(db, "enterprises")
    header = ["uscc", "name", "region_code", "industry_code", "high_risk", "main_person.name",
              "main_person.phone", "controller.name", "controller.phone"]
    rows = [header, [uscc(700), "表格企业", "210323100", "B0921", "是", "王五", "13900000001",
                     "王五", "13900000001"]]
    path = tmp_path("ent.xlsx")
    write_xlsx(path, rows)
    rc, out, err = cli("import", "enterprises", "--db", db, path)
    assert rc == 0, err
    assert count(db, "enterprises") == before + 1
    assert sql(db, "SELECT industry_code FROM enterprises WHERE name = '表格企业'") == "B0921"


def write_xlsx(path, rows):
    """A minimal workbook with shared strings, written by hand (no library)."""
    strings, cells = [], []
    for r, row in enumerate(rows, start=1):
        cs = []
        for c, v in enumerate(row):
            strings.append(v)
            cs.append('<c r="%s%d" t="s"><v>%d</v></c>' % (chr(65 + c), r, len(strings) - 1))
        cells.append('<row r="%d">%s</row>' % (r, "".join(cs)))
    esc = lambda s: s.replace("&", "&amp;").replace("<", "&lt;")
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        z.writestr("xl/workbook.xml", '<workbook %s %s><sheets><sheet name="企业" sheetId="1" r:id="rId1"/></sheets></workbook>' % (ns, rel))
        z.writestr("xl/_rels/workbook.xml.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Target="worksheets/sheet1.xml" Type="x"/></Relationships>')
        z.writestr("xl/sharedStrings.xml", '<sst %s>%s</sst>' % (ns, "".join("<si><t>%s</t></si>" % esc(s) for s in strings)))
        z.writestr("xl/worksheets/sheet1.xml", '<worksheet %s><sheetData>%s</sheetData></worksheet>' % (ns, "".join(cells)))


def test_stats_by_month_slowest_first_and_major_stock():
    s, w = world()
    try:
        T = "/api/v1/hazards/%d/transitions"
        mk = lambda c, e, **o: c.post("/api/v1/hazards", hazard_body(e, **o)).json["id"]
        mk(w.ea, w.ent_a, found_on="2026-01-05", rectified_on_spot=True)
        mk(w.ea, w.ent_a, found_on="2026-01-20")
        mk(w.eb, w.ent_b, found_on="2026-02-03")
        old = mk(w.ea, w.ent_a, level="major", found_on="2025-12-30")
        mk(w.ea, w.ent_a, level="major", found_on="2026-01-02")
        new_closed = mk(w.eb, w.ent_b, level="major", found_on="2026-02-01")
        for c, body in ((w.eb, MAJOR_PLAN), (w.eb, {"action": "submit"}),
                        (w.eb, {"action": "accept", "acceptor": "x"}), (w.reg2, {"action": "verify"})):
            assert c.post(T % new_closed, body).status == 200
        v = w.reg1.post(T % old, {"action": "void", "reason": "误报"})
        assert v.status == 200, v
        g = w.county.get("/api/v1/stats/hazards?group_by=month").json["groups"]
        assert [(x["key"], x["total"], x["closed"]) for x in g] == [
            ("2026-01", 3, 1), ("2026-02", 2, 1)], g
        g = w.county.get("/api/v1/stats/hazards?group_by=region&order=slowest").json["groups"]
        assert [x["key"] for x in g] == ["210323100", "210323101"], g   # 1/3 before 1/2
        r = w.county.get("/api/v1/stats/major?cutoff=2026-01-01").json
        assert r["stock"] == {"total": 0, "open": 0, "closed": 0, "rate": 0}, r    # the old one is void
        assert r["increment"] == {"total": 2, "open": 1, "closed": 1, "rate": 0.5}, r
        r = w.ea.get("/api/v1/stats/major?cutoff=2026-01-03").json
        assert r["stock"]["total"] == 1 and r["increment"]["total"] == 0, r
        assert_error(w.county.get("/api/v1/stats/major?cutoff=2026-02-30"), 400, field="cutoff")
        assert_error(w.sys.get("/api/v1/stats/major?cutoff=2026-01-01"), 403)
    finally:
        s.stop()


def test_hazard_answers_the_actions_the_caller_may_take_now():
    s, w = world()
    try:
        hid = w.ea.post("/api/v1/hazards", hazard_body(w.ent_a, level="major")).json["id"]
        path = "/api/v1/hazards/%d" % hid

        def allowed(c):
            r = c.get(path)
            assert r.status == 200, r
            return sorted(a["action"] for a in r.json["actions"])

        assert allowed(w.ea) == ["plan"]
        assert allowed(w.reg1) == ["void"] and allowed(w.county) == ["void"]
        assert allowed(w.expert) == []
        for body in (MAJOR_PLAN, {"action": "submit"}, {"action": "accept", "acceptor": "张三"}):
            assert w.ea.post(path + "/transitions", body).status == 200
        assert allowed(w.ea) == []
        assert allowed(w.reg1) == ["reject", "verify", "void"]
        labels = {a["action"]: a["label"] for a in w.reg1.get(path).json["actions"]}
        assert labels["verify"] == "审核核销" and labels["reject"] == "退回整改", labels
        # every action offered is one the server then accepts
        r = w.reg1.post(path + "/transitions", {"action": "verify"})
        assert r.status == 200 and r.json["status"] == "closed" and r.json["actions"] == [], r
    finally:
        s.stop()
