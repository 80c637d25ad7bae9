"""Platform: CLI, sessions, tokens, CSRF, lock-out, idle timeout, organisation,
accounts, three-admin separation, audit chain, limits, durability, static files."""
import os

from qltest import (CJK, NOW, PASSWORD, Server, add_user, assert_error, cli, cli_ok, fresh_db,
                    sql, tmp_path, token)


def new_db():
    db = fresh_db()
    cli_ok("init", "--db", db)
    return db


def admin_db():
    db = new_db()
    add_user(db, "root", "sysadmin")
    return db


def test_health_needs_no_authentication():
    db = new_db()
    with Server(db) as s:
        r = s.client().get("/api/v1/health")
        assert r.status == 200 and r.json == {"status": "ok"}, r


def test_init_twice_changes_nothing():
    db = new_db()
    before = sql(db, "SELECT count(*) FROM schema_migrations")
    rc, out, err = cli("init", "--db", db)
    assert rc == 0, err
    assert sql(db, "SELECT count(*) FROM schema_migrations") == before
    assert int(before) >= 2


def test_serve_refuses_newer_schema():
    db = new_db()
    sql(db, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'future', 0)")
    rc, out, err = cli("serve", "--db", db, "--listen", "127.0.0.1:1")
    assert rc != 0
    assert len(err.strip().splitlines()) == 1 and CJK.search(err), err


def test_serve_refuses_uninitialised_database():
    rc, out, err = cli("serve", "--db", fresh_db(), "--listen", "127.0.0.1:1")
    assert rc != 0 and "init" in err, err


def test_cli_user_add_errors_are_one_line():
    db = new_db()
    cases = [
        (["--role", "office"], "region"),
        (["--role", "office", "--region", "999999"], None),
        (["--role", "regulator"], "department"),
        (["--role", "wizard"], None),
        (["--role", "sysadmin", "--region", "21"], None),
    ]
    for extra, _ in cases:
        rc, out, err = cli("user", "add", "--db", db, "--login", "user1", "--name", "n",
                           *extra, "--password-stdin", stdin=PASSWORD + "\n")
        assert rc != 0, extra
        assert len(err.strip().splitlines()) == 1 and CJK.search(err), (extra, err)
    rc, out, err = cli("user", "add", "--db", db, "--login", "user1", "--name", "n", "--role",
                       "sysadmin", "--password-stdin", stdin="weakpass\n")
    assert rc != 0 and "密码" in err, err
    add_user(db, "user1", "sysadmin")
    rc, out, err = cli("user", "add", "--db", db, "--login", "user1", "--name", "n", "--role",
                       "sysadmin", "--password-stdin", stdin=PASSWORD + "\n")
    assert rc != 0 and "已存在" in err, err
    assert sql(db, "SELECT count(*) FROM users") == "1"


def test_every_subcommand_has_help():
    for args in (["init"], ["serve"], ["user"], ["token"], ["audit"], ["import"], ["demo"],
                 ["report"]):
        rc, out, err = cli(*args, "--help")
        assert rc == 0 and "用法" in out, (args, out, err)


def test_bearer_token_authenticates():
    db = admin_db()
    t = token(db, "root")
    assert t.startswith("qlt_") and len(t) > 40
    assert t not in sql(db, "SELECT token_hash FROM api_tokens")
    with Server(db) as s:
        r = s.client(t).get("/api/v1/session")
        assert r.status == 200 and r.json["user"]["login"] == "root", r
        assert_error(s.client(t + "x").get("/api/v1/session"), 401, "unauthenticated")
        assert_error(s.client().get("/api/v1/departments"), 401, "unauthenticated")
        # region names are public (GB/T 2260): the public tip-off page picks from them
        assert s.client().get("/api/v1/regions").status == 200
        assert_error(s.client(t).get("/api/v1/nothing-here"), 404)


def test_token_create_for_unknown_login_fails():
    db = admin_db()
    rc, out, err = cli("token", "create", "--db", db, "--login", "ghost")
    assert rc != 0 and out == "" and CJK.search(err)


