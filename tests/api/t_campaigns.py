"""Campaigns and the import of a schedule table 序时进度表: seed 003's whole table
(44 numbered tasks) from CSV, a merged-cell xlsx, deadlines read or reported,
responsible units matched to departments or listed, and scope."""
import io
import os
import zipfile

from qltest import NOW, Server, World, assert_error, cli_ok, fresh_db

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURE = os.path.join(HERE, "..", "fixtures", "seed003_schedule.csv")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CAMPAIGN = {"doc_number": "岫安委〔2024〕5号", "title": "岫岩县安全生产治本攻坚三年行动",
            "region_code": "210323", "starts_on": "2024-01-01", "ends_on": "2026-12-31"}


def tiny_png():
    import struct
    import zlib

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + bytes((x * 7 + y) & 255 for x in range(48)) for y in range(12))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 16, 12, 8, 2, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def multipart(data, name="台账.png"):
    b = "----QinglingEvidence"
    body = ("--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"%s\"\r\n"
            "Content-Type: image/png\r\n\r\n" % (b, name)).encode() + data + ("\r\n--%s--\r\n" % b).encode()
    return body, "multipart/form-data; boundary=" + b


def build():
    db = fresh_db()
    cli_ok("init", "--db", db)
    s = Server(db, now=NOW).start()
    w = World(s, db)
    r = w.county.post("/api/v1/campaigns", CAMPAIGN)
    assert r.status == 201, r
    return s, w, r.json["id"]


def all_tasks(c, cid):
    r = c.get("/api/v1/campaigns/%d/tasks?per_page=100" % cid)
    assert r.status == 200, r
    return {t["no"]: t for t in r.json["items"]}, r.json["total"]


def test_seed_003_schedule_imports_whole():
    s, w, cid = build()
    try:
        body = open(FIXTURE, "rb").read()
        r = w.county.post_raw("/api/v1/campaigns/%d/schedule" % cid, body, "text/csv; charset=utf-8")
        assert r.status == 200, r
        assert r.json["tasks"] == 44 and r.json["requirements"] == 58, r.json
        # one cell names two deadlines: reported, not guessed
        assert [(u["task"], u["text"]) for u in r.json["unparsed_dates"]] == \
            [("38", "2024年底2025年底")], r.json["unparsed_dates"]
        unmatched = r.json["unmatched_units"]
        assert "各负有安全生产监管职责的部门" in unmatched and "县安委会办公室" in unmatched
        assert "县应急管理局" not in unmatched and "县住房城乡建设局" not in unmatched
        assert r.json["rows_without_task"] == []

        tasks, total = all_tasks(w.county, cid)
        assert total == 44 and sorted(tasks, key=int) == [str(n) for n in range(1, 45)]
        t1 = tasks["1"]
        assert t1["section"] == "（一）开展生产经营单位主要负责人安全教育培训行动"
        assert t1["title"].startswith("落实“中央党校主课堂+各地区党校分课堂”同步培训模式")
        assert [q["due"] for q in t1["requirements"]] == ["2024-12-31", "2025-12-31", "2026-12-31"]
        first = t1["requirements"][0]
        assert first["units"][:2] == ["县应急管理局", "县消防救援大队"]
        assert first["unit_departments"][0]["department_id"] == w.dept1
        assert first["unit_departments"][1]["department_id"] is None
        # the merged units cell of the original holds for the task's later rows
        assert t1["requirements"][2]["units"] == first["units"]
        assert tasks["2"]["requirements"][0]["due"] == "2026-12-31"        # a row shifted left
        assert tasks["2"]["section"] == t1["section"]
        assert tasks["14"]["section"] == "（四）开展安全科技支撑和工程治理行动"   # spaces inside words
        for no in ("42", "43", "44"):
            q = tasks[no]["requirements"][0]
            assert q["recurring"] == "yearly" and q["due"] is None, (no, q)
        assert tasks["44"]["section"] == "（八）开展全民安全素质提升行动"
        # importing again replaces the list
        r = w.county.post_raw("/api/v1/campaigns/%d/schedule" % cid, body, "text/csv")
        assert r.status == 200 and all_tasks(w.county, cid)[1] == 44
        assert w.county.get("/api/v1/campaigns/%d" % cid).json["tasks"] == 44
    finally:
        s.stop()


def xlsx(rows, merges):
    """A workbook of one sheet with inline strings and merged ranges."""
    def col(j):
        return "ABCDEFGH"[j]
    cells = []
    for i, row in enumerate(rows, 1):
        cs = "".join('<c r="%s%d" t="inlineStr"><is><t>%s</t></is></c>' % (col(j), i, v)
                     for j, v in enumerate(row) if v)
        cells.append('<row r="%d">%s</row>' % (i, cs))
    sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
             'spreadsheetml/2006/main"><sheetData>%s</sheetData><mergeCells count="%d">%s</mergeCells>'
             '</worksheet>' % ("".join(cells), len(merges),
                               "".join('<mergeCell ref="%s"/>' % m for m in merges)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                   'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
                   'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
                   'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
                   'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
                   'worksheet+xml"/></Types>')
        z.writestr("_rels/.rels",
                   '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
                   '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                   'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
                   '</Relationships>')
        z.writestr("xl/workbook.xml",
                   '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
                   '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                   '<sheets><sheet name="序时进度表" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels",
                   '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
                   '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                   'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
                   '</Relationships>')
        z.writestr("xl/worksheets/sheet1.xml", sheet)
    return out.getvalue()


