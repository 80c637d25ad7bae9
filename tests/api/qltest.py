"""qltest - the black-box harness for Qingling's HTTP and command-line tests.

Tests drive the real `qingling` binary: the CLI through subprocess, the
server through HTTP on loopback.  The same tests run on SQLite and on
PostgreSQL (`--backend`); each test gets a fresh database from fresh_db().
Standard library only.
"""
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time

CONFIG = {"bin": "build/qingling", "backend": "sqlite", "pg_admin": None}
PASSWORD = "Passw0rd!x"
_tmp = tempfile.mkdtemp(prefix="qingling-test-")
_counter = [0]


def tmp_path(name):
    return os.path.join(_tmp, name)


def artifact_path(name):
    """A file kept after the run for people to look at (screenshots, rendered
    pages): under $QL_ARTIFACTS, named with the backend."""
    d = os.environ.get("QL_ARTIFACTS") or os.path.join(os.getcwd(), "test-output", "artifacts")
    os.makedirs(d, exist_ok=True)
    return os.path.join(d, "%s-%s" % (CONFIG["backend"], name))


def fresh_db():
    """A new, empty database: a SQLite file or a new PostgreSQL database."""
    _counter[0] += 1
    n = _counter[0]
    if CONFIG["backend"] == "sqlite":
        return tmp_path("t%d.db" % n)
    name = "qlt_%d_%d" % (os.getpid(), n)
    psql(CONFIG["pg_admin"], "CREATE DATABASE %s" % name)
    return re.sub(r"/[^/]*$", "/" + name, CONFIG["pg_admin"])


