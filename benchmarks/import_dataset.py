"""Benchmark: import a generated dataset of N employees into a fresh PostgreSQL database.

    python benchmarks/import_dataset.py [--employees 50000] [--database-url URL]

Creates (and afterwards drops) the database named in the URL (default
postgres://postgres@127.0.0.1:5432/wfh_bench), migrates it, generates opds/posts/
employees CSV files, then runs ``manage.py import_dataset`` in a child process and
prints its wall time and peak memory (max RSS), first on an empty database and then
again with the same files (the idempotent re-import). Budget (issue 2, this 2-core
machine): 50,000 employees in under 60 s and under 1 GB.
"""

import argparse
import csv
import os
import random
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlparse, urlunparse

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import run_manage  # noqa: E402

BUDGET_SECONDS = 60
BUDGET_MB = 1024


def generate(folder: Path, employees: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    opd_count = max(employees // 100, 1)
    with open(folder / "opds.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["code", "name", "essential"])
        for i in range(opd_count):
            w.writerow([f"OPD{i:04d}", f"Dinas Sintetis {i}", int(rng.random() < 0.3)])
    posts = []
    with open(folder / "posts.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["opd_code", "code", "name", "min_onsite"])
        for i in range(opd_count):
            for p in range(rng.randint(0, 4)):
                posts.append((f"OPD{i:04d}", f"P{p}"))
                w.writerow([f"OPD{i:04d}", f"P{p}", f"Pos {p}", rng.randint(1, 4)])
    posts_by_opd: dict[str, list[str]] = {}
    for opd, code in posts:
        posts_by_opd.setdefault(opd, []).append(code)
    used = set()
    with open(folder / "employees.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["nip", "name", "opd_code", "post_code", "wfh_eligible", "role"])
        for n in range(employees):
            while True:
                birth = date(1965, 1, 1) + timedelta(days=rng.randrange(12000))
                nip = (
                    f"{birth:%Y%m%d}{birth.year + rng.randint(22, 30)}{rng.randint(1, 12):02d}"
                    f"{rng.randint(1, 2)}{rng.randint(0, 999):03d}"
                )
                if nip not in used:
                    used.add(nip)
                    break
            opd = f"OPD{n % opd_count:04d}"
            choices = posts_by_opd.get(opd, [])
            post = rng.choice(choices) if choices and rng.random() < 0.4 else ""
            role = "head" if n < opd_count else "asn"
            w.writerow([nip, f"Pegawai {n}", opd, post, int(rng.random() < 0.9), role])


def admin_url(url: str) -> str:
    return urlunparse(urlparse(url)._replace(path="/postgres"))


def recreate_database(url: str, drop_only: bool = False) -> None:
    import psycopg

    name = urlparse(url).path.lstrip("/")
    with psycopg.connect(admin_url(url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=50_000)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/wfh_bench")
    options = parser.parse_args()

    env = {**os.environ, "DATABASE_URL": options.database_url, "CELERY_BROKER_URL": ""}
    recreate_database(options.database_url)
    try:
        run_manage(["migrate", "--noinput", "-v", "0"], env)
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            generate(folder, options.employees)
            size = sum(p.stat().st_size for p in folder.iterdir()) / 2**20
            print(f"dataset: {options.employees} employees, {size:.1f} MB of CSV")
            first, peak, out = run_manage(["import_dataset", str(folder)], env)
            print(out.strip())
            print(f"first import: {first:.1f} s, peak memory {peak:.0f} MB")
            again, peak2, out = run_manage(["import_dataset", str(folder)], env)
            print(out.strip().splitlines()[-2])
            print(f"re-import (nothing changes): {again:.1f} s, peak memory {peak2:.0f} MB")
    finally:
        recreate_database(options.database_url, drop_only=True)
    ok = first < BUDGET_SECONDS and peak < BUDGET_MB
    print(
        f"budget: < {BUDGET_SECONDS} s and < {BUDGET_MB} MB -> " + ("OK" if ok else "OVER BUDGET")
    )
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
