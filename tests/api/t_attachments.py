"""Attachments of a hazard: photos and documents uploaded as multipart/form-data,
typed by their bytes, stored once by SHA-256 under the data directory, photos
sized down to a thumbnail; read back only inside the hazard's scope."""
import hashlib
import io
import os
import shutil
import struct
import subprocess
import zipfile
import zlib

from qltest import (CONFIG, NOW, Server, World, assert_error, cli_ok, fresh_db, hazard_body,
                    sql, tmp_path)

_n = [0]
BOUNDARY = "----QinglingTestBoundary7MA4YWxkTrZu0gW"


def world():
    _n[0] += 1
    db = fresh_db()
    cli_ok("init", "--db", db)
    data = tmp_path("files-%d-%d" % (os.getpid(), _n[0]))
    s = Server(db, now=NOW, data=data).start()
    w = World(s, db)
    w.data = data
    r = w.ea.post("/api/v1/hazards", hazard_body(w.ent_a))
    assert r.status == 201, r
    w.hid = r.json["id"]
    return s, w


# --- files made here, byte for byte ----------------------------------------------

def png(width, height, alpha=False, rows=None):
    """A real PNG (8-bit RGB or RGBA) with a gradient, deterministic; rows
    replaces the pixel data."""
    bpp = 4 if alpha else 3
    if rows is None:
        rows = b"".join(b"\x00" + bytes((x * 3 + y) & 255 for x in range(width * bpp))
                        for y in range(height))

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data +
                struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 6 if alpha else 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(rows)) +
            chunk(b"IEND", b""))


def pdf(width=200, height=100):
    """A one-page PDF with a blue rectangle."""
    content = b"0 0 1 rg 10 10 %d %d re f" % (width - 20, height - 20)
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents 4 0 R >>"
            % (width, height),
            b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content)]
    out = b"%PDF-1.4\n"
    offsets = []
    for i, o in enumerate(objs):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (i + 1, o)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1,
                                                                              xref)
    return out


def jpeg(width, height):
    """A real JPEG, rendered from a PDF by poppler's pdftoppm."""
    src = tmp_path("page-%d.pdf" % os.getpid())
    with open(src, "wb") as f:
        f.write(pdf())
    prefix = tmp_path("page-%d" % os.getpid())
    subprocess.run(["pdftoppm", "-jpeg", "-singlefile", "-scale-to-x", str(width),
                    "-scale-to-y", str(height), src, prefix], check=True)
    with open(prefix + ".jpg", "rb") as f:
        return f.read()


def with_orientation(jpeg_bytes, orientation):
    """The JPEG with an EXIF APP1 segment giving its orientation (1-8)."""
    tiff = (b"MM\x00\x2a\x00\x00\x00\x08" + struct.pack(">H", 1) +
            struct.pack(">HHIHH", 0x0112, 3, 1, orientation, 0) + b"\x00\x00\x00\x00")
    app1 = b"Exif\x00\x00" + tiff
    return jpeg_bytes[:2] + b"\xff\xe1" + struct.pack(">H", len(app1) + 2) + app1 + jpeg_bytes[2:]


def ooxml(main_part):
    """A minimal .docx (word/document.xml) or .xlsx (xl/workbook.xml)."""
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        z.writestr(main_part, '<?xml version="1.0"?><root/>')
    return b.getvalue()


def jpeg_size(data):
    """(width, height) from a JPEG's SOF0/SOF1/SOF2 marker."""
    assert data[:2] == b"\xff\xd8", "not a JPEG"
    i = 2
    while i < len(data):
        assert data[i] == 0xFF, "bad marker at %d" % i
        while data[i] == 0xFF:
            i += 1
        marker = data[i]
        i += 1
        if marker == 0x01 or 0xD0 <= marker <= 0xD8:
            continue
        length = struct.unpack(">H", data[i:i + 2])[0]
        if marker in (0xC0, 0xC1, 0xC2):
            height, width = struct.unpack(">HH", data[i + 3:i + 7])
            return width, height
        i += length
    raise AssertionError("no SOF marker")


def multipart(parts):
    """A multipart/form-data body from (name, filename, content_type, bytes)."""
    out = b""
    for name, filename, ctype, data in parts:
        disp = 'form-data; name="%s"' % name
        if filename is not None:
            disp += '; filename="%s"' % filename
        out += b"--" + BOUNDARY.encode() + b"\r\n"
        out += ("Content-Disposition: %s\r\n" % disp).encode()
        if ctype:
            out += ("Content-Type: %s\r\n" % ctype).encode()
        out += b"\r\n" + data + b"\r\n"
    out += b"--" + BOUNDARY.encode() + b"--\r\n"
    return out, "multipart/form-data; boundary=" + BOUNDARY