def psql(uri, sql):
    out = subprocess.run(["psql", uri, "-v", "ON_ERROR_STOP=1", "-qAtc", sql],
                         capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError("psql failed: %s" % out.stderr)
    return out.stdout.strip()


def sql(db, statement):
    """Runs SQL directly on the database (to tamper, or to look behind the API)."""
    if db.startswith("postgresql://"):
        return psql(db, statement)
    out = subprocess.run(["sqlite3", db, statement], capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError("sqlite3 failed: %s" % out.stderr)
    return out.stdout.strip()


def cli(*args, stdin=None, env=None, now=None):
    """Runs the binary; returns (rc, stdout, stderr)."""
    e = dict(os.environ)
    if now:
        e["QINGLING_NOW"] = now
    if env:
        e.update(env)
    p = subprocess.run([CONFIG["bin"]] + list(args), input=stdin, capture_output=True,
                       text=True, env=e, timeout=120)
    return p.returncode, p.stdout, p.stderr


def cli_ok(*args, **kw):
    rc, out, err = cli(*args, **kw)
    assert rc == 0, "qingling %s failed (%d): %s" % (" ".join(args), rc, err)
    return out


def add_user(db, login, role, scope=None, password=PASSWORD):
    """Creates an account through the CLI; scope is ("--region", code) etc."""
    args = ["user", "add", "--db", db, "--login", login, "--name", login, "--role", role]
    if scope:
        args += [scope[0], str(scope[1])]
    args.append("--password-stdin")
    return int(cli_ok(*args, stdin=password + "\n").strip())


def token(db, login):
    return cli_ok("token", "create", "--db", db, "--login", login).strip()


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Server:
    """`qingling serve` on a free loopback port, ready when it accepts.  data is
    the --data directory of uploaded files (None: the server's default);
    jobs_interval the --jobs-interval of its periodic jobs (None: the default);
    extra, more arguments of `serve`."""

    def __init__(self, db, now=None, web=None, data=None, jobs_interval=None, extra=()):
        self.db, self.now, self.web, self.data = db, now, web, data
        self.jobs_interval, self.extra = jobs_interval, list(extra)
        self.port = free_port()
        self.proc = None

    def start(self):
        env = dict(os.environ)
        if self.now:
            env["QINGLING_NOW"] = self.now
        self.log = open(tmp_path("serve-%d.log" % self.port), "w+")
        args = [CONFIG["bin"], "serve", "--db", self.db, "--listen", "127.0.0.1:%d" % self.port,
                "--threads", "4"]
        if self.web:
            args += ["--web", self.web]
        if self.data:
            args += ["--data", self.data]
        if self.jobs_interval is not None:
            args += ["--jobs-interval", str(self.jobs_interval)]
        args += self.extra
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=self.log, env=env)
        deadline = time.time() + 15
        while time.time() < deadline:
            if self.proc.poll() is not None:
                self.log.seek(0)
                raise RuntimeError("server exited: %s" % self.log.read())
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("server did not start")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._check_log()

    def log_text(self):
        """What the server has written to its log so far (read through a file
        description of our own, so as not to move the server's offset)."""
        with open(self.log.name, encoding="utf-8", errors="replace") as f:
            return f.read()

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def _check_log(self):
        # AddressSanitizer / UBSan reports end up in the server's log.
        self.log.seek(0)
        text = self.log.read()
        assert "ERROR: AddressSanitizer" not in text and "runtime error:" not in text and \
            "LeakSanitizer" not in text, "sanitizer report:\n" + text

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def client(self, bearer=None):
        return Client(self.port, bearer)

    def login(self, login, password=PASSWORD):
        c = Client(self.port)
        r = c.post("/api/v1/session", {"login": login, "password": password})
        assert r.status == 200, "login %s: %d %s" % (login, r.status, r.body)
        c.csrf = r.json["csrf_token"]
        return c


class Resp:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body
        try:
            self.json = json.loads(body) if body else None
        except ValueError:
            self.json = None

    def header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    @property
    def error(self):
        return (self.json or {}).get("error") or {}

    def __repr__(self):
        return "<%d %s>" % (self.status, self.body[:300])


class Client:
    """An HTTP client with an optional bearer token or a session cookie."""

    def __init__(self, port, bearer=None):
        self.port, self.bearer = port, bearer
        self.cookie = None
        self.csrf = None

    def request(self, method, path, body=None, raw=None, headers=None, csrf=True):
        h = {"Accept": "application/json"}
        if self.bearer:
            h["Authorization"] = "Bearer " + self.bearer
        if self.cookie:
            h["Cookie"] = "ql_session=" + self.cookie
            if csrf and self.csrf and method != "GET":
                h["X-CSRF-Token"] = self.csrf
        data = raw
        if body is not None:
            data = json.dumps(body).encode()
            h["Content-Type"] = "application/json"
        if headers:
            h.update(headers)
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            conn.request(method, path, body=data, headers=h)
            r = conn.getresponse()
            text = r.read()
            hdrs = r.getheaders()
        finally:
            conn.close()
        for k, v in hdrs:
            if k.lower() == "set-cookie" and v.startswith("ql_session="):
                self.cookie = v.split(";")[0].split("=", 1)[1] or None
        try:
            body_text = text.decode("utf-8")
        except UnicodeDecodeError:
            body_text = ""
        resp = Resp(r.status, hdrs, body_text)
        resp.raw = text
        return resp

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body, **kw)

    def post_raw(self, path, data, content_type, **kw):
        """POSTs bytes as they are, with the given Content-Type."""
        headers = dict(kw.pop("headers", None) or {})
        headers["Content-Type"] = content_type
        return self.request("POST", path, raw=data, headers=headers, **kw)

    def put(self, path, body=None, **kw):
        return self.request("PUT", path, body, **kw)

    def patch(self, path, body=None, **kw):
        return self.request("PATCH", path, body, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)


CJK = re.compile(r"[\u4e00-\u9fff]")


def assert_error(resp, status, code=None, field=None):
    """The answer is the API's error shape, with a Chinese message."""
    assert resp.status == status, "want %d, got %r" % (status, resp)
    err = resp.error
    assert err, "no error body: %r" % resp
    assert CJK.search(err.get("message") or ""), "message not Chinese: %r" % resp
    if code is not None:
        assert err.get("code") == code, "want code %s: %r" % (code, resp)
    if field is not None:
        assert err.get("field") == field, "want field %s: %r" % (field, resp)


# --- credit codes -------------------------------------------------------------

_ALPHA = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def uscc(n, region="210323"):
    """A valid unified social credit code (GB 32100) numbered n."""
    body = "91" + region + "MA" + "%07d" % n
    s = sum(_ALPHA.index(c) * w for c, w in zip(body, _WEIGHTS))
    return body + _ALPHA[(31 - s % 31) % 31]


# --- a county with one of every kind of user -----------------------------------