def test_xlsx_with_merged_cells_and_campaign_year():
    s, w, cid = build()
    try:
        rows = [["某县专项整治序时进度表"],
                ["任务名称", "任务内容", "具体要求", "完成时间", "责任单位", "备注"],
                ["（一）专题一", "1. 任务甲", "要求一", "3月30日前", "县应急管理局、县住房城乡建设局", ""],
                ["", "", "要求二", "长期坚持", "", ""],
                ["", "2. 任务乙", "要求三", "各年度序时推动", "县住房城乡建设局", ""],
                ["（二）专题二", "3. 任务丙", "要求四", "尽快", "某某办公室", ""]]
        body = xlsx(rows, ["A1:F1", "A3:A5", "B3:B4", "E3:E4"])
        r = w.county.post_raw("/api/v1/campaigns/%d/schedule" % cid, body, XLSX)
        assert r.status == 200, r
        assert (r.json["tasks"], r.json["requirements"]) == (3, 4), r.json
        assert [u["text"] for u in r.json["unparsed_dates"]] == ["尽快"]
        assert r.json["unmatched_units"] == ["某某办公室"]
        tasks, _ = all_tasks(w.reg1, cid)
        assert [q["due"] for q in tasks["1"]["requirements"]] == ["2024-03-30", None]
        assert tasks["1"]["requirements"][1]["units"] == ["县应急管理局", "县住房城乡建设局"]
        assert tasks["2"]["section"] == "（一）专题一" and tasks["3"]["section"] == "（二）专题二"
        assert tasks["2"]["requirements"][0]["recurring"] == "yearly"
    finally:
        s.stop()


def test_campaign_input_and_scope():
    s, w, cid = build()
    try:
        bad = dict(CAMPAIGN, ends_on="2023-12-31")
        assert_error(w.county.post("/api/v1/campaigns", bad), 422, field="ends_on")
        assert_error(w.county.post("/api/v1/campaigns", dict(CAMPAIGN, region_code="210324")),
                     403, field="region_code")
        assert_error(w.town1.post("/api/v1/campaigns", CAMPAIGN), 403, field="region_code")
        assert_error(w.reg1.post("/api/v1/campaigns", CAMPAIGN), 403)
        assert_error(w.county.post("/api/v1/campaigns", dict(CAMPAIGN, starts_on="2024-02-30")),
                     422, field="starts_on")
        # phases with dates: in order, inside the campaign's period
        phases = [{"name": "动员部署", "starts_on": "2024-01-01", "ends_on": "2024-03-31"},
                  {"name": "集中攻坚", "starts_on": "2024-04-01", "ends_on": "2025-12-31"},
                  {"name": "巩固提升", "starts_on": "2026-01-01", "ends_on": "2026-12-31"}]
        r = w.county.post("/api/v1/campaigns", dict(CAMPAIGN, phases=phases))
        assert r.status == 201 and r.json["phases"] == phases, r
        for bad in ([dict(phases[0], ends_on="2027-01-31")], [phases[1], phases[0]],
                    [{"name": "动员部署", "starts_on": "2024-01-01"}], "动员部署"):
            assert_error(w.county.post("/api/v1/campaigns", dict(CAMPAIGN, phases=bad)), 422,
                         field="phases")
        # who sees it: the county, its towns and departments; not the other county
        for c in (w.county, w.town1, w.reg1, w.expert):
            assert c.get("/api/v1/campaigns/%d" % cid).status == 200
            assert cid in [x["id"] for x in c.get("/api/v1/campaigns").json["items"]]
        for c in (w.other_office, w.reg_other):
            assert_error(c.get("/api/v1/campaigns/%d" % cid), 404)
            assert c.get("/api/v1/campaigns").json["total"] == 0
        assert_error(w.ea.get("/api/v1/campaigns"), 403)
        assert w.town1.get("/api/v1/campaigns").json["total"] == 2         # with the phased one
        # only the issuing office imports; the file is checked before anything changes
        path = "/api/v1/campaigns/%d/schedule" % cid
        body = open(FIXTURE, "rb").read()
        assert_error(w.town1.post_raw(path, body, "text/csv"), 403)
        assert_error(w.other_office.post_raw(path, body, "text/csv"), 404)
        assert_error(w.county.post_raw(path, body, "application/pdf"), 415, field="file")
        assert_error(w.county.post_raw(path, "甲,乙\n1,2\n".encode(), "text/csv"), 422, field="file")
        assert_error(w.county.post_raw(path, b"", "text/csv"), 400, field="file")
        assert all_tasks(w.county, cid)[1] == 0
    finally:
        s.stop()


