"""A deterministic demo of Kota Bekasi: real OPD names, plausible posts and staff.

``demo_dataset()`` returns the dataset as CSV bytes, exactly what BKPSDM would upload,
so the demo goes through the same validation and upserts as real data.
"""

import csv
import io
import random
from dataclasses import dataclass
from datetime import date, timedelta

from .calendar import current_week

DEMO_PASSWORD = "DemoBekasi2026"  # noqa: S105 - published demo password
SEED = 2026
# Balai Kota Bekasi, Jl. Ir. H. Juanda; offices are spread around it.
CITY_CENTRE = (-6.2383, 106.9920)


@dataclass(frozen=True)
class DemoOpd:
    code: str
    name: str
    essential: bool
    staff: int
    posts: tuple[tuple[str, str, int, int], ...] = ()  # code, name, min_onsite, staff


def _kecamatan(name: str) -> DemoOpd:
    code = "KEC-" + name.upper().replace(" ", "")
    return DemoOpd(code, f"Kecamatan {name}", True, 12, (("PATEN", "Layanan PATEN", 2, 4),))


def _kelurahan(name: str) -> DemoOpd:
    code = "KEL-" + name.upper().replace(" ", "")
    return DemoOpd(
        code, f"Kelurahan {name}", True, 7, (("ADM", "Layanan Administrasi Kelurahan", 2, 3),)
    )


PUSKESMAS = ("Bekasi Jaya", "Pekayon Jaya", "Jatiasih", "Bantargebang", "Pondok Gede", "Rawalumbu")