def test_login_sets_strict_httponly_cookie_and_logout_ends_it():
    db = admin_db()
    with Server(db) as s:
        c = s.client()
        r = c.post("/api/v1/session", {"login": "root", "password": PASSWORD})
        assert r.status == 200 and r.json["user"]["role"] == "sysadmin" and r.json["csrf_token"]
        cookie = r.header("Set-Cookie")
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie, cookie
        assert "password_hash" not in r.body and "argon2" not in r.body
        c.csrf = r.json["csrf_token"]
        assert c.get("/api/v1/session").status == 200
        assert c.delete("/api/v1/session").status == 200
        c2 = s.client()
        c2.cookie = cookie.split(";")[0].split("=", 1)[1]
        assert_error(c2.get("/api/v1/session"), 401)


def test_cookie_is_secure_behind_a_tls_proxy():
    db = admin_db()
    with Server(db) as s:
        r = s.client().post("/api/v1/session", {"login": "root", "password": PASSWORD},
                            headers={"X-Forwarded-Proto": "https"})
        assert r.status == 200 and "; Secure" in r.header("Set-Cookie"), r.header("Set-Cookie")
        r = s.client().post("/api/v1/session", {"login": "root", "password": PASSWORD})
        assert "Secure" not in r.header("Set-Cookie")


def test_wrong_password_is_401():
    db = admin_db()
    with Server(db) as s:
        r = s.client().post("/api/v1/session", {"login": "root", "password": "Wrong-pass1"})
        assert_error(r, 401, "invalid_credentials")
        r = s.client().post("/api/v1/session", {"login": "nobody", "password": "Wrong-pass1"})
        assert_error(r, 401, "invalid_credentials")


def test_csrf_token_required_with_cookie():
    db = admin_db()
    with Server(db) as s:
        c = s.login("root")
        r = c.post("/api/v1/regions", {"code": "21", "name": "辽宁省"}, csrf=False)
        assert_error(r, 403, "csrf")
        r = c.post("/api/v1/regions", {"code": "21", "name": "辽宁省"},
                   headers={"X-CSRF-Token": "forged"}, csrf=False)
        assert_error(r, 403, "csrf")
        assert sql(db, "SELECT count(*) FROM regions") == "0"
        assert c.post("/api/v1/regions", {"code": "21", "name": "辽宁省"}).status == 201
        # Bearer callers need no CSRF token.
        t = s.client(token(db, "root"))
        assert t.post("/api/v1/regions", {"code": "2103", "name": "鞍山市"}).status == 201


def test_lockout_after_five_failures_for_fifteen_minutes():
    db = admin_db()
    with Server(db, now="2026-03-01T08:00:00Z") as s:
        for i in range(5):
            r = s.client().post("/api/v1/session", {"login": "root", "password": "Wrong-pass1"})
            assert_error(r, 401)
        r = s.client().post("/api/v1/session", {"login": "root", "password": PASSWORD})
        assert_error(r, 429, "account_locked")
    with Server(db, now="2026-03-01T08:14:00Z") as s:
        r = s.client().post("/api/v1/session", {"login": "root", "password": PASSWORD})
        assert_error(r, 429, "account_locked")
    with Server(db, now="2026-03-01T08:16:00Z") as s:
        assert s.login("root")


def test_secadmin_unlocks_an_account():
    db = admin_db()
    add_user(db, "sec", "secadmin")
    uid = sql(db, "SELECT id FROM users WHERE login = 'root'")
    with Server(db, now=NOW) as s:
        for i in range(5):
            s.client().post("/api/v1/session", {"login": "root", "password": "Wrong-pass1"})
        assert_error(s.client().post("/api/v1/session", {"login": "root", "password": PASSWORD}),
                     429)
        sec = s.client(token(db, "sec"))
        assert sec.post("/api/v1/users/%s/unlock" % uid).status == 200
        assert s.login("root")