def test_lower_levels_adopt_set_earlier_deadlines_only_and_report_progress():
    s, w, cid = build()
    try:
        body = open(FIXTURE, "rb").read()
        assert w.county.post_raw("/api/v1/campaigns/%d/schedule" % cid, body, "text/csv").status == 200
        r = w.town1.post("/api/v1/campaigns/%d/adopt" % cid, {})
        assert r.status == 201 and r.json["parent_id"] == cid and r.json["tasks"] == 44, r
        town = r.json["id"]
        assert r.json["region_code"] == "210323100"
        assert_error(w.town1.post("/api/v1/campaigns/%d/adopt" % cid, {}), 409)
        assert_error(w.county.post("/api/v1/campaigns/%d/adopt" % cid, {}), 403)
        assert_error(w.other_office.post("/api/v1/campaigns/%d/adopt" % cid, {}), 404)
        # the upper list can no longer be replaced under the lower copies
        assert_error(w.county.post_raw("/api/v1/campaigns/%d/schedule" % cid, body, "text/csv"), 409)

        mine, _ = all_tasks(w.town1, town)
        req = mine["1"]["requirements"][0]
        assert req["due"] == "2024-12-31"
        path = "/api/v1/requirements/%d" % req["id"]
        r = w.town1.patch(path, {"due": "2024-06-30"})
        assert r.status == 200 and r.json["limit"] == "2024-12-31", r
        assert_error(w.town1.patch(path, {"due": "2025-01-31"}), 422, "later_than_parent", "due")
        assert all_tasks(w.town1, town)[0]["1"]["requirements"][0]["due"] == "2024-06-30"
        assert_error(w.county.patch(path, {"due": "2024-03-31"}), 403)
        upper = all_tasks(w.county, cid)[0]["1"]["requirements"][0]
        assert_error(w.town1.patch("/api/v1/requirements/%d" % upper["id"], {"due": "2024-03-31"}), 403)
        # a further requirement of the town's own: no later than the county's task
        add = "/api/v1/tasks/%d/requirements" % mine["1"]["id"]
        assert w.town1.post(add, {"text": "镇级集中培训", "due": "2026-12-31"}).status == 201
        assert_error(w.town1.post(add, {"text": "x", "due": "2027-01-01"}), 422, "later_than_parent", "due")
        assert len(all_tasks(w.town1, town)[0]["1"]["requirements"]) == 4

        # progress: a department on the county's requirement, the town on its copy
        county_tasks = all_tasks(w.county, cid)[0]
        r9 = county_tasks["9"]["requirements"][0]
        assert r9["due"] == "2024-12-31" and r9["reported"] is False and r9["overdue"] is True
        r = w.reg1.post("/api/v1/requirements/%d/progress" % r9["id"], {"percent": 60, "text": "专家库建设中"})
        assert r.status == 201 and r.json["unit"] == "department:%d" % w.dept1, r
        # evidence for the report, from the unit that reported it
        ev = "/api/v1/progress/%d/evidence" % r.json["id"]
        photo = tiny_png()
        body, ct = multipart(photo)
        up = w.reg1.post_raw(ev, body, ct)
        assert up.status == 201 and up.json["kind"] == "photo", up
        assert_error(w.reg2.post_raw(ev, body, ct), 403)
        assert_error(w.other_office.post_raw(ev, body, ct), 404)
        assert_error(w.reg1.post("/api/v1/requirements/%d/progress" % r9["id"],
                                 {"percent": 101, "text": "x"}), 422, field="percent")
        assert_error(w.expert.post("/api/v1/requirements/%d/progress" % r9["id"],
                                   {"percent": 10, "text": "x"}), 403)
        assert_error(w.reg_other.post("/api/v1/requirements/%d/progress" % r9["id"],
                                      {"percent": 10, "text": "x"}), 404)
        assert w.town1.post("/api/v1/requirements/%d/progress" % req["id"],
                            {"percent": 100, "text": "已完成培训"}).status == 201
        county_tasks = all_tasks(w.county, cid)[0]
        r9 = county_tasks["9"]["requirements"][0]
        assert [(p["unit"], p["percent"]) for p in r9["progress"]] == [("department:%d" % w.dept1, 60)]
        evidence = r9["progress"][0]["evidence"]
        assert [e["name"] for e in evidence] == ["台账.png"]
        got = w.county.get(evidence[0]["url"])
        assert got.status == 200 and got.raw == photo
        assert_error(w.other_office.get(evidence[0]["url"]), 404)
        assert r9["reported"] is True and r9["overdue"] is True
        low = county_tasks["1"]["requirements"][0]["lower"]
        assert [(x["region_code"], x["due"], x["percent"]) for x in low] == \
            [("210323100", "2024-06-30", 100)], low
        assert low[0]["region_name"] == "岫岩镇"
    finally:
        s.stop()