OPDS: tuple[DemoOpd, ...] = (
    DemoOpd(
        "SETDA", "Sekretariat Daerah", False, 70, (("INFO", "Layanan Informasi Publik", 1, 3),)
    ),
    DemoOpd(
        "SETWAN", "Sekretariat DPRD", False, 35, (("TAMU", "Penerimaan Tamu dan Aspirasi", 1, 2),)
    ),
    DemoOpd(
        "BAPPELITBANGDA",
        "Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah",
        False,
        35,
    ),
    DemoOpd(
        "BPKAD",
        "Badan Pengelolaan Keuangan dan Aset Daerah",
        False,
        45,
        (("SP2D", "Layanan SP2D", 2, 4),),
    ),
    DemoOpd(
        "BAPENDA",
        "Badan Pendapatan Daerah",
        True,
        40,
        (("PBB", "Loket Pelayanan PBB", 4, 6), ("BPHTB", "Loket BPHTB", 3, 4)),
    ),
    DemoOpd(
        "BKPSDM",
        "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
        False,
        30,
        (("KEPEG", "Layanan Kepegawaian", 2, 4),),
    ),
    DemoOpd(
        "BPBD",
        "Badan Penanggulangan Bencana Daerah",
        True,
        25,
        (("PUSDALOPS", "Pusdalops", 3, 5), ("TRC", "Tim Reaksi Cepat", 4, 6)),
    ),
    DemoOpd("KESBANGPOL", "Badan Kesatuan Bangsa dan Politik", False, 20),
    DemoOpd(
        "INSPEKTORAT", "Inspektorat Daerah", False, 30, (("ADUAN", "Layanan Pengaduan", 1, 2),)
    ),
    DemoOpd(
        "DISDIK",
        "Dinas Pendidikan",
        False,
        60,
        (("PPDB", "Layanan PPDB dan Mutasi Siswa", 2, 4), ("UMUM", "Layanan Umum", 1, 2)),
    ),
    DemoOpd(
        "DINKES",
        "Dinas Kesehatan",
        True,
        120,
        tuple((f"PKM-{i + 1}", f"Puskesmas {n}", 5, 9) for i, n in enumerate(PUSKESMAS))
        + (("PSC119", "Public Safety Center 119", 3, 5),),
    ),
    DemoOpd(
        "RSUD",
        "RSUD dr. Chasbullah Abdulmadjid",
        True,
        120,
        (
            ("IGD", "Instalasi Gawat Darurat", 10, 16),
            ("RAJAL", "Rawat Jalan", 8, 12),
            ("FARMASI", "Instalasi Farmasi", 4, 6),
            ("RM", "Rekam Medis", 3, 5),
        ),
    ),
    DemoOpd(
        "DINSOS",
        "Dinas Sosial",
        True,
        30,
        (("LAYSOS", "Layanan Sosial Terpadu", 3, 5), ("SINGGAH", "Rumah Singgah", 2, 4)),
    ),
    DemoOpd(
        "DISHUB",
        "Dinas Perhubungan",
        True,
        50,
        (
            ("KIR", "Pengujian Kendaraan Bermotor", 4, 6),
            ("LALIN", "Pengaturan Lalu Lintas", 8, 12),
            ("TERMINAL", "Terminal Induk Bekasi", 4, 6),
        ),
    ),
    DemoOpd(
        "DLH",
        "Dinas Lingkungan Hidup",
        True,
        60,
        (
            ("KEBERSIHAN", "Kebersihan dan Pengangkutan Sampah", 10, 16),
            ("TPST", "TPST Bantargebang", 6, 9),
            ("LAB", "Laboratorium Lingkungan", 2, 3),
        ),
    ),
    DemoOpd(
        "DISDUKCAPIL",
        "Dinas Kependudukan dan Pencatatan Sipil",
        True,
        40,
        (
            ("KTP", "Loket KTP-el", 3, 6),
            ("KK", "Loket KK dan Akta", 3, 5),
            ("ONLINE", "Layanan Daring", 2, 3),
        ),
    ),
    DemoOpd(
        "DPMPTSP",
        "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
        True,
        30,
        (("LOKET", "Loket Perizinan", 4, 6), ("INFO", "Informasi dan Pengaduan", 2, 3)),
    ),
    DemoOpd(
        "DAMKAR",
        "Dinas Pemadam Kebakaran dan Penyelamatan",
        True,
        45,
        (("REGU-A", "Regu Jaga Pos Induk", 8, 12), ("SEKTOR", "Pos Sektor Bantargebang", 4, 6)),
    ),
    DemoOpd(
        "SATPOLPP",
        "Satuan Polisi Pamong Praja",
        True,
        45,
        (("PIKET", "Piket Markas", 4, 6), ("PATROLI", "Patroli Ketertiban", 6, 9)),
    ),
    DemoOpd(
        "DBMSDA",
        "Dinas Bina Marga dan Sumber Daya Air",
        False,
        45,
        (("POMPA", "Satgas Rumah Pompa", 3, 5), ("ADUAN", "Pengaduan Jalan dan Drainase", 1, 2)),
    ),
    DemoOpd(
        "DISPERKIMTAN",
        "Dinas Perumahan, Kawasan Permukiman dan Pertanahan",
        False,
        30,
        (("PSU", "Layanan Serah Terima PSU", 1, 2),),
    ),
    DemoOpd(
        "DISTARU",
        "Dinas Tata Ruang",
        False,
        30,
        (("PBG", "Layanan Persetujuan Bangunan Gedung", 2, 2),),
    ),
    DemoOpd(
        "DISKOPUKM",
        "Dinas Koperasi dan Usaha Kecil Menengah",
        False,
        25,
        (("KLINIK", "Klinik UMKM", 1, 2),),
    ),
    DemoOpd(
        "DISDAGPERIN",
        "Dinas Perdagangan dan Perindustrian",
        False,
        30,
        (("METRO", "Layanan Tera dan Metrologi", 2, 3),),
    ),
    DemoOpd(
        "DISNAKER",
        "Dinas Tenaga Kerja",
        False,
        25,
        (("AK1", "Layanan Kartu Pencari Kerja (AK/1)", 2, 3),),
    ),
    DemoOpd(
        "DP3A",
        "Dinas Pemberdayaan Perempuan dan Perlindungan Anak",
        False,
        25,
        (("PPA", "Layanan Pengaduan UPTD PPA", 2, 3),),
    ),
    DemoOpd(
        "DPPKB",
        "Dinas Pengendalian Penduduk dan Keluarga Berencana",
        False,
        25,
        (("KB", "Layanan KB", 1, 2),),
    ),
    DemoOpd(
        "DISPORA",
        "Dinas Kepemudaan dan Olahraga",
        False,
        25,
        (("GOR", "Pengelola GOR Patriot", 2, 3),),
    ),
    DemoOpd(
        "DISBUDPAR",
        "Dinas Kebudayaan dan Pariwisata",
        False,
        20,
        (("WISATA", "Layanan Informasi Wisata", 1, 2),),
    ),
    DemoOpd(
        "DISKOMINFOSTANDI",
        "Dinas Komunikasi, Informatika, Statistik dan Persandian",
        False,
        40,
        (("CC", "Bekasi Command Center", 2, 4), ("ADUAN", "Layanan Aduan Warga", 2, 3)),
    ),
    DemoOpd(
        "DKPPP",
        "Dinas Ketahanan Pangan, Pertanian dan Perikanan",
        False,
        25,
        (("TANI", "Layanan Penyuluhan Pertanian", 1, 2),),
    ),
    DemoOpd(
        "DISARPUS",
        "Dinas Arsip dan Perpustakaan",
        False,
        25,
        (("PUSTAKA", "Layanan Perpustakaan", 2, 3),),
    ),
    *(
        _kecamatan(n)
        for n in (
            "Bantargebang",
            "Bekasi Barat",
            "Bekasi Selatan",
            "Bekasi Timur",
            "Bekasi Utara",
            "Jatiasih",
            "Jatisampurna",
            "Medan Satria",
            "Mustika Jaya",
            "Pondok Gede",
            "Pondok Melati",
            "Rawalumbu",
        )
    ),
    *(
        _kelurahan(n)
        for n in (
            "Margahayu",
            "Bintara",
            "Harapan Jaya",
            "Jatibening",
            "Jatiwaringin",
            "Kayuringin Jaya",
            "Pekayon Jaya",
            "Aren Jaya",
            "Duren Jaya",
            "Sumur Batu",
            "Jatiasih",
            "Pejuang",
        )
    ),
)

