"""The exact counters behind lists and statistics at province scale
(hazard_counts, the stored overdue flag): after every kind of write they
agree with the hazards themselves, and every list page and statistic read
through them is what a full count of the hazards says."""
import datetime
import itertools
import time

from qltest import (GENERAL_PLAN, MAJOR_PLAN, NOW, Server, World, cli_ok, fresh_db,
                    hazard_body, sql)

OPEN = "('open', 'rectifying', 'awaiting_acceptance', 'awaiting_verification')"
REGIONS = ["21", "2103", "210323", "210323100", "210323101", "210324", "210324100"]


def rows(db, statement):
    out = sql(db, statement)
    return sorted(tuple(line.split("|")) for line in out.splitlines() if line)


def check_table(db, today, regions=REGIONS):
    """Every counter row against a count of the hazards: each region's own
    hazards and its subtree's, by level, source, status and overdue."""
    own = rows(db, "SELECT region_code, level, source, status, overdue, n FROM hazard_counts"
                   " WHERE own = 1 AND n <> 0")
    want = rows(db, "SELECT region_code, level, source, status, overdue, count(*) FROM hazards"
                    " GROUP BY region_code, level, source, status, overdue")
    assert own == want, (own, want)
    for r in regions:
        got = rows(db, "SELECT level, source, status, overdue, n FROM hazard_counts"
                       " WHERE own = 0 AND region_code = '%s' AND n <> 0" % r)
        want = rows(db, "SELECT level, source, status, overdue, count(*) FROM hazards"
                        " WHERE region_code LIKE '%s%%' GROUP BY level, source, status, overdue"
                        % r)
        assert got == want, (r, got, want)
    # the stored flag is the deadline compared with the server's day
    wrong = sql(db, "SELECT count(*) FROM hazards WHERE overdue <> CASE WHEN status IN %s AND"
                    " deadline < '%s' THEN 1 ELSE 0 END" % (OPEN, today))
    assert wrong == "0", wrong


FILTERS = [{}, {"status": "rectifying"}, {"level": "major"}, {"overdue": "true"},
           {"overdue": "false"}, {"source": "self"}, {"status": "open", "level": "general"},
           {"region": "210323101"}, {"region": "210323100", "status": "closed"},
           {"region": "210324"}]


def sql_where(scope_prefix, f, today):
    w = ["region_code LIKE '%s%%'" % scope_prefix]
    if "region" in f:
        w.append("region_code LIKE '%s%%'" % f["region"])
    for k in ("status", "level", "source"):
        if k in f:
            w.append("%s = '%s'" % (k, f[k]))
    if f.get("overdue") == "true":
        w.append("status IN %s AND deadline < '%s'" % (OPEN, today))
    if f.get("overdue") == "false":
        w.append("(status NOT IN %s OR deadline IS NULL OR deadline >= '%s')" % (OPEN, today))
    return " AND ".join(w)


def check_reads(w, today):
    """Lists (total and the ids of each page, newest first) and statistics
    through the API, for offices at three levels, against the hazards."""
    for client, prefix in [(w.county, "210323"), (w.town1, "210323100"),
                           (w.other_office, "210324")]:
        for f in FILTERS:
            where = sql_where(prefix, f, today)
            total = int(sql(w.db, "SELECT count(*) FROM hazards WHERE " + where))
            ids = [int(x) for x in sql(w.db, "SELECT id FROM hazards WHERE " + where +
                                       " ORDER BY id DESC").split()]
            query = "&".join("%s=%s" % kv for kv in f.items())
            for page, per in [(1, 20), (1, 3), (2, 3), (4, 2)]:
                r = client.get("/api/v1/hazards?%s&page=%d&per_page=%d" % (query, page, per))
                assert r.status == 200, r
                assert r.json["total"] == total, (prefix, f, r.json["total"], total)
                got = [h["id"] for h in r.json["items"]]
                assert got == ids[(page - 1) * per:page * per], (prefix, f, page, got, ids)
        for group, expr in [("region", None), ("level", "level"), ("status", "status"),
                            ("source", "source")]:
            if expr is None:
                n = len(prefix) + (2 if len(prefix) < 6 else 3)
                expr = "substr(region_code, 1, %d)" % n
            want = rows(w.db, "SELECT %s, count(*), sum(CASE WHEN status = 'closed' THEN 1 ELSE 0"
                              " END), sum(CASE WHEN status IN %s AND deadline < '%s' THEN 1 ELSE"
                              " 0 END) FROM hazards WHERE status <> 'void' AND region_code LIKE"
                              " '%s%%' GROUP BY %s" % (expr, OPEN, today, prefix, expr))
            g = client.get("/api/v1/stats/hazards?group_by=" + group).json["groups"]
            got = sorted((x["key"], str(x["total"]), str(x["closed"]), str(x["overdue"]))
                         for x in g)
            assert got == want, (prefix, group, got, want)


def flags_current(db, day):
    """Whether the overdue job has marked the flags for the day (the reads
    then come from the counters and the flags, not from a scan)."""
    y, m, d = (int(x) for x in day.split("-"))
    n = (datetime.date(y, m, d) - datetime.date(1970, 1, 1)).days
    v = sql(db, "SELECT value FROM settings WHERE key = 'overdue_marked_day'")
    return v == str(n)


