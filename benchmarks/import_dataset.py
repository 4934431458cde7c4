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
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import recreate_database, run_manage  # noqa: E402
from synthetic import generate  # noqa: E402

BUDGET_SECONDS = 60
BUDGET_MB = 1024


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