def upload(client, hid, data, filename="photo.png", ctype="image/png"):
    body, ct = multipart([("file", filename, ctype, data)])
    return client.post_raw("/api/v1/hazards/%d/attachments" % hid, body, ct)


def stored_files(data):
    """Every stored file under the data directory (temporary files excluded)."""
    found = []
    for root, _, files in os.walk(data):
        found += [os.path.join(root, f) for f in files if not f.startswith(".")]
    return sorted(found)


def sha(data):
    return hashlib.sha256(data).hexdigest()


def rows(w):
    return int(sql(w.db, "SELECT count(*) FROM attachments"))


# --- photos ------------------------------------------------------------------------

def test_png_is_listed_with_its_size_and_a_thumbnail():
    s, w = world()
    try:
        img = png(800, 600, alpha=True)
        r = upload(w.ea, w.hid, img, "配电箱.png")
        assert r.status == 201, r
        a = r.json
        assert a["kind"] == "photo" and a["content_type"] == "image/png", a
        assert (a["width"], a["height"]) == (800, 600) and a["size"] == len(img)
        assert a["url"] == "/api/v1/attachments/%d" % a["id"]
        assert a["thumb_url"] == "/api/v1/attachments/%d/thumb" % a["id"]
        r = w.county.get("/api/v1/hazards/%d/attachments" % w.hid)
        assert r.status == 200, r
        [item] = r.json["items"]
        assert item["name"] == "配电箱.png" and item["uploaded_by_name"] == "ent_a"
        assert item["uploaded_at"] == NOW and (item["width"], item["height"]) == (800, 600)
        assert item["thumb_url"] == a["thumb_url"]
        t = w.county.get(item["thumb_url"])
        assert t.status == 200 and t.header("Content-Type") == "image/jpeg", t
        assert jpeg_size(t.raw) == (320, 240)
    finally:
        s.stop()


def test_jpeg_thumbnail_fits_320_and_keeps_the_aspect_ratio():
    s, w = world()
    try:
        img = jpeg(1000, 500)
        assert jpeg_size(img) == (1000, 500)
        r = upload(w.ea, w.hid, img, "现场.jpg", "image/jpeg")
        assert r.status == 201, r
        assert r.json["content_type"] == "image/jpeg" and r.json["kind"] == "photo"
        assert (r.json["width"], r.json["height"]) == (1000, 500)
        t = w.ea.get(r.json["thumb_url"])
        assert t.status == 200 and jpeg_size(t.raw) == (320, 160)
        # a portrait photo, and one already smaller than the box (never enlarged)
        r = upload(w.ea, w.hid, jpeg(300, 900), "竖.jpg", "image/jpeg")
        assert r.status == 201 and jpeg_size(w.ea.get(r.json["thumb_url"]).raw) == (107, 320)
        r = upload(w.ea, w.hid, jpeg(200, 100), "小.jpg", "image/jpeg")
        assert r.status == 201 and jpeg_size(w.ea.get(r.json["thumb_url"]).raw) == (200, 100)
    finally:
        s.stop()


def test_photo_turned_by_exif_is_measured_and_thumbnailed_upright():
    s, w = world()
    try:
        r = upload(w.ea, w.hid, with_orientation(jpeg(400, 200), 6), "手机.jpg", "image/jpeg")
        assert r.status == 201, r
        assert (r.json["width"], r.json["height"]) == (200, 400)
        assert jpeg_size(w.ea.get(r.json["thumb_url"]).raw) == (160, 320)
    finally:
        s.stop()


def test_thumbnail_of_a_png_uploads_again_as_a_jpeg():
    s, w = world()
    try:
        r = upload(w.ea, w.hid, png(640, 640))
        assert r.status == 201, r
        thumb = w.ea.get(r.json["thumb_url"]).raw
        r = upload(w.ea, w.hid, thumb, "缩略图.jpg", "image/jpeg")
        assert r.status == 201 and r.json["content_type"] == "image/jpeg", r
        assert (r.json["width"], r.json["height"]) == (320, 320)
    finally:
        s.stop()


