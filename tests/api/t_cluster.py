"""Several servers, one database: two `qingling serve` processes on the same
database behind nginx (round robin) on loopback.  Sessions work whichever
server answers; the periodic jobs run once however many servers run them, and
on PostgreSQL the advisory lock is what decides which server runs a job."""
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time

from qltest import (CONFIG, GENERAL_PLAN, NOW, PASSWORD, Client, Server, World, assert_error,
                    cli, cli_ok, fresh_db, hazard_body, sql)

# The server clock of the jobs tests: 2026-03-22 in Asia/Shanghai.
LATER = "2026-03-22T02:00:00Z"
# jobs[] in src/api/jobs.c: the lock key of the reminders job.
REMINDERS_LOCK = 0x514C000000000001


def wait_for(what, fn, timeout=60):
    """Polls fn until it returns something true; fails naming what after timeout."""
    deadline = time.time() + timeout
    while True:
        v = fn()
        if v:
            return v
        assert time.time() < deadline, "timed out waiting for " + what
        time.sleep(0.1)


def nginx_binary():
    found = shutil.which("nginx") or "/usr/sbin/nginx"
    assert os.access(found, os.X_OK), "nginx not installed (scripts/bootstrap)"
    return found


class Nginx:
    """nginx on a free loopback port with the servers as one round-robin
    upstream; config, logs and temporary files in a directory of its own.
    The access log names the upstream that answered each request."""

    def __init__(self, servers):
        self.dir = tempfile.mkdtemp(prefix="qingling-nginx-")
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        self.port = s.getsockname()[1]
        s.close()
        d = self.dir
        upstreams = "".join("        server 127.0.0.1:%d;\n" % sv.port for sv in servers)
        # As root nginx would hand its workers to an unprivileged user, who
        # could not enter this private directory.
        user = "user root root;\n" if os.getuid() == 0 else ""
        conf = """%(user)sworker_processes 1;
pid %(d)s/nginx.pid;
error_log %(d)s/error.log;
events { worker_connections 256; }
http {
    log_format upstream '$upstream_addr $status "$request"';
    access_log %(d)s/access.log upstream;
    client_body_temp_path %(d)s/client_body;
    proxy_temp_path %(d)s/proxy;
    fastcgi_temp_path %(d)s/fastcgi;
    uwsgi_temp_path %(d)s/uwsgi;
    scgi_temp_path %(d)s/scgi;
    upstream qingling {
%(upstreams)s    }
    server {
        listen 127.0.0.1:%(port)d;
        location / {
            proxy_pass http://qingling;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        }
    }
}
""" % {"user": user, "d": d, "upstreams": upstreams, "port": self.port}
        with open(os.path.join(d, "nginx.conf"), "w") as f:
            f.write(conf)
        self.proc = None

    def start(self):
        d = self.dir
        self.proc = subprocess.Popen(
            [nginx_binary(), "-p", d, "-c", os.path.join(d, "nginx.conf"), "-e",
             os.path.join(d, "error.log"), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

        def up():
            assert self.proc.poll() is None, "nginx exited: " + self.read("error.log")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return True
            except OSError:
                return False
        wait_for("nginx to listen", up, timeout=15)
        return self

    def read(self, name):
        try:
            with open(os.path.join(self.dir, name)) as f:
                return f.read()
        except OSError:
            return ""

    def answered(self):
        """[(upstream port, status, request line)] of every request so far."""
        rows = []
        for line in self.read("access.log").splitlines():
            m = re.match(r'127\.0\.0\.1:(\d+) (\d+) "(.*)"$', line)
            assert m, "unexpected access log line: %r" % line
            rows.append((int(m.group(1)), int(m.group(2)), m.group(3)))
        return rows

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGQUIT)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.dir, ignore_errors=True)

    def client(self):
        return Client(self.port)


def cookie_login(port, login):
    c = Client(port)
    r = c.post("/api/v1/session", {"login": login, "password": PASSWORD})
    assert r.status == 200 and c.cookie, "login %s: %r" % (login, r)
    c.csrf = r.json["csrf_token"]
    return c


def two_servers(now=NOW, jobs_interval=None):
    """A database with the usual world, and two servers on it."""
    db = fresh_db()
    cli_ok("init", "--db", db)
    a = Server(db, now=now, jobs_interval=jobs_interval).start()
    b = Server(db, now=now, jobs_interval=jobs_interval).start()
    return db, a, b, World(a, db)