MALE = (
    "Agus",
    "Ahmad",
    "Andi",
    "Arief",
    "Bambang",
    "Budi",
    "Dedi",
    "Dimas",
    "Eko",
    "Fajar",
    "Hendra",
    "Irfan",
    "Joko",
    "Kurniawan",
    "Muhammad",
    "Nanang",
    "Rizky",
    "Rudi",
    "Slamet",
    "Taufik",
    "Teguh",
    "Wahyu",
    "Yudi",
    "Asep",
    "Ujang",
    "Dadang",
    "Cecep",
    "Iwan",
)
FEMALE = (
    "Ani",
    "Dewi",
    "Fitri",
    "Indah",
    "Lestari",
    "Maya",
    "Nur",
    "Putri",
    "Ratna",
    "Rina",
    "Sari",
    "Siti",
    "Sri",
    "Tuti",
    "Wulan",
    "Yanti",
    "Euis",
    "Neneng",
    "Rini",
    "Nining",
    "Dian",
    "Ayu",
    "Kartika",
    "Nurul",
)
SECOND = (
    "Hidayat",
    "Saputra",
    "Pratama",
    "Santoso",
    "Wibowo",
    "Kusuma",
    "Suryadi",
    "Rahman",
    "Setiawan",
    "Permana",
    "Nugraha",
    "Hakim",
    "Maulana",
    "Susanti",
    "Handayani",
    "Rahmawati",
    "Wahyuni",
    "Kurnia",
    "Gunawan",
    "Firmansyah",
    "Supriatna",
    "Sumarni",
    "Lubis",
    "Siregar",
    "Nasution",
    "Sihombing",
    "Hasibuan",
    "Ramadhan",
)


@dataclass(frozen=True)
class DemoLogin:
    label: str
    nip: str
    name: str
    opd_code: str


@dataclass(frozen=True)
class DemoDataset:
    files: dict[str, bytes]
    logins: list[DemoLogin]
    nips: list[str]


