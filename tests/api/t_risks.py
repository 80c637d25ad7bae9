"""The risk list 风险清单: LEC and 5×5 assessment at the level thresholds, the
matrix thresholds set by the system administrator, accident types from a versioned
dictionary, the four-colour count by region, validation and scope."""
from qltest import NOW, Server, World, assert_error, cli_ok, fresh_db


def build():
    db = fresh_db()
    cli_ok("init", "--db", db)
    s = Server(db, now=NOW).start()
    return s, World(s, db)


def risk(**over):
    body = {"risk_point": "液氨储罐区", "hazard_source": "液氨储罐及管道", "accident_types": ["19", "17"],
            "method": "lec", "L": 3, "E": 6, "C": 15, "control_measures": "泄漏报警与紧急切断联锁",
            "control_level": "company", "responsible_person": "王建国"}
    body.update(over)
    return body


def test_lec_and_matrix_levels_at_their_thresholds():
    s, w = build()
    try:
        path = "/api/v1/enterprises/%d/risks" % w.ent_a
        cases = [({"L": 3, "E": 6, "C": 15}, 270, "larger", "orange"),
                 ({"L": 6, "E": 6, "C": 15}, 540, "major", "red"),
                 ({"L": 1, "E": 2, "C": 40}, 80, "general", "yellow"),       # 1 × 2 × 40
                 ({"L": 0.5, "E": 6, "C": 15}, 45, "low", "blue"),
                 ({"L": 0.2, "E": 0.5, "C": 1}, 0.1, "low", "blue")]
        for lec, score, level, colour in cases:
            r = w.ea.post(path, risk(**lec))
            assert r.status == 201, r
            assert (r.json["score"], r.json["level"], r.json["colour"]) == (score, level, colour), \
                (lec, r.json)
        for (lk, sv), level in [((5, 4), "major"), ((4, 3), "larger"), ((2, 3), "general"),
                                ((1, 5), "low")]:
            r = w.ea.post(path, risk(method="matrix", likelihood=lk, severity=sv))
            assert r.status == 201 and r.json["level"] == level, (lk, sv, r.json)
        # a stricter matrix set by the system administrator applies to new risks
        sysadmin = w.sys
        assert_error(sysadmin.put("/api/v1/risk/settings", {"red": 12, "orange": 12, "yellow": 6}),
                     422, field="red")
        assert_error(w.county.put("/api/v1/risk/settings", {"red": 16, "orange": 9, "yellow": 4}), 403)
        r = sysadmin.put("/api/v1/risk/settings", {"red": 16, "orange": 9, "yellow": 4})
        assert r.status == 200 and r.json == {"red": 16, "orange": 9, "yellow": 4}, r
        r = w.ea.post(path, risk(method="matrix", likelihood=4, severity=4))
        assert r.json["level"] == "major"
        lst = w.county.get(path + "?per_page=100").json
        assert lst["total"] == 10
        top = lst["items"][0]
        assert top["score"] == 540 and top["accident_types"][0] == {"code": "19", "name": "中毒和窒息"}
        assert top["control_level_label"] == "公司级" and top["L"] == 6
        d = w.county.get("/api/v1/dictionaries/accident-types").json
        assert d["default"] == "GB6441-1986" and len(d["dictionaries"][0]["types"]) == 20
    finally:
        s.stop()


def test_bad_risks_name_the_field_and_change_nothing():
    s, w = build()
    try:
        path = "/api/v1/enterprises/%d/risks" % w.ent_a
        for over, field in [({"L": 4}, "L"), ({"E": 7}, "E"), ({"C": 10}, "C"), ({"L": "3"}, "L"),
                            ({"method": "fmea"}, "method"), ({"accident_types": []}, "accident_types"),
                            ({"accident_types": ["99"]}, "accident_types"),
                            ({"dictionary": "GB6441-2099"}, "dictionary"),
                            ({"control_level": "班组"}, "control_level"),
                            ({"method": "matrix", "likelihood": 6, "severity": 2}, "likelihood"),
                            ({"method": "matrix", "likelihood": 2, "severity": 0}, "severity"),
                            ({"risk_point": ""}, "risk_point")]:
            assert_error(w.ea.post(path, risk(**over)), 422, field=field)
        body = risk()
        del body["responsible_person"]
        assert_error(w.ea.post(path, body), 422, field="responsible_person")
        assert w.ea.get(path).json["total"] == 0
    finally:
        s.stop()


def test_four_colours_by_region_inside_the_scope():
    s, w = build()
    try:
        for ent, c, lec in ((w.ea, w.ent_a, {"L": 6, "E": 6, "C": 15}),
                            (w.ea, w.ent_a, {"L": 0.5, "E": 6, "C": 15}),
                            (w.eb, w.ent_b, {"L": 3, "E": 6, "C": 15})):
            assert ent.post("/api/v1/enterprises/%d/risks" % c, risk(**lec)).status == 201
        r = w.other_office.post("/api/v1/enterprises/%d/risks" % w.ent_c, risk())
        assert r.status == 201, r
        g = {x["key"]: x for x in w.county.get("/api/v1/stats/risks").json["groups"]}
        assert set(g) == {"210323100", "210323101"}
        assert (g["210323100"]["red"], g["210323100"]["blue"], g["210323100"]["total"]) == (1, 1, 2)
        assert g["210323100"]["label"] == "岫岩镇"
        assert g["210323101"]["orange"] == 1
        assert [x["key"] for x in w.reg2.get("/api/v1/stats/risks").json["groups"]] == ["210323101"]
        assert [x["total"] for x in w.ea.get("/api/v1/stats/risks").json["groups"]] == [2]
        # another enterprise's list is out of reach
        assert_error(w.eb.get("/api/v1/enterprises/%d/risks" % w.ent_a), 404)
        assert_error(w.eb.post("/api/v1/enterprises/%d/risks" % w.ent_a, risk()), 404)
        assert_error(w.expert.post("/api/v1/enterprises/%d/risks" % w.ent_a, risk()), 403)
        assert_error(w.other_office.get("/api/v1/enterprises/%d/risks" % w.ent_a), 404)
    finally:
        s.stop()