def test_session_expires_after_thirty_idle_minutes():
    db = admin_db()
    with Server(db, now="2026-03-01T08:00:00Z") as s:
        c = s.login("root")
    with Server(db, now="2026-03-01T08:29:00Z") as s:
        c.port = s.port
        assert c.get("/api/v1/session").status == 200
    with Server(db, now="2026-03-01T08:58:00Z") as s:
        c.port = s.port
        assert c.get("/api/v1/session").status == 200
    with Server(db, now="2026-03-01T09:29:00Z") as s:
        c.port = s.port
        assert_error(c.get("/api/v1/session"), 401, "session_expired")
        # the expired session was ended, not only refused: it stays dead
        assert_error(c.get("/api/v1/session"), 401, "unauthenticated")


def test_password_change_rules():
    db = admin_db()
    with Server(db) as s:
        c = s.login("root")
        r = c.post("/api/v1/session/password", {"old_password": "Nope-nope1",
                                                "new_password": "N3w-Password"})
        assert_error(r, 422, field="old_password")
        r = c.post("/api/v1/session/password", {"old_password": PASSWORD,
                                                "new_password": "alllowercase"})
        assert_error(r, 422, field="new_password")
        r = c.post("/api/v1/session/password", {"old_password": PASSWORD,
                                                "new_password": "N3w-Password"})
        assert r.status == 200, r
        assert s.login("root", "N3w-Password")
        r = s.client().post("/api/v1/session", {"login": "root", "password": PASSWORD})
        assert_error(r, 401)


def test_regions_tree_by_code_prefix():
    db = admin_db()
    with Server(db) as s:
        c = s.client(token(db, "root"))
        for code, name in [("21", "辽宁省"), ("2103", "鞍山市"), ("210323", "岫岩满族自治县"),
                           ("210323100", "岫岩镇"), ("210323101", "兴隆街道"), ("2102", "大连市")]:
            r = c.post("/api/v1/regions", {"code": code, "name": name})
            assert r.status == 201, r
        r = c.get("/api/v1/regions/210323100")
        assert r.json == {"code": "210323100", "name": "岫岩镇", "parent_code": "210323",
                          "level": 4}, r
        assert c.get("/api/v1/regions/2103").json["parent_code"] == "21"
        r = c.get("/api/v1/regions?under=2103")
        assert sorted(i["code"] for i in r.json["items"]) == ["2103", "210323", "210323100",
                                                               "210323101"]
        assert r.json["total"] == 4 and r.json["page"] == 1
        r = c.get("/api/v1/regions?parent=210323")
        assert [i["code"] for i in r.json["items"]] == ["210323100", "210323101"]
        assert_error(c.get("/api/v1/regions/999999"), 404)


def test_region_validation_changes_nothing():
    db = admin_db()
    with Server(db) as s:
        c = s.client(token(db, "root"))
        assert c.post("/api/v1/regions", {"code": "21", "name": "辽宁省"}).status == 201
        assert_error(c.post("/api/v1/regions", {"code": "210", "name": "x"}), 422, field="code")
        assert_error(c.post("/api/v1/regions", {"code": "21a3", "name": "x"}), 422, field="code")
        assert_error(c.post("/api/v1/regions", {"code": "2203", "name": "x"}), 422, field="code")
        assert_error(c.post("/api/v1/regions", {"code": "2103"}), 422, field="name")
        assert_error(c.post("/api/v1/regions", {"code": "2103", "name": "  "}), 422, field="name")
        assert_error(c.post("/api/v1/regions", {"code": 2103, "name": "x"}), 422, field="code")
        assert_error(c.post("/api/v1/regions", {"code": "21", "name": "again"}), 409)
        assert sql(db, "SELECT count(*) FROM regions") == "1"