def test_download_returns_the_same_bytes_kept_by_their_hash():
    s, w = world()
    try:
        img = png(50, 40)
        r = upload(w.ea, w.hid, img, "C:\\fakepath\\隐患 照片(1).png")
        assert r.status == 201, r
        assert r.json["name"] == "隐患 照片(1).png"
        d = w.reg1.get(r.json["url"])
        assert d.status == 200, d
        assert sha(d.raw) == sha(img) == r.json["sha256"]
        assert d.header("Content-Type") == "image/png"
        assert d.header("Content-Disposition") == (
            "inline; filename*=UTF-8''%E9%9A%90%E6%82%A3%20%E7%85%A7%E7%89%87%281%29.png")
        assert d.header("Cache-Control") == "private, max-age=3600"
        assert d.header("X-Content-Type-Options") == "nosniff"
        path = os.path.join(w.data, sha(img)[:2], sha(img))
        with open(path, "rb") as f:
            assert f.read() == img
        assert oct(os.stat(os.path.dirname(path)).st_mode & 0o777) == "0o750"
    finally:
        s.stop()


def test_same_bytes_uploaded_twice_are_stored_once():
    s, w = world()
    try:
        img = png(64, 48)
        a = upload(w.ea, w.hid, img, "a.png")
        b = upload(w.county, w.hid, img, "b.png")
        assert a.status == 201 and b.status == 201, (a, b)
        assert a.json["id"] != b.json["id"] and a.json["sha256"] == b.json["sha256"]
        # one original and one thumbnail, for two rows
        assert rows(w) == 2 and len(stored_files(w.data)) == 2, stored_files(w.data)
        names = [i["name"] for i in w.ea.get("/api/v1/hazards/%d/attachments" % w.hid)
                 .json["items"]]
        assert names == ["a.png", "b.png"]
    finally:
        s.stop()