class World:
    """A province/city/county/two towns, two departments, three enterprises and an
    account (with bearer token) of every role.  Built through the API as sysadmin,
    the way an installation is set up.

    ent_a in town 1 is supervised by dept 1 (应急局); ent_b in town 2 by dept 2
    (住建局); ent_c in the other county 210324 by nobody here."""

    def __init__(self, server, db):
        self.server, self.db = server, db
        add_user(db, "root", "sysadmin")
        self.sys = server.client(token(db, "root"))
        for code, name in [("21", "辽宁省"), ("2103", "鞍山市"), ("210323", "岫岩满族自治县"),
                           ("210323100", "岫岩镇"), ("210323101", "兴隆街道"),
                           ("210324", "另一县"), ("210324100", "另一镇")]:
            r = self.sys.post("/api/v1/regions", {"code": code, "name": name})
            assert r.status == 201, r
        self.dept1 = self.sys.post("/api/v1/departments",
                                   {"name": "县应急管理局", "region_code": "210323"}).json["id"]
        self.dept2 = self.sys.post("/api/v1/departments",
                                   {"name": "县住房城乡建设局", "region_code": "210323"}).json["id"]
        self.dept_other = self.sys.post("/api/v1/departments",
                                        {"name": "另一县应急管理局", "region_code": "210324"}).json["id"]
        add_user(db, "county", "office", ("--region", "210323"))
        add_user(db, "town1", "office", ("--region", "210323100"))
        add_user(db, "other_office", "office", ("--region", "210324"))
        add_user(db, "reg1", "regulator", ("--department", self.dept1))
        add_user(db, "reg2", "regulator", ("--department", self.dept2))
        add_user(db, "reg_other", "regulator", ("--department", self.dept_other))
        self.county = server.client(token(db, "county"))
        self.town1 = server.client(token(db, "town1"))
        self.other_office = server.client(token(db, "other_office"))
        self.reg1 = server.client(token(db, "reg1"))
        self.reg2 = server.client(token(db, "reg2"))
        self.reg_other = server.client(token(db, "reg_other"))
        self.ent_a = self.enterprise(self.county, 1, "210323100", [self.dept1])
        self.ent_b = self.enterprise(self.county, 2, "210323101", [self.dept2])
        self.ent_c = self.enterprise(self.other_office, 3, "210324100", [self.dept_other],
                                     region="210324")
        add_user(db, "ent_a", "enterprise", ("--enterprise", self.ent_a))
        add_user(db, "ent_b", "enterprise", ("--enterprise", self.ent_b))
        add_user(db, "expert1", "expert", ("--region", "210323"))
        add_user(db, "sec", "secadmin")
        add_user(db, "aud", "auditor")
        self.ea = server.client(token(db, "ent_a"))
        self.eb = server.client(token(db, "ent_b"))
        self.expert = server.client(token(db, "expert1"))
        self.sec = server.client(token(db, "sec"))
        self.aud = server.client(token(db, "aud"))

    def rebind(self, server):
        """Points every client at a restarted server."""
        self.server = server
        for c in vars(self).values():
            if hasattr(c, "port") and hasattr(c, "bearer"):
                c.port = server.port

    def enterprise(self, client, n, region_code, depts, region="210323"):
        r = client.post("/api/v1/enterprises", enterprise_body(n, region_code, depts, region))
        assert r.status == 201, r
        return r.json["id"]


def enterprise_body(n, town, depts=(), region="210323", **over):
    body = {"uscc": uscc(n, region), "name": "测试企业%d有限公司" % n, "region_code": town,
            "industry_code": "C2614", "high_risk": True,
            "main_person": {"name": "张三", "phone": "13800000001"},
            "controller": {"name": "李四", "phone": "13800000002"},
            "department_ids": list(depts)}
    body.update(over)
    return body


def hazard_body(ent, **over):
    body = {"enterprise_id": ent, "level": "general", "category": "site",
            "source": "self", "location": "一号车间", "description": "配电箱门缺失",
            "found_on": "2026-03-01", "rectified_on_spot": False}
    body.update(over)
    if body["level"] == "major" and "basis" not in body:
        body["basis"] = "重大事故隐患判定标准 第三条"
    return body


MAJOR_PLAN = {"action": "plan", "responsible_person": "王五", "measures": "更换通风机",
              "deadline": "2026-04-30", "funds": 12000.5, "emergency_plan": "停产撤人",
              "interim_measures": "设置警戒区"}
GENERAL_PLAN = {"action": "plan", "responsible_person": "王五", "measures": "更换配电箱门",
                "deadline": "2026-03-20"}
NOW = "2026-03-10T02:00:00Z"
