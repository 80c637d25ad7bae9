"""The four lists 四个清单 of a unit in one workbook (one sheet each, Chinese headers,
frozen header row), opened by LibreOffice; quarterly submissions that never change
and count up in versions; the office sees which lower units have submitted."""
import hashlib
import io
import os
import re
import shutil
import subprocess
import zipfile

from qltest import NOW, Server, World, assert_error, cli_ok, fresh_db, hazard_body, tmp_path

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURE = os.path.join(HERE, "..", "fixtures", "seed003_schedule.csv")
RISK = {"risk_point": "液氨储罐区", "hazard_source": "液氨储罐", "accident_types": ["19"], "method": "lec",
        "L": 3, "E": 6, "C": 15, "control_measures": "泄漏报警", "control_level": "company",
        "responsible_person": "王建国"}


def build():
    db = fresh_db()
    cli_ok("init", "--db", db)
    s = Server(db, now=NOW, data=tmp_path("lists-%s" % os.path.basename(db))).start()
    w = World(s, db)
    assert w.ea.post("/api/v1/enterprises/%d/risks" % w.ent_a, RISK).status == 201
    assert w.eb.post("/api/v1/enterprises/%d/risks" % w.ent_b, dict(RISK, L=6)).status == 201
    assert w.ea.post("/api/v1/hazards", hazard_body(w.ent_a)).status == 201
    assert w.eb.post("/api/v1/hazards", hazard_body(w.ent_b)).status == 201
    cid = w.county.post("/api/v1/campaigns", {"doc_number": "岫安委〔2024〕5号", "title": "治本攻坚三年行动",
                                              "region_code": "210323", "starts_on": "2024-01-01",
                                              "ends_on": "2026-12-31"}).json["id"]
    r = w.county.post_raw("/api/v1/campaigns/%d/schedule" % cid, open(FIXTURE, "rb").read(), "text/csv")
    assert r.status == 200, r
    for c, title in ((w.county, "县级重大事故隐患判定标准汇编"), (w.town1, "镇级包保责任制度"),
                     (w.reg1, "应急系统执法检查台账")):
        r = c.post("/api/v1/outcomes", {"kind": "institutional", "title": title, "date": "2026-03-01"})
        assert r.status == 201, r
    return s, w


def sheets(data):
    z = zipfile.ZipFile(io.BytesIO(data))
    names = re.findall(r'<sheet name="([^"]+)"', z.read("xl/workbook.xml").decode())
    strings = re.findall(r"<t[^>]*>([^<]*)</t>", z.read("xl/sharedStrings.xml").decode())
    frozen = all('state="frozen"' in z.read("xl/worksheets/sheet%d.xml" % (i + 1)).decode()
                 for i in range(len(names)))
    rows = [len(re.findall(r"<row ", z.read("xl/worksheets/sheet%d.xml" % (i + 1)).decode()))
            for i in range(len(names))]
    return names, strings, frozen, rows


def test_four_lists_in_one_workbook_that_libreoffice_opens():
    s, w = build()
    try:
        r = w.county.get("/api/v1/lists/export")
        assert r.status == 200 and "spreadsheetml" in r.header("Content-Type"), r
        names, strings, frozen, rows = sheets(r.raw)
        assert names == ["风险清单", "隐患问题清单", "任务措施清单", "成果清单"] and frozen
        for head in ("风险点", "风险等级", "隐患编号", "整改期限", "具体要求", "责任单位", "成果类型"):
            assert head in strings, head
        assert rows == [3, 3, 59, 2], rows          # header + 2 risks, 2 hazards, 58 requirements, 1
        assert "较大风险" in strings and "重大风险" in strings and "县级重大事故隐患判定标准汇编" in strings
        # a department's lists: what it supervises and is responsible for
        names, strings, _, rows = sheets(w.reg1.get("/api/v1/lists/export").raw)
        assert rows[0] == 2 and rows[1] == 2 and rows[3] == 2 and rows[2] > 1, rows
        assert "应急系统执法检查台账" in strings
        town = sheets(w.county.get("/api/v1/lists/export?unit=region:210323100").raw)[3]
        assert town[:2] == [2, 2] and town[2] == 1                    # no campaign of its own
        # a voided hazard was none: it leaves the hazard list
        hid = w.ea.get("/api/v1/hazards").json["items"][0]["id"]
        r = w.reg1.post("/api/v1/hazards/%d/transitions" % hid, {"action": "void", "reason": "重复登记"})
        assert r.status == 200, r
        assert sheets(w.county.get("/api/v1/lists/export").raw)[3][1] == 2
        # LibreOffice (installed by scripts/bootstrap) opens it
        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        assert soffice, "LibreOffice is not installed"
        path = tmp_path("four-lists.xlsx")
        open(path, "wb").write(w.county.get("/api/v1/lists/export").raw)
        subprocess.run([soffice, "-env:UserInstallation=file://" + tmp_path("lo-lists"), "--headless",
                        "--convert-to", "pdf", "--outdir", tmp_path("lo-lists-out"), path],
                       capture_output=True, check=True, timeout=180)
        text = subprocess.run(["pdftotext", tmp_path("lo-lists-out/four-lists.pdf"), "-"],
                              capture_output=True, check=True).stdout.decode()
        for head in ("风险点", "隐患编号", "具体要求", "成果类型"):
            assert head in text, head
        from qltest import artifact_path
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "3",
                        tmp_path("lo-lists-out/four-lists.pdf"), artifact_path("four-lists-libreoffice")],
                       check=True)
    finally:
        s.stop()