def test_sessions_and_writes_through_nginx_reach_both_servers():
    db, a, b, w = two_servers()
    ngx = Nginx([a, b]).start()
    try:
        c = cookie_login(ngx.port, "ent_a")
        for _ in range(6):
            r = c.get("/api/v1/session")
            assert r.status == 200 and r.json["user"]["login"] == "ent_a", r
            r = c.get("/api/v1/hazards")
            assert r.status == 200, r
        created = []
        for i in range(4):
            r = c.post("/api/v1/hazards", hazard_body(w.ent_a, location="%d号车间" % (i + 1)))
            assert r.status == 201, r
            created.append(r.json["id"])
        # Each hazard is visible through either server, right after its 201.
        for hid in created:
            r = c.get("/api/v1/hazards/%d" % hid)
            assert r.status == 200 and r.json["id"] == hid, r
        # Without the CSRF token a write is refused whichever server gets it.
        for _ in range(2):
            r = c.post("/api/v1/hazards", hazard_body(w.ent_a), csrf=False)
            assert r.status == 403 and r.error.get("code") == "csrf", r
        assert sql(db, "SELECT count(*) FROM hazards") == "4"

        rows = wait_for("the access log", lambda: len(ngx.answered()) >= 23 and ngx.answered())
        api = [(port, status) for port, status, req in rows if " /api/" in req]
        assert len(api) == 23, rows
        by = {a.port: [], b.port: []}
        for port, status in api:
            assert port in by, rows
            by[port].append(status)
        # Round robin: both servers answered, each some of the cookie
        # reads and some of the writes.
        for port, statuses in by.items():
            assert 200 in statuses and 201 in statuses, (port, rows)
    finally:
        ngx.stop()
        a.stop()
        b.stop()


def test_session_from_one_server_is_good_on_the_other_and_ends_on_both():
    db, a, b, w = two_servers()
    try:
        on_a = cookie_login(a.port, "ent_a")
        on_b = b.client()
        on_b.cookie, on_b.csrf = on_a.cookie, on_a.csrf
        r = on_b.get("/api/v1/session")
        assert r.status == 200 and r.json["user"]["login"] == "ent_a", r
        r = on_b.post("/api/v1/hazards", hazard_body(w.ent_a))
        assert r.status == 201, r
        assert on_a.get("/api/v1/hazards/%d" % r.json["id"]).status == 200

        r = on_b.delete("/api/v1/session")
        assert r.status == 200, r
        r = on_a.get("/api/v1/session")
        assert r.status == 401, r
        r = on_a.post("/api/v1/hazards", hazard_body(w.ent_a))
        assert r.status == 401, r
        assert sql(db, "SELECT count(*) FROM hazards") == "1"
    finally:
        a.stop()
        b.stop()