def test_corrupt_image_is_refused_and_nothing_is_stored():
    s, w = world()
    try:
        good_png, good_jpeg = png(100, 100), jpeg(400, 300)
        bad = [(good_png[:60] + b"\x00" * 200, "image/png"),           # cut off, padded
               (good_png[:len(good_png) // 2], "image/png"),
               (good_png[:40] + b"\xff" * 40 + good_png[80:], "image/png"),  # damaged data
               (good_jpeg[:len(good_jpeg) * 2 // 3], "image/jpeg"),
               (b"\xff\xd8\xff" + b"garbage" * 30, "image/jpeg")]
        for data, ctype in bad:
            assert_error(upload(w.ea, w.hid, data, "x", ctype), 422, field="file")
        assert rows(w) == 0 and stored_files(w.data) == []
    finally:
        s.stop()


def test_image_claiming_too_many_pixels_is_refused_before_decoding():
    s, w = world()
    try:
        bomb = png(6000, 6000, rows=b"\x00" * 1000)   # 36 megapixels in a few hundred bytes
        assert len(bomb) < 1000
        r = upload(w.ea, w.hid, bomb)
        assert_error(r, 422, "image_too_large", "file")
        assert rows(w) == 0 and stored_files(w.data) == []
    finally:
        s.stop()


# --- documents ------------------------------------------------------------------------

def test_documents_are_typed_by_their_content():
    s, w = world()
    try:
        cases = [(pdf(), "整改方案.pdf", "application/pdf", "application/pdf"),
                 (ooxml("word/document.xml"), "报告.docx", "application/octet-stream",
                  "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
                 (ooxml("xl/workbook.xml"), "台账.xlsx", None,
                  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")]
        for data, name, declared, want in cases:
            r = upload(w.ea, w.hid, data, name, declared)
            assert r.status == 201, r
            assert r.json["kind"] == "document" and r.json["content_type"] == want, r
            assert r.json["width"] is None and r.json["height"] is None
            assert r.json["thumb_url"] is None
            assert_error(w.ea.get(r.json["url"] + "/thumb"), 404)
            d = w.ea.get(r.json["url"])
            assert d.status == 200 and d.raw == data and d.header("Content-Type") == want
    finally:
        s.stop()


def test_wrong_magic_is_refused_and_nothing_is_stored():
    s, w = world()
    try:
        fakes = [(b"<html><script>alert(1)</script></html>", "x.png", "image/png"),
                 (b"GIF89a" + b"\x00" * 50, "x.gif", "image/gif"),
                 (b"MZ\x90\x00" + b"\x00" * 50, "report.pdf", "application/pdf"),
                 (ooxml("other/thing.xml"), "x.docx",
                  "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
                 (b"PK\x03\x04 not really a zip", "x.xlsx", "application/octet-stream")]
        for data, name, ctype in fakes:
            assert_error(upload(w.ea, w.hid, data, name, ctype), 415, "unsupported_media",
                         "file")
        assert rows(w) == 0 and stored_files(w.data) == []
    finally:
        s.stop()


# --- the request --------------------------------------------------------------------------

def test_files_over_10_mib_are_refused_with_413():
    s, w = world()
    try:
        limit = 10 * 1024 * 1024
        big = b"%PDF-1.4\n" + b"0" * (limit - 9 + 1)
        assert_error(upload(w.ea, w.hid, big, "big.pdf", "application/pdf"), 413,
                     field="file")
        assert_error(upload(w.ea, w.hid, big + b"0" * (2 * 1024 * 1024), "big.pdf",
                            "application/pdf"), 413, field="file")
        assert rows(w) == 0 and stored_files(w.data) == []
        r = upload(w.ea, w.hid, big[:limit], "exactly-10-mib.pdf", "application/pdf")
        assert r.status == 201 and r.json["size"] == limit, r
        # every other route keeps the 1 MiB body limit
        assert_error(w.ea.post_raw("/api/v1/hazards", b"{" + b" " * (1024 * 1024 + 1) + b"}",
                                   "application/json"), 413)
    finally:
        s.stop()


def test_a_body_that_is_not_multipart_is_refused():
    s, w = world()
    try:
        path = "/api/v1/hazards/%d/attachments" % w.hid
        assert_error(w.ea.post(path, {"file": "x"}), 415, "not_multipart")
        assert_error(w.ea.post_raw(path, png(4, 4), "image/png"), 415)
        body, ct = multipart([("photo", "x.png", "image/png", png(4, 4))])
        assert_error(w.ea.post_raw(path, body, ct), 422, field="file")
        assert_error(w.ea.post_raw(path, body[:-10], ct), 400, "invalid_multipart")
        body, ct = multipart([("file", "x.png", "image/png", b"")])
        assert_error(w.ea.post_raw(path, body, ct), 422, field="file")
        assert rows(w) == 0
    finally:
        s.stop()


# --- who ------------------------------------------------------------------------------------

def test_users_outside_the_hazards_scope_find_nothing():
    s, w = world()
    try:
        r = upload(w.ea, w.hid, png(32, 32))
        assert r.status == 201, r
        a = r.json
        for c in (w.eb, w.other_office, w.reg2, w.reg_other):
            assert_error(c.get("/api/v1/hazards/%d/attachments" % w.hid), 404)
            assert_error(c.get(a["url"]), 404)
            assert_error(c.get(a["thumb_url"]), 404)
            assert_error(upload(c, w.hid, png(8, 8)), 404)
        assert_error(w.ea.get("/api/v1/attachments/999999"), 404)
        assert_error(w.ea.get("/api/v1/hazards/999999/attachments"), 404)
        assert rows(w) == 1
    finally:
        s.stop()


def test_expert_reads_in_scope_but_does_not_upload():
    s, w = world()
    try:
        r = upload(w.ea, w.hid, png(32, 32))
        assert r.status == 201, r
        assert w.expert.get("/api/v1/hazards/%d/attachments" % w.hid).status == 200
        assert w.expert.get(r.json["url"]).status == 200
        assert_error(upload(w.expert, w.hid, png(8, 8)), 403)
        for admin in (w.sys, w.sec, w.aud):
            assert_error(upload(admin, w.hid, png(8, 8)), 403)
            assert_error(admin.get(r.json["url"]), 403)
    finally:
        s.stop()


def test_office_and_supervising_department_may_upload():
    s, w = world()
    try:
        for i, c in enumerate((w.county, w.town1, w.reg1)):
            r = upload(c, w.hid, png(16, 16 + i))
            assert r.status == 201, r
        assert rows(w) == 3
    finally:
        s.stop()


def test_closed_hazard_refuses_uploads_but_keeps_its_files():
    s, w = world()
    try:
        r = upload(w.ea, w.hid, png(32, 32))
        assert r.status == 201, r
        for body in ({"action": "plan", "responsible_person": "王五", "measures": "更换",
                      "deadline": "2026-03-20"},
                     {"action": "submit"}, {"action": "accept", "acceptor": "张三"}):
            t = w.ea.post("/api/v1/hazards/%d/transitions" % w.hid, body)
            assert t.status == 200, t
        assert t.json["status"] == "closed"
        assert_error(upload(w.ea, w.hid, png(8, 8)), 409)
        assert_error(upload(w.county, w.hid, pdf(), "x.pdf", "application/pdf"), 409)
        assert w.county.get(r.json["url"]).status == 200
        assert rows(w) == 1
    finally:
        s.stop()


def test_upload_is_audited():
    s, w = world()
    try:
        r = upload(w.ea, w.hid, pdf(), "方案.pdf", "application/pdf")
        assert r.status == 201, r
        out = sql(w.db, "SELECT action || '|' || object_id || '|' || after_json FROM audit_log"
                        " WHERE action = 'attachment.create'")
        action, oid, after = out.split("|", 2)
        assert oid == str(r.json["id"]) and sha(pdf()) in after and "方案.pdf" in after, out
    finally:
        s.stop()


# --- durability -----------------------------------------------------------------------------

def test_files_survive_a_restart():
    s, w = world()
    try:
        img = png(120, 90)
        r = upload(w.ea, w.hid, img)
        assert r.status == 201, r
        s.stop()
        s = Server(w.db, now=NOW, data=w.data).start()
        w.rebind(s)
        d = w.ea.get(r.json["url"])
        assert d.status == 200 and d.raw == img
        assert jpeg_size(w.ea.get(r.json["thumb_url"]).raw) == (120, 90)
    finally:
        s.stop()


def test_default_data_directory_is_next_to_the_sqlite_file():
    if CONFIG["backend"] != "sqlite":
        return  # the default there is ./qingling-files in the working directory
    db = fresh_db()
    cli_ok("init", "--db", db)
    s = Server(db, now=NOW).start()
    try:
        w = World(s, db)
        h = w.ea.post("/api/v1/hazards", hazard_body(w.ent_a)).json["id"]
        img = png(10, 10)
        assert upload(w.ea, h, img).status == 201
        assert os.path.exists(os.path.join(db + ".files", sha(img)[:2], sha(img)))
    finally:
        s.stop()
        shutil.rmtree(db + ".files", ignore_errors=True)


# --- photos sent with a public tip-off --------------------------------------------

def test_reporter_adds_photos_that_reviewers_see_and_the_hazard_keeps():
    s, w = world()
    try:
        public = s.client()
        r = public.post("/api/v1/tips", {"region_code": "210323100", "place": "岫岩镇东街",
                                          "description": "居民楼内存放液化气钢瓶", "anonymous": True})
        assert r.status == 201, r
        code = r.json["tracking_code"]
        path = "/api/v1/tips/%s/photos" % code
        photo = png(640, 480)
        body, ct = multipart([("file", "现场.png", "image/png", photo)])
        r = public.post_raw(path, body, ct)
        assert r.status == 201 and r.json["width"] == 640 and r.json["name"] == "现场.png", r
        # photos only, by their bytes; an unknown code finds nothing
        doc, ct2 = multipart([("file", "a.pdf", "application/pdf", pdf())])
        assert_error(public.post_raw(path, doc, ct2), 415, field="file")
        assert_error(public.post_raw("/api/v1/tips/JBNOSUCHCODE00/photos", body, ct), 404)
        for _ in range(4):
            assert public.post_raw(path, body, ct).status == 201
        assert_error(public.post_raw(path, body, ct), 409, field="file")   # five at most
        assert len(stored_files(w.data)) == 2                    # one photo, one thumbnail

        tid = int(sql(w.db, "SELECT id FROM tips WHERE tracking_code = '%s'" % code))
        lst = w.town1.get("/api/v1/tips/%d/photos" % tid)
        assert lst.status == 200 and len(lst.json["items"]) == 5, lst
        first = lst.json["items"][0]
        assert first["uploaded_by_name"] == "举报人" and first["uploaded_by"] is None
        got = w.town1.get(first["url"])
        assert got.status == 200 and sha(got.raw) == sha(photo)
        thumb = w.county.get(first["thumb_url"])
        assert thumb.status == 200 and max(jpeg_size(thumb.raw)) <= 320
        # outside the tip's region: nothing; the public cannot read them back
        for c in (w.other_office, w.reg_other, w.ea, public):
            assert c.get("/api/v1/tips/%d/photos" % tid).status in (401, 403, 404)
            assert c.get(first["url"]).status in (401, 403, 404)

        # verified as a hazard: the photos are the hazard's; the tip takes no more
        r = w.town1.post("/api/v1/tips/%d/review" % tid, {
            "result": "verified", "date": "2026-03-10", "create_hazard": True,
            "enterprise_id": w.ent_a})
        assert r.status == 200, r
        hid = r.json["hazard_id"]
        items = w.ea.get("/api/v1/hazards/%d/attachments" % hid).json["items"]
        assert len(items) == 5 and items[0]["tip_id"] == tid
        assert sha(w.ea.get(items[0]["url"]).raw) == sha(photo)
        assert_error(public.post_raw(path, body, ct), 409)
    finally:
        s.stop()
