"""Example files for the dataset import page: one small valid file per name the
importer accepts (``services.dataset.DATASET_FILES``, in that order), with every column it reads,
required and optional. Together they load as one dataset; a test imports each through
the importer, so an example cannot drift from the rules.

Everything is made up ("OPD Contoh"), so trying an example on a real database with the
dry run changes nothing, and a real import only adds rows that are easy to spot.
"""

EXAMPLES = {
    "opds.csv": (
        "code,name,essential,office_lat,office_lon,geofence_radius_m,"
        "monthly_operating_cost,fixed_cost_share_percent\n"
        "CONTOH,Dinas Contoh,0,-6.2383,106.9920,150,120000000,60\n"
        "CONTOH-RS,Rumah Sakit Contoh,1,-6.2400,106.9950,200,,\n"
    ),
    "posts.csv": (
        "opd_code,code,name,min_onsite\n"
        "CONTOH,LAYANAN,Loket Pelayanan,2\n"
        "CONTOH-RS,IGD,Instalasi Gawat Darurat,3\n"
    ),
    "employees.csv": (
        "nip,name,opd_code,post_code,wfh_eligible,role,home_lat,home_lon,active,email\n"
        "197603142005121370,Slamet Kusuma,CONTOH,,0,head,,,1,slamet@contoh.go.id\n"
        "198111212013031428,Dadang Rahman,CONTOH,LAYANAN,1,asn,-6.2600,107.0100,1,\n"
        "199401292023102621,Ni Luh Putu Ayu Sukmawati,CONTOH,LAYANAN,1,asn,,,1,\n"
        "199607092024091071,Muhammad Gunawan,CONTOH,,1,asn,,,0,\n"
        "197501092005081615,Ahmad Saputra,CONTOH-RS,IGD,0,bkpsdm,,,1,\n"
    ),
    "leaves.csv": (
        "nip,start,end,kind\n"
        "198111212013031428,2026-12-16,2026-12-16,sakit\n"
        "199401292023102621,2026-12-21,2026-12-23,tahunan\n"
    ),
    "holidays.csv": ("date,name\n2026-12-24,Cuti bersama Natal\n2027-03-10,HUT Kota (contoh)\n"),
    "policies.csv": (
        "name,reference,start,end,mode,wfh_ratio,weekdays,"
        "max_remote_days_per_week,approval_required\n"
        'Kebijakan Contoh,800/123/BKPSDM,2030-01-01,2030-12-31,rotation,0.5,"tue,wed,thu,fri",'
        "2,ya\n"
    ),
    "costs.csv": ("opd_code,month,amount\nCONTOH,2026-10,118500000\nCONTOH,2026-11,121250000\n"),
}
