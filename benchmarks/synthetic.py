"""A synthetic organisation as dataset CSV files, shared by the benchmarks."""

import csv
import random
from datetime import date, timedelta
from pathlib import Path


def generate(folder: Path, employees: int, seed: int = 7) -> list[str]:
    """Write opds.csv, posts.csv and employees.csv for ``employees`` people; return the NIPs."""
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
    return sorted(used)