def wait_for(cond, seconds=30):
    end = time.time() + seconds
    while not cond():
        assert time.time() < end, "timed out"
        time.sleep(0.2)


def transition(client, hid, body):
    r = client.post("/api/v1/hazards/%d/transitions" % hid, body)
    assert r.status == 200, r
    return r


def test_counters_agree_with_the_hazards_after_every_kind_of_write():
    db = fresh_db()
    cli_ok("init", "--db", db)
    s = Server(db, now=NOW).start()  # 2026-03-10
    try:
        w = World(s, db)
        today = "2026-03-10"
        made = []
        for client, reg, ent in [(w.ea, w.reg1, w.ent_a), (w.eb, w.reg2, w.ent_b)]:
            for level, source in itertools.product(["general", "major"],
                                                   ["self", "inspection"]):
                body = hazard_body(ent, level=level, source=source)
                # the department finds what its inspections find
                r = (reg if source == "inspection" else client).post("/api/v1/hazards", body)
                assert r.status == 201, r
                made.append((client, r.json["id"], level))
        other = w.reg_other.post("/api/v1/hazards", hazard_body(w.ent_c, source="inspection"))
        assert other.status == 201, other
        on_spot = w.ea.post("/api/v1/hazards", hazard_body(w.ent_a, rectified_on_spot=True))
        assert on_spot.status == 201 and on_spot.json["status"] == "closed", on_spot
        check_table(db, today)
        check_reads(w, today)
        # planned with deadlines before and after today's date
        for i, (client, hid, level) in enumerate(made):
            plan = dict(MAJOR_PLAN if level == "major" else GENERAL_PLAN)
            plan["deadline"] = "2026-03-12" if i % 2 else "2026-03-11"
            transition(client, hid, plan)
        transition(made[0][0], made[0][1], {"action": "submit", "note": "完成"})
        transition(made[0][0], made[0][1], {"action": "accept", "acceptor": "张三"})
        r = w.reg2.post("/api/v1/hazards/%d/transitions" % made[5][1],
                        {"action": "void", "reason": "重复登记"})
        assert r.status == 200, r
        check_table(db, today)
        check_reads(w, today)
        # an enterprise moved to the other town takes its hazards along
        r = w.county.patch("/api/v1/enterprises/%d" % w.ent_b, {"region_code": "210323100"})
        assert r.status == 200, r
        assert sql(db, "SELECT DISTINCT region_code FROM hazards WHERE enterprise_id = %d"
                   % w.ent_b) == "210323100"
        check_table(db, today)
        check_reads(w, today)
    finally:
        s.stop()
    # days later: the deadlines have passed; the job marks the flags
    s = Server(db, now="2026-03-13T02:00:00Z").start()
    try:
        w.rebind(s)
        today = "2026-03-13"
        check_reads(w, today)  # exact before the job has run, from the dates
        wait_for(lambda: flags_current(db, today))
        check_table(db, today)
        check_reads(w, today)
        assert int(sql(db, "SELECT count(*) FROM hazards WHERE overdue = 1")) >= 6
        # closing an overdue hazard clears the flag and moves the counters
        # made[1] was found by reg1's inspection: that department accepts it
        client, hid, _ = made[1]
        transition(client, hid, {"action": "submit", "note": "完成"})
        assert transition(w.reg1, hid, {"action": "accept", "acceptor": "张三"}).json[
            "overdue"] is False
        assert sql(db, "SELECT overdue FROM hazards WHERE id = %d" % hid) == "0"
        check_table(db, today)
        check_reads(w, today)
    finally:
        s.stop()


def test_counters_are_filled_from_existing_hazards_when_the_table_is_made():
    """A database from before the counters: migration 0010 counts what is
    there; the same numbers a rebuild gives."""
    db = fresh_db()
    cli_ok("init", "--db", db)
    s = Server(db, now=NOW).start()
    try:
        w = World(s, db)
        for _ in range(3):
            assert w.ea.post("/api/v1/hazards", hazard_body(w.ent_a)).status == 201
        assert w.eb.post("/api/v1/hazards", hazard_body(w.ent_b, level="major")).status == 201
    finally:
        s.stop()
    # as if the table had just been made by the migration
    sql(db, "DELETE FROM hazard_counts")
    sql(db, "DELETE FROM schema_migrations WHERE version = 10")
    for stmt in ["DROP TABLE hazard_counts", "DROP INDEX hazards_status_id",
                 "DROP INDEX hazards_overdue_id", "DROP INDEX hazards_due",
                 "DROP INDEX hazards_major", "DROP INDEX hazards_region",
                 "DROP INDEX inspections_spot", "DROP INDEX enforcement_kind",
                 "CREATE INDEX hazards_region ON hazards(region_code, status, found_on)",
                 "ALTER TABLE hazards DROP COLUMN overdue"]:
        sql(db, stmt)
    cli_ok("init", "--db", db)
    check_table(db, "2026-03-10")