def test_departments():
    db = admin_db()
    with Server(db) as s:
        c = s.client(token(db, "root"))
        c.post("/api/v1/regions", {"code": "21", "name": "辽宁省"})
        c.post("/api/v1/regions", {"code": "2103", "name": "鞍山市"})
        r = c.post("/api/v1/departments", {"name": "市应急管理局", "region_code": "2103"})
        assert r.status == 201 and r.json["id"] > 0, r
        assert c.get("/api/v1/departments/%d" % r.json["id"]).json["name"] == "市应急管理局"
        assert_error(c.post("/api/v1/departments", {"name": "x", "region_code": "2199"}), 422,
                     field="region_code")
        assert_error(c.post("/api/v1/departments", {"name": "市应急管理局", "region_code": "2103"}),
                     409)
        assert c.get("/api/v1/departments?region=21").json["total"] == 1
        assert_error(c.get("/api/v1/departments/999"), 404)


def test_users_api_validation_and_no_secrets():
    db = admin_db()
    with Server(db) as s:
        c = s.client(token(db, "root"))
        c.post("/api/v1/regions", {"code": "21", "name": "辽宁省"})
        base = {"login": "office1", "name": "王主任", "role": "office", "password": PASSWORD}
        assert_error(c.post("/api/v1/users", base), 422, field="region_code")
        assert_error(c.post("/api/v1/users", dict(base, region_code="22")), 422,
                     field="region_code")
        assert_error(c.post("/api/v1/users", dict(base, role="regulator")), 422,
                     field="department_id")
        assert_error(c.post("/api/v1/users", dict(base, region_code="21", password="short1A")),
                     422, field="password")
        assert_error(c.post("/api/v1/users", dict(base, region_code="21", role="boss")), 422,
                     field="role")
        r = c.post("/api/v1/users", dict(base, region_code="21"))
        assert r.status == 201 and r.json["must_change_password"] is True, r
        assert "password" not in r.body.replace("must_change_password", "") and "argon" not in r.body
        assert_error(c.post("/api/v1/users", dict(base, region_code="21")), 409, field="login")
        lst = c.get("/api/v1/users")
        assert lst.json["total"] == 2 and "argon" not in lst.body


def test_passwords_are_taken_exactly_as_typed():
    db = admin_db()
    with Server(db) as s:
        c = s.client(token(db, "root"))
        r = c.post("/api/v1/users", {"login": "spacey", "name": "x", "role": "auditor",
                                     "password": " Passw0rd!x "})
        assert r.status == 201, r
        assert s.client().post("/api/v1/session", {"login": "spacey",
                                                   "password": " Passw0rd!x "}).status == 200
        assert_error(s.client().post("/api/v1/session", {"login": "spacey",
                                                         "password": "Passw0rd!x"}), 401)


def test_new_user_must_change_password_first():
    db = admin_db()
    with Server(db) as s:
        c = s.client(token(db, "root"))
        c.post("/api/v1/regions", {"code": "21", "name": "辽宁省"})
        c.post("/api/v1/users", {"login": "office1", "name": "王", "role": "office",
                                 "password": PASSWORD, "region_code": "21"})
        o = s.login("office1")
        assert_error(o.get("/api/v1/enterprises"), 403, "password_change_required")
        r = o.post("/api/v1/session/password", {"old_password": PASSWORD,
                                                "new_password": "Chang3d-pass"})
        assert r.status == 200
        assert o.get("/api/v1/enterprises").status == 200