def test_submissions_are_versioned_and_never_change():
    s, w = build()
    try:
        r = w.town1.post("/api/v1/lists/snapshots", {"quarter": "2026Q1"})
        assert r.status == 201 and r.json["version"] == 1, r
        assert r.json["counts"] == {"risks": 1, "hazards": 1, "requirements": 0, "outcomes": 1}
        first, first_sha = r.json["id"], r.json["sha256"]
        assert w.ea.post("/api/v1/enterprises/%d/risks" % w.ent_a, RISK).status == 201
        r = w.town1.post("/api/v1/lists/snapshots", {"quarter": "2026Q1"})
        assert r.status == 201 and r.json["version"] == 2 and r.json["counts"]["risks"] == 2, r
        assert r.json["sha256"] != first_sha
        got = w.town1.get("/api/v1/lists/snapshots/%d" % first)
        assert got.status == 200 and hashlib.sha256(got.raw).hexdigest() == first_sha
        assert sheets(got.raw)[3][0] == 2                 # the first version: one risk
        for method in ("PUT", "DELETE", "PATCH"):
            assert w.town1.request(method, "/api/v1/lists/snapshots/%d" % first).status == 405
        assert w.county.get("/api/v1/lists/snapshots/%d" % first).status == 200   # the level above
        assert_error(w.other_office.get("/api/v1/lists/snapshots/%d" % first), 404)
        assert_error(w.reg1.get("/api/v1/lists/snapshots/%d" % first), 404)
        assert_error(w.town1.post("/api/v1/lists/snapshots", {"quarter": "2026Q5"}), 422, field="quarter")

        # the county sees who has submitted for the quarter
        assert w.reg1.post("/api/v1/lists/snapshots", {"quarter": "2026Q1"}).status == 201
        st = w.county.get("/api/v1/lists/snapshots?quarter=2026Q1").json
        got = {u["unit"]: (u["submitted"], u.get("version")) for u in st["units"]}
        assert got == {"region:210323100": (True, 2), "region:210323101": (False, None),
                       "department:%d" % w.dept1: (True, 1), "department:%d" % w.dept2: (False, None)}
        assert st["missing"] == 2 and st["own"]["submitted"] is False
        assert_error(w.county.get("/api/v1/lists/snapshots?quarter=2026-1"), 400, field="quarter")
        assert_error(w.reg1.get("/api/v1/lists/snapshots?quarter=2026Q1"), 403)
    finally:
        s.stop()


def test_list_scope_and_outcome_input():
    s, w = build()
    try:
        assert_error(w.town1.get("/api/v1/lists/export?unit=region:210323"), 404, field="unit")
        assert_error(w.other_office.get("/api/v1/lists/export?unit=region:210323"), 404)
        assert_error(w.reg1.get("/api/v1/lists/export?unit=region:210323100"), 404)
        assert_error(w.reg1.get("/api/v1/lists/export?unit=department:%d" % w.dept2), 404)
        assert_error(w.county.get("/api/v1/lists/export?unit=region:999999"), 404)
        assert w.county.get("/api/v1/lists/export?unit=department:%d" % w.dept2).status == 200
        assert_error(w.ea.get("/api/v1/lists/export"), 403)
        for body, field in [({"kind": "award", "title": "x", "date": "2026-03-01"}, "kind"),
                            ({"kind": "other", "title": "", "date": "2026-03-01"}, "title"),
                            ({"kind": "other", "title": "x", "date": "2026-03-11"}, "date"),
                            ({"kind": "other", "title": "x", "date": "2026-03-01", "campaign_id": 999},
                             "campaign_id")]:
            assert_error(w.county.post("/api/v1/outcomes", body), 422, field=field)
    finally:
        s.stop()