def test_wrong_passwords_at_both_servers_at_once_all_count_towards_lockout():
    db, a, b, w = two_servers()
    try:
        # Five failures (the default threshold) at the same moment, spread
        # over both servers: none may be lost, so the account locks.
        answers = []

        def attempt(port):
            answers.append(Client(port).post("/api/v1/session",
                                             {"login": "ent_a", "password": "Wrong-pass1"}))
        threads = [threading.Thread(target=attempt, args=((a, b)[i % 2].port,)) for i in range(5)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert len(answers) == 5 and all(r.status == 401 for r in answers), answers
        assert_error(Client(b.port).post("/api/v1/session", {"login": "ent_a", "password": PASSWORD}),
                     429, code="account_locked")
        assert int(sql(db, "SELECT count(*) FROM audit_log WHERE action = 'session.login_failed'"
                           " AND outcome LIKE 'wrong_password%'")) == 5
    finally:
        a.stop()
        b.stop()


def due_hazards(w):
    """Hazards in every situation the reminders job tells apart, made at NOW
    (2026-03-10).  Returns {hazard id: expected days overdue} of those due on
    LATER (2026-03-22): deadline within three days or past, still open."""
    def hazard(client, ent, steps):
        hid = client.post("/api/v1/hazards", hazard_body(ent)).json["id"]
        for body in steps:
            r = client.post("/api/v1/hazards/%d/transitions" % hid, body)
            assert r.status == 200, r
        return hid

    def plan(deadline):
        return dict(GENERAL_PLAN, deadline=deadline)
    submit = {"action": "submit", "note": "已整改"}
    accept = {"action": "accept", "acceptor": "张三"}
    due = {
        hazard(w.ea, w.ent_a, [plan("2026-03-20")]): 2,
        hazard(w.ea, w.ent_a, [plan("2026-03-20"), submit]): 2,
        hazard(w.ea, w.ent_a, [plan("2026-03-24")]): -2,
        hazard(w.ea, w.ent_a, [plan("2026-03-22")]): 0,
        hazard(w.eb, w.ent_b, [plan("2026-03-15")]): 7,
    }
    hazard(w.ea, w.ent_a, [plan("2026-03-31")])            # not yet due
    hazard(w.ea, w.ent_a, [plan("2026-03-20"), submit, accept])  # closed
    hazard(w.ea, w.ent_a, [])                                # open, no deadline
    return due


def test_jobs_run_once_across_servers():
    db = fresh_db()
    cli_ok("init", "--db", db)
    s = Server(db, now=NOW, jobs_interval=0).start()
    w = World(s, db)
    due = due_hazards(w)
    s.stop()
    assert sql(db, "SELECT count(*) FROM job_runs") == "0"

    holder = None
    if CONFIG["backend"] == "pg":
        # Hold the reminders job's advisory lock from a connection of our own.
        holder = subprocess.Popen(["psql", db, "-qAt", "-v", "ON_ERROR_STOP=1"],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        holder.stdin.write("SELECT 'held' FROM (SELECT pg_advisory_lock(%d)) l;\n"
                           % REMINDERS_LOCK)
        holder.stdin.flush()
        assert holder.stdout.readline().strip() == "held"
    a = Server(db, now=LATER, jobs_interval=1).start()
    b = Server(db, now=LATER, jobs_interval=1).start()
    servers = {a.proc.pid: a, b.proc.pid: b}
    try:
        if holder:
            # Both servers try, find the lock taken and do nothing.
            for sv in (a, b):
                wait_for("a skipped round", lambda: "reminders 本轮跳过" in sv.log_text())
            assert sql(db, "SELECT count(*) FROM job_runs") == "0"
            assert sql(db, "SELECT count(*) FROM notification_outbox") == "0"
            holder.stdin.close()
            holder.wait(10)
            holder = None

        ran = wait_for("the day's run", lambda: sql(
            db, "SELECT job || ' ' || day || ' ' || instance FROM job_runs WHERE done = 1"))
        job, day, instance = ran.split(" ")
        assert job == "reminders" and day == "2026-03-22", ran
        pid = int(instance.rsplit(":", 1)[1])
        assert pid in servers, (instance, servers)
        other = b if servers[pid] is a else a
        # The other server has had its rounds since, and found the day done.
        wait_for("the other server's round",
                 lambda: "reminders 今日已由其他实例运行" in other.log_text())
        assert "reminders 已运行" in servers[pid].log_text()
        assert "reminders 已运行" not in other.log_text()

        assert sql(db, "SELECT count(*) FROM job_runs") == "1"
        rows = sql(db, "SELECT hazard_id, recipient, name, phone, message FROM notification_outbox"
                       " WHERE kind = 'deadline_reminder' ORDER BY hazard_id")
        got = {}
        for line in rows.splitlines():
            hid, recipient, name, phone, message = line.split("|")
            assert int(hid) not in got, "two reminders for hazard %s:\n%s" % (hid, rows)
            got[int(hid)] = message
            assert recipient == "main_person" and name == "张三" and phone == "13800000001", line
        assert sorted(got) == sorted(due), (rows, due)
        for hid, days in due.items():
            code = sql(db, "SELECT code FROM hazards WHERE id = %d" % hid)
            msg = got[hid]
            assert msg.startswith("【清零】隐患%s（一号车间）整改期限为" % code), msg
            if days > 0:
                assert "已逾期%d天" % days in msg, msg
            elif days == 0:
                assert "整改期限为今天（2026-03-22）" in msg, msg
            else:
                assert "还有%d天到期" % -days in msg, msg

        # The overdue job (every round, on both servers) marked the three
        # overdue hazards once: the exact counters agree with the rows.
        overdue = sorted(h for h, days in due.items() if days > 0)
        wait_for("the overdue flags", lambda: sql(
            db, "SELECT count(*) FROM hazards WHERE overdue = 1") == str(len(overdue)))
        assert sql(db, "SELECT id FROM hazards WHERE overdue = 1 ORDER BY id").split() == \
            [str(h) for h in overdue]
        assert sql(db, "SELECT sum(n) FROM hazard_counts WHERE own = 1 AND overdue = 1") == "3"
        for sv in (a, b):
            st = sv.client(w.county.bearer).get("/api/v1/stats/hazards?group_by=status").json
            assert sum(g["overdue"] for g in st["groups"]) == 3, st
            st = sv.client(w.eb.bearer).get("/api/v1/stats/hazards?group_by=status").json
            assert sum(g["overdue"] for g in st["groups"]) == 1, st
    finally:
        if holder:
            holder.kill()
            holder.wait()
        a.stop()
        b.stop()


# api/jobs.c REMIND_BATCH: the reminders of one transaction.
REMIND_BATCH = 2000
OPEN = "('open', 'rectifying', 'awaiting_acceptance', 'awaiting_verification')"


def due_in_province(db, statuses=OPEN):
    """The ids of the hazards due on LATER (open, deadline by 2026-03-25)."""
    return sql(db, "SELECT id FROM hazards WHERE status IN %s AND deadline <= '2026-03-25'"
                   " ORDER BY id" % statuses).split()


def reminded(db):
    ids = sql(db, "SELECT hazard_id FROM notification_outbox WHERE kind = 'deadline_reminder'"
                  " ORDER BY hazard_id").split()
    assert len(ids) == len(set(ids)), "a hazard reminded twice"
    return ids


def test_reminders_of_a_province_go_in_batches_each_hazard_once():
    db = fresh_db()
    cli_ok("init", "--db", db)
    cli_ok("generate", "--db", db, "--enterprises", "400", "--hazards", "15000", now=LATER)
    due = due_in_province(db)
    assert len(due) > 2 * REMIND_BATCH, len(due)  # so the day takes several batches
    # Two servers take the batches, each under the job's lock.
    a = Server(db, now=LATER, jobs_interval=1).start()
    b = Server(db, now=LATER, jobs_interval=1).start()
    try:
        wait_for("the day done", lambda: sql(
            db, "SELECT count(*) FROM job_runs WHERE job = 'reminders' AND done = 1") == "1")
        assert reminded(db) == due
        assert sql(db, "SELECT resume_at IS NULL FROM job_runs") in ("1", "t")
    finally:
        a.stop()
        b.stop()


def test_reminders_cut_short_go_on_from_the_last_batch():
    db = fresh_db()
    cli_ok("init", "--db", db)
    cli_ok("generate", "--db", db, "--enterprises", "100", "--hazards", "3000", now=LATER)
    # A server stopped after the day's batches of hazards open or in
    # rectification: its record says the next batch starts with the first
    # hazard awaiting acceptance.
    sql(db, "INSERT INTO job_runs (job, day, ran_at, instance, resume_at, done)"
            " VALUES ('reminders', '2026-03-22', 0, 'gone:1', 'awaiting_acceptance||0', 0)")
    s = Server(db, now=LATER, jobs_interval=1).start()
    try:
        wait_for("the day done", lambda: sql(
            db, "SELECT count(*) FROM job_runs WHERE done = 1") == "1")
        rest = due_in_province(db, "('awaiting_acceptance', 'awaiting_verification')")
        assert rest and len(rest) < len(due_in_province(db))
        assert reminded(db) == rest
    finally:
        s.stop()
    # A day done is not done again.
    s = Server(db, now=LATER, jobs_interval=1).start()
    try:
        wait_for("a round", lambda: "reminders 今日已由其他实例运行" in s.log_text())
        assert reminded(db) == rest
    finally:
        s.stop()


def test_jobs_interval_is_checked_and_zero_runs_no_jobs():
    db = fresh_db()
    cli_ok("init", "--db", db)
    for bad in ("-1", "x", "86401", ""):
        rc, out, err = cli("serve", "--db", db, "--listen", "127.0.0.1:1", "--jobs-interval", bad)
        assert rc != 0 and "--jobs-interval" in err, (bad, err)
    s = Server(db, now=LATER, jobs_interval=0).start()
    try:
        World(s, db)
    finally:
        s.stop()
    assert "定时任务" not in s.log_text()
    assert sql(db, "SELECT count(*) FROM job_runs") == "0"


# --- the client's address behind a proxy -------------------------------------------------

TIP = {"region_code": "210323100", "description": "无证焊接", "place": "某厂", "anonymous": True}


def tip_from(client, forwarded):
    """A public tip-off sent with X-Forwarded-For: forwarded; its answer."""
    return client.post("/api/v1/tips", TIP, headers={"X-Forwarded-For": forwarded})


def test_behind_a_trusted_proxy_the_forwarded_client_is_recorded_and_limited():
    db = fresh_db()
    cli_ok("init", "--db", db)
    # the tests' own address stands for the proxy
    with Server(db, now=NOW, extra=["--trusted-proxy", "10.0.0.9,127.0.0.1"]) as s:
        World(s, db)  # the regions a tip-off names
        pub = s.client()
        cases = [("203.0.113.7", "203.0.113.7"),
                 # each proxy appends the address it was reached from
                 ("198.51.100.1, 127.0.0.1", "198.51.100.1"),
                 ("192.0.2.5, 198.51.100.2 ,10.0.0.9", "198.51.100.2"),
                 ("2001:DB8::0:1", "2001:db8::1"),
                 # what is not an address is not believed, nor what lies before it
                 ("203.0.113.9, not-an-address", "127.0.0.1"),
                 ("", "127.0.0.1")]
        for forwarded, want in cases:
            r = tip_from(pub, forwarded)
            assert r.status == 201, (forwarded, r)
            code = r.json["tracking_code"]
            assert sql(db, "SELECT address FROM tips WHERE tracking_code = '%s'" % code) == want, forwarded
            assert sql(db, "SELECT address FROM audit_log WHERE action = 'tip.create'"
                           " AND object_id = '%s'" % code) == want, forwarded
        # The hourly limit counts each citizen, not the proxy all share.
        for i in range(9):
            assert tip_from(pub, "203.0.113.7").status == 201, i
        assert_error(tip_from(pub, "203.0.113.7"), 429)
        assert tip_from(pub, "203.0.113.8").status == 201


def test_forwarded_for_is_not_believed_from_anyone_else():
    for extra in ([], ["--trusted-proxy", "10.0.0.9"]):
        db = fresh_db()
        cli_ok("init", "--db", db)
        with Server(db, now=NOW, extra=extra) as s:
            World(s, db)
            pub = s.client()
            for i in range(10):
                r = tip_from(pub, "203.0.113.%d" % i)
                assert r.status == 201, (extra, i, r)
            assert sql(db, "SELECT count(DISTINCT address) || ' ' || min(address) FROM tips") \
                == "1 127.0.0.1", extra
            # a different forwarded address does not escape the limit
            assert_error(tip_from(pub, "203.0.113.99"), 429)


def test_trusted_proxy_must_be_addresses():
    db = fresh_db()
    cli_ok("init", "--db", db)
    for bad in ("nginx.local", "127.0.0.1,", "10.0.0.1/8",
                ",".join("10.0.0.%d" % i for i in range(17))):
        rc, out, err = cli("serve", "--db", db, "--listen", "127.0.0.1:1", "--trusted-proxy", bad)
        assert rc != 0 and "--trusted-proxy" in err, (bad, rc, err)


def test_audit_behind_nginx_records_the_client_on_both_servers():
    db = fresh_db()
    cli_ok("init", "--db", db)
    extra = ["--trusted-proxy", "127.0.0.1"]
    a = Server(db, now=NOW, extra=extra).start()
    b = Server(db, now=NOW, extra=extra).start()
    World(a, db)
    ngx = Nginx([a, b]).start()
    try:
        for i in range(4):
            c = Client(ngx.port)
            r = c.post("/api/v1/session", {"login": "ent_a", "password": PASSWORD},
                       headers={"X-Forwarded-For": "198.51.100.%d" % (10 + i)})
            assert r.status == 200, r
        got = sql(db, "SELECT string_agg(address, ' ' ORDER BY address) FROM audit_log"
                      " WHERE action = 'session.login' AND address LIKE '198.51.100.%'"
                  if db.startswith("postgresql") else
                  "SELECT group_concat(address, ' ') FROM (SELECT address FROM audit_log"
                  " WHERE action = 'session.login' AND address LIKE '198.51.100.%'"
                  " ORDER BY address)")
        assert got == "198.51.100.10 198.51.100.11 198.51.100.12 198.51.100.13", got
        ports = {port for port, status, req in ngx.answered() if "/api/v1/session" in req}
        assert ports == {a.port, b.port}, ngx.answered()
    finally:
        ngx.stop()
        a.stop()
        b.stop()