def test_three_admin_separation():
    db = admin_db()
    add_user(db, "sec", "secadmin")
    add_user(db, "aud", "auditor")
    with Server(db) as s:
        root, sec, aud = (s.client(token(db, n)) for n in ("root", "sec", "aud"))
        assert root.post("/api/v1/regions", {"code": "21", "name": "辽宁省"}).status == 201
        add_user(db, "off", "office", ("--region", "21"))
        off = s.client(token(db, "off"))
        # (client, method, path, body, allowed?)
        matrix = [
            (root, "GET", "/api/v1/audit", None, False),
            (root, "GET", "/api/v1/security/settings", None, False),
            (root, "GET", "/api/v1/users", None, True),
            (root, "GET", "/api/v1/enterprises", None, False),
            (root, "GET", "/api/v1/hazards", None, False),
            (sec, "POST", "/api/v1/regions", {"code": "22", "name": "吉林省"}, False),
            (sec, "POST", "/api/v1/users", {"login": "x1", "name": "x", "role": "auditor",
                                            "password": PASSWORD}, False),
            (sec, "GET", "/api/v1/audit", None, False),
            (sec, "GET", "/api/v1/security/settings", None, True),
            (sec, "GET", "/api/v1/enterprises", None, False),
            (sec, "GET", "/api/v1/hazards", None, False),
            (aud, "GET", "/api/v1/audit", None, True),
            (aud, "POST", "/api/v1/regions", {"code": "22", "name": "吉林省"}, False),
            (aud, "POST", "/api/v1/users", {"login": "x2", "name": "x", "role": "auditor",
                                            "password": PASSWORD}, False),
            (aud, "GET", "/api/v1/security/settings", None, False),
            (aud, "GET", "/api/v1/enterprises", None, False),
            (aud, "GET", "/api/v1/hazards", None, False),
            (off, "GET", "/api/v1/enterprises", None, True),
            (off, "GET", "/api/v1/hazards", None, True),
            (off, "POST", "/api/v1/users", {"login": "x3", "name": "x", "role": "auditor",
                                            "password": PASSWORD}, False),
            (off, "GET", "/api/v1/audit", None, False),
            (off, "GET", "/api/v1/users", None, False),
            (off, "POST", "/api/v1/regions", {"code": "22", "name": "吉林省"}, False),
        ]
        for c, method, path, body, allowed in matrix:
            r = c.request(method, path, body)
            if allowed:
                assert r.status == 200, (method, path, r)
            else:
                assert_error(r, 403)
        assert sql(db, "SELECT count(*) FROM regions") == "1"
        assert sql(db, "SELECT count(*) FROM users") == "4"


def test_security_settings_by_secadmin():
    db = admin_db()
    add_user(db, "sec", "secadmin")
    with Server(db) as s:
        sec = s.client(token(db, "sec"))
        r = sec.get("/api/v1/security/settings")
        assert r.json == {"lockout_threshold": 5, "lockout_minutes": 15,
                          "session_idle_minutes": 30, "password_min_length": 8}, r
        assert_error(sec.put("/api/v1/security/settings", {"lockout_threshold": 0}), 422,
                     field="lockout_threshold")
        assert_error(sec.put("/api/v1/security/settings", {"session_idle_minutes": 60}), 422,
                     field="session_idle_minutes")
        r = sec.put("/api/v1/security/settings", {"lockout_threshold": 3})
        assert r.status == 200 and r.json["lockout_threshold"] == 3
        for i in range(3):
            s.client().post("/api/v1/session", {"login": "root", "password": "Wrong-pass1"})
        assert_error(s.client().post("/api/v1/session", {"login": "root", "password": PASSWORD}),
                     429)


def test_audit_records_logins_logouts_and_writes():
    db = admin_db()
    add_user(db, "aud", "auditor")
    with Server(db) as s:
        s.client().post("/api/v1/session", {"login": "root", "password": "Wrong-pass1"})
        c = s.login("root")
        c.post("/api/v1/regions", {"code": "21", "name": "辽宁省"})
        c.delete("/api/v1/session")
        r = s.client(token(db, "aud")).get("/api/v1/audit?page=1&per_page=50")
        assert r.status == 200
        items = r.json["items"]
        actions = [i["action"] for i in items]
        for want in ("session.login_failed", "session.login", "region.create", "session.logout",
                     "user.create"):
            assert want in actions, (want, actions)
        created = [i for i in items if i["action"] == "region.create"][0]
        assert created["actor"] == "root" and created["address"] == "127.0.0.1"
        assert created["after"]["code"] == "21" and created["object_id"] == "21"
        seqs = [i["seq"] for i in items]
        assert seqs == sorted(seqs, reverse=True) and len(set(seqs)) == len(seqs)
        assert r.json["total"] == len(items)


