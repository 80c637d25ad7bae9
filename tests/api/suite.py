#!/usr/bin/env python3
"""suite.py - runs the HTTP/CLI tests (t_*.py) on one backend.

    python3 tests/api/suite.py --bin build/qingling --backend sqlite
    python3 tests/api/suite.py --bin build/qingling --backend pg [--pg-admin URI]

With --backend pg and no --pg-admin, a throwaway cluster is started on a free
loopback port (scripts/pgcluster) and removed at the end.  Ends with the line
"N passed, M failed"; exit status 1 if anything failed.
"""
import argparse
import glob
import importlib.util
import os
import sys
import tempfile
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import qltest  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="build/qingling")
    ap.add_argument("--backend", choices=["sqlite", "pg"], default="sqlite")
    ap.add_argument("--pg-admin")
    ap.add_argument("-k", dest="pattern")
    args = ap.parse_args()
    qltest.CONFIG["bin"] = os.path.abspath(args.bin)
    qltest.CONFIG["backend"] = args.backend
    cluster = None
    if args.backend == "pg":
        if args.pg_admin:
            qltest.CONFIG["pg_admin"] = args.pg_admin
        else:
            cluster = tempfile.mkdtemp(prefix="qingling-pg-")
            port = qltest.free_port()
            rc = os.system("%s/scripts/pgcluster start %s %d" % (ROOT, cluster, port))
            if rc != 0:
                print("could not start PostgreSQL")
                print("0 passed, 1 failed")
                return 1
            qltest.CONFIG["pg_admin"] = "postgresql://postgres@127.0.0.1:%d/postgres" % port
    print("backend: %s" % args.backend)
    passed = failed = 0
    failures = []
    try:
        for path in sorted(glob.glob(os.path.join(HERE, "t_*.py"))):
            name = os.path.basename(path)[:-3]
            spec = importlib.util.spec_from_file_location(name, path)
            mod = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(mod)
            for fn_name in sorted(n for n in dir(mod) if n.startswith("test_")):
                full = "%s.%s" % (name, fn_name)
                if args.pattern and args.pattern not in full:
                    continue
                t0 = time.time()
                try:
                    getattr(mod, fn_name)()
                    passed += 1
                    print("ok   %s (%.1fs)" % (full, time.time() - t0), flush=True)
                except Exception:
                    failed += 1
                    failures.append(full)
                    print("FAIL %s\n%s" % (full, traceback.format_exc()), flush=True)
    finally:
        if cluster:
            os.system("%s/scripts/pgcluster stop %s" % (ROOT, cluster))
    if failures:
        print("failed: " + ", ".join(failures))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