def _csv(header: list[str], rows: list[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def _nip(rng: random.Random, gender: int, used: set[str]) -> str:
    while True:
        birth = date(1966, 1, 1) + timedelta(days=rng.randrange(0, 365 * 33))
        appointed = min(birth.year + rng.randint(22, 32), 2024)
        nip = f"{birth:%Y%m%d}{appointed}{rng.randint(1, 12):02d}{gender}{rng.randint(1, 999):03d}"
        if nip not in used:
            used.add(nip)
            return nip


def _person(rng: random.Random, used: set[str]) -> tuple[str, str]:
    gender = rng.choice((1, 2))
    first = rng.choice(MALE if gender == 1 else FEMALE)
    return _nip(rng, gender, used), f"{first} {rng.choice(SECOND)}"


def _near(rng: random.Random, point: tuple[float, float], spread: float) -> tuple[float, float]:
    return (
        round(point[0] + rng.uniform(-spread, spread), 6),
        round(point[1] + rng.uniform(-spread, spread), 6),
    )


POLICIES = [
    # West Java's SE 150/KPG.03/BKD: phase I, every Thursday at home during November 2025.
    ["Fase I - WFH Kamis", "150/KPG.03/BKD", "2025-11-01", "2025-12-01", "fixed_days", "", "thu"],
    # Phase II from 2 December 2025: 50:50, Monday everyone in the office.
    [
        "Fase II - Rotasi 50:50",
        "150/KPG.03/BKD",
        "2025-12-02",
        "2027-12-31",
        "rotation",
        "0.5",
        "tue,wed,thu,fri",
    ],
]
HOLIDAYS = [
    ["2026-03-10", "HUT Kota Bekasi"],
    ["2027-03-10", "HUT Kota Bekasi"],
]


def _demo_leaves(rng, employee_rows, monday: date) -> list[list[str]]:
    """Leave around the current and next week, including a deliberate shortfall: most of
    Bekasi Command Center is away next Wednesday, so the head sees a red coverage cell."""
    rows = []
    next_wednesday = monday + timedelta(days=9)
    command_center = [r for r in employee_rows if r[2] == "DISKOMINFOSTANDI" and r[3] == "CC"]
    for row in command_center[:3]:
        rows.append([row[0], next_wednesday.isoformat(), next_wednesday.isoformat(), "sakit"])
    others = [r for r in employee_rows if r[5] == "asn" and r not in command_center]
    for row in rng.sample(others, 40):
        start = monday + timedelta(days=rng.randrange(0, 12))
        end = start + timedelta(days=rng.randrange(0, 3))
        kind = rng.choice(["tahunan", "tahunan", "sakit", "alasan_penting", "dinas_luar"])
        rows.append([row[0], start.isoformat(), end.isoformat(), kind])
    return rows


def _demo_costs(opd_rows, today: date) -> list[list]:
    """The bills of the two months before this one: about what the office cost before
    WFH for an essential OPD, 10-22 % less for the others (West Java's trial saw about
    20 %). Its own random stream, so the rest of the demo does not change with it."""
    rng = random.Random(2026)
    this_month = today.replace(day=1)
    months = [(this_month - timedelta(days=1)).replace(day=1)]
    months.insert(0, (months[0] - timedelta(days=1)).replace(day=1))
    rows = []
    for month in months:
        for code, _name, essential, *_rest, cost in opd_rows:
            if cost:
                cut = rng.uniform(-0.02, 0.02) if essential else rng.uniform(0.10, 0.22)
                rows.append([code, month.strftime("%Y-%m"), int(round(cost * (1 - cut), -3))])
    return rows


def demo_dataset(today: date) -> DemoDataset:
    """The demo organisation as dataset CSV files, plus the accounts worth printing.

    Leave is placed around the current roster week; nothing else depends on ``today``.
    """
    rng = random.Random(SEED)
    used: set[str] = set()
    opd_rows, post_rows, employee_rows = [], [], []
    heads: dict[str, tuple[str, str]] = {}
    first_asn: dict[tuple[str, bool], tuple[str, str]] = {}
    bkpsdm_logins = []

    for opd in OPDS:
        office = _near(rng, CITY_CENTRE, 0.06)
        cost = rng.randrange(120, 650) * 1_000_000
        opd_rows.append([opd.code, opd.name, int(opd.essential), *office, 150, cost])

        def add(post_code: str, wfh_eligible: bool, role: str = "asn", opd=opd) -> tuple[str, str]:
            nip, name = _person(rng, used)
            home = _near(rng, CITY_CENTRE, 0.12) if rng.random() < 0.7 else ("", "")
            employee_rows.append(
                [nip, name, opd.code, post_code, int(wfh_eligible), role, *home, 1]
            )
            return nip, name

        heads[opd.code] = add("", False, "head")
        assigned = 1
        for code, name, min_onsite, staff in opd.posts:
            post_rows.append([opd.code, code, name, min_onsite])
            for _ in range(staff):
                add(code, True)
            assigned += staff
        for index in range(max(opd.staff - assigned, 0)):
            if opd.code == "BKPSDM" and index < 3:
                nip, name = add("", True, "bkpsdm")
                bkpsdm_logins.append((nip, name))
                continue
            # Drivers, guards and the like cannot work from home.
            eligible = rng.random() >= 0.08
            person = add("", eligible)
            if eligible:
                first_asn.setdefault((opd.code, opd.essential), person)

    logins = [DemoLogin("BKPSDM", nip, name, "BKPSDM") for nip, name in bkpsdm_logins[:1]]
    logins.append(DemoLogin("Kepala OPD", *heads["DISKOMINFOSTANDI"], "DISKOMINFOSTANDI"))
    logins.append(
        DemoLogin("ASN (boleh WFH)", *first_asn[("DISKOMINFOSTANDI", False)], "DISKOMINFOSTANDI")
    )
    logins.append(DemoLogin("ASN (OPD esensial)", *first_asn[("DISDUKCAPIL", True)], "DISDUKCAPIL"))

    monday = current_week(today)
    files = {
        "policies.csv": _csv(
            ["name", "reference", "start", "end", "mode", "wfh_ratio", "weekdays"], POLICIES
        ),
        "holidays.csv": _csv(["date", "name"], HOLIDAYS),
        "leaves.csv": _csv(
            ["nip", "start", "end", "kind"], _demo_leaves(rng, employee_rows, monday)
        ),
        "opds.csv": _csv(
            [
                "code",
                "name",
                "essential",
                "office_lat",
                "office_lon",
                "geofence_radius_m",
                "monthly_operating_cost",
            ],
            opd_rows,
        ),
        "posts.csv": _csv(["opd_code", "code", "name", "min_onsite"], post_rows),
        "costs.csv": _csv(["opd_code", "month", "amount"], _demo_costs(opd_rows, today)),
        "employees.csv": _csv(
            [
                "nip",
                "name",
                "opd_code",
                "post_code",
                "wfh_eligible",
                "role",
                "home_lat",
                "home_lon",
                "active",
            ],
            employee_rows,
        ),
    }
    return DemoDataset(files, logins, [row[0] for row in employee_rows])