def test_audit_verify_detects_tampering():
    db = admin_db()
    for i in range(4):
        add_user(db, "user%d" % i, "auditor")
    rc, out, err = cli("audit", "verify", "--db", db)
    assert rc == 0, (out, err)
    sql(db, "UPDATE audit_log SET action = 'x' WHERE seq = 2")
    rc, out, err = cli("audit", "verify", "--db", db)
    assert rc == 1 and "seq=2" in out, (out, err)


def test_audit_verify_detects_removed_rows():
    db = admin_db()
    for i in range(4):
        add_user(db, "user%d" % i, "auditor")
    sql(db, "DELETE FROM audit_log WHERE seq = 3")
    rc, out, err = cli("audit", "verify", "--db", db)
    assert rc == 1 and "seq=3" in out, out
    db2 = admin_db()
    add_user(db2, "user9", "auditor")
    last = sql(db2, "SELECT max(seq) FROM audit_log")
    sql(db2, "DELETE FROM audit_log WHERE seq = %s" % last)
    rc, out, err = cli("audit", "verify", "--db", db2)
    assert rc == 1, out


def test_body_limits_and_malformed_json():
    db = admin_db()
    with Server(db) as s:
        c = s.client(token(db, "root"))
        big = b'{"code":"21","name":"' + b"x" * (1024 * 1024 + 10) + b'"}'
        r = c.post("/api/v1/regions", raw=big, headers={"Content-Type": "application/json"})
        assert_error(r, 413, "too_large")
        r = c.post("/api/v1/regions", raw=b'{"code": "21", "name": ',
                   headers={"Content-Type": "application/json"})
        assert_error(r, 400, "invalid_json")
        r = c.post("/api/v1/regions", raw=b'["21"]', headers={"Content-Type": "application/json"})
        assert_error(r, 400, "invalid_json")
        assert sql(db, "SELECT count(*) FROM regions") == "0"
        assert c.get("/api/v1/health").status == 200


def test_acknowledged_writes_survive_kill_9():
    db = admin_db()
    s = Server(db).start()
    t = token(db, "root")
    assert s.client(t).post("/api/v1/regions", {"code": "21", "name": "辽宁省"}).status == 201
    for i in range(20):
        code = "21%02d" % (i + 1)
        r = s.client(t).post("/api/v1/regions", {"code": code, "name": "市%d" % i})
        assert r.status == 201, r
        s.kill9()
        s = Server(db).start()
        assert s.client(t).get("/api/v1/regions/" + code).status == 200, code
    s.stop()
    rc, out, err = cli("audit", "verify", "--db", db)
    assert rc == 0, out


def test_security_headers():
    db = admin_db()
    with Server(db) as s:
        r = s.client().get("/api/v1/health")
        assert r.header("X-Content-Type-Options") == "nosniff"
        assert r.header("X-Frame-Options") == "DENY"
        assert r.header("Cache-Control") == "no-store"
        assert "default-src 'self'" in r.header("Content-Security-Policy")


def test_static_files_with_client_route_fallback():
    db = new_db()
    web = tmp_path("web")
    os.makedirs(os.path.join(web, "assets"), exist_ok=True)
    with open(os.path.join(web, "index.html"), "w") as f:
        f.write("<!doctype html><title>清零</title>")
    with open(os.path.join(web, "assets", "app.js"), "w") as f:
        f.write("console.log(1)")
    with Server(db, web=web) as s:
        c = s.client()
        r = c.get("/")
        assert r.status == 200 and "清零" in r.body and "text/html" in r.header("Content-Type")
        r = c.get("/assets/app.js")
        assert r.status == 200 and "javascript" in r.header("Content-Type")
        r = c.get("/hazards/12")
        assert r.status == 200 and "清零" in r.body
        r = c.get("/../../etc/passwd")
        assert "root:" not in r.body
        r = c.get("/assets/%2e%2e/%2e%2e/%2e%2e/etc/passwd")
        assert "root:" not in r.body
        assert c.get("/assets/missing.js").status == 404


def test_openapi_documents_every_route():
    """docs/openapi.yaml and the route tables of src/api/ name the same operations."""
    import glob
    import re
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    code = set()
    for path in glob.glob(os.path.join(root, "src", "api", "*.c")):
        for method, route in re.findall(r'\{"(GET|POST|PUT|PATCH|DELETE)", "(/api/v1/[^"]*)"',
                                        open(path, encoding="utf-8").read()):
            code.add((method, re.sub(r"\{[^}]+\}", "{}", route)))
    doc, current = set(), None
    for line in open(os.path.join(root, "docs", "openapi.yaml"), encoding="utf-8"):
        m = re.match(r"^  (/api/v1/\S*):\s*$", line)
        if m:
            current = re.sub(r"\{[^}]+\}", "{}", m.group(1))
            continue
        m = re.match(r"^    (get|post|put|patch|delete):", line)
        if m and current:
            doc.add((m.group(1).upper(), current))
        if re.match(r"^\S", line):
            current = None
    assert len(code) > 30
    assert code == doc, ("undocumented", sorted(code - doc), "documented but absent",
                         sorted(doc - code))


def test_generate_builds_the_same_province_for_the_same_seed():
    import re as _re
    from qltest import fresh_db
    dbs = []
    for _ in range(2):
        db = fresh_db()
        cli_ok("init", "--db", db)
        rc, out, err = cli("generate", "--db", db, "--enterprises", "60", "--hazards", "500",
                           "--seed", "7")
        assert rc == 0, err
        assert _re.search(r"RATE hazards_per_second \d+", out), out
        dbs.append(db)
    for table, n in (("regions", 1 + 14 + 98 + 1176), ("departments", 98 * 15), ("enterprises", 60),
                     ("hazards", 500)):
        assert int(sql(dbs[0], "SELECT count(*) FROM %s" % table)) == n, table
    first = sql(dbs[0], "SELECT code || status || found_on FROM hazards ORDER BY id")
    assert first == sql(dbs[1], "SELECT code || status || found_on FROM hazards ORDER BY id")
    assert int(sql(dbs[0], "SELECT count(*) FROM hazard_events")) >= 500
    # the counters and overdue flags of the bulk load are exact, and current
    import datetime
    from t_counts import check_table
    today = (datetime.datetime.utcnow() + datetime.timedelta(hours=8)).strftime("%Y-%m-%d")
    check_table(dbs[0], today, regions=["37", "3701", "370101", "370101101", "3714"])
    assert int(sql(dbs[0], "SELECT count(*) FROM hazards WHERE overdue = 1")) > 0
    from qltest import CONFIG
    if CONFIG["backend"] == "pg":
        # the VACUUM after the load marked every page all-visible (its
        # commit was flushed first), so index-only scans read no table
        rows = sql(dbs[0], "SELECT relname || ' ' || relpages || ' ' || relallvisible FROM pg_class"
                   " WHERE relname IN ('enterprises', 'hazards', 'hazard_events', 'inspections')"
                   " ORDER BY relname")
        for line in rows.splitlines():
            name, pages, visible = line.split()
            assert int(pages) > 0 and visible == pages, rows
    # the generated codes and accounts work through the API
    with Server(dbs[0]) as s:
        c = s.login("province_office", "Bench@2026x")
        r = c.get("/api/v1/enterprises?per_page=100")
        assert r.status == 200 and r.json["total"] == 60, r
        assert r.json["items"][0]["uscc"].startswith("91370101MA")
        assert c.get("/api/v1/hazards?per_page=1").json["total"] == 500
        assert s.login("county_office", "Bench@2026x").get("/api/v1/hazards").status == 200
    rc, out, err = cli("generate", "--db", dbs[0], "--enterprises", "1", "--hazards", "1")
    assert rc != 0 and "新建" in err
