"""County profiles: the knobs that shape each county of the demonstration data.

One row per county; every generator module reads its parameters from this
frame, so the whole dataset is produced vectorised across counties.

For Qingyuan the profiles are set by hand (tables below) so that the data show
contrasts an analyst would recognise: urban Qingcheng (many migrant children,
large schools, big classes, a public-kindergarten share below 50 %, the best
equipped schools: most pass the 优质均衡 school rule); the mountainous
autonomous counties Liannan and Lianshan, and Yangshan (small rural schools
and teaching points, ample floor area but little equipment and few backbone
teachers: a minority of schools pass; Liannan's dropout rate above 0.5 %);
large rural Yingde (a majority of schools pass, but backbone teachers are
spread unevenly between primary schools, CV just above 0.50). The resource
knobs (``backbone``, ``pe_arts``, ``space``, ``equip``, ``sig_p``,
``sig_b``, ``sig_o``) were tuned on seed 2022 against the measured pass shares and
差异系数 that the data README reports. For a synthetic region of N counties
every parameter is drawn at random around the same values, driven by one
latent "rurality" per county.

All numbers are invented for demonstration except the populations (2020
census) and the provincial benchmarks they are calibrated to (广东省教育事业
发展统计公报 2021): primary pupil : teacher 18.22, junior 13.62; 99.19 % of
primary teachers 大专+, 93.74 % of junior teachers 本科+.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd

from qyanalysis.contract.counties import BUILTIN_COUNTIES_CSV, CITY_KIND

# Column meanings (fractions unless said otherwise):
#   rural      share of schools in rural areas (drives location, ageing, sizes)
#   size       school-size factor (1 = Qingyuan average)
#   tp         teaching-point multiplier (教学点 per resident, 1 = average)
#   growth     yearly enrollment growth (log points)
#   migrant    migrant children (随迁子女) among compulsory pupils
#   mig_pub    share of them in public schools (target >= 0.85)
#   dropout    compulsory dropout rate (target <= 0.005)
#   kg_pub     enrollment share of public kindergartens 2022 (target >= 0.50)
#   kg_incl    public + inclusive private share 2022 (target >= 0.80)
#   ptr        pupil : teacher multiplier (primary base 18.2, junior 13.6)
#   qual_p     primary teachers 大专+;  qual_j  junior teachers 本科+
#   backbone   county-level backbone teachers among teachers;  pe_arts  PE/arts teachers among teachers
#              (优质均衡 standard: 1.0 and 0.9 per 100 pupils, i.e. about 18 % and 16 % of teachers at
#              Guangdong's 18.2 primary pupils per teacher)
#   temp       temporary : (established + temporary) teachers 2022 (item 27)
#   temp_tr    yearly change of that ratio (points)
#   space      floor/sports area relative to the 优质均衡 standard (county mean, before the small-school bonus)
#   equip      equipment / multimedia relative to the standard
#   sig_p      dispersion (log sd) of primary-school resources
#   sig_b      dispersion of primary-school backbone teachers (equal to sig_p but where a county's
#              backbone 差异系数 is set apart from its resources' on purpose)
#   sig_o      dispersion of the other schools' resources
#   fitness    fitness 优良率 2022 (target >= 0.50)
#   myopia     myopia level relative to the national age profile
#   myo_tr     yearly change of the myopia rate (points; target <= -0.005)
#   rr_cov     schools with >= 5 disabled pupils that have a resource room
#   class_p    average primary class;  class_j  average junior class
_QINGYUAN_PROFILES = """
code   rural size tp  growth  migrant mig_pub dropout kg_pub kg_incl ptr  qual_p qual_j backbone pe_arts temp  temp_tr space equip sig_p sig_b sig_o fitness myopia myo_tr  rr_cov class_p class_j
441802 0.08  1.90 0.1  0.030  0.38    0.82    0.0012  0.45   0.84    1.12 0.998  0.970  0.28     0.23    0.085 -0.006  1.45  1.45  0.20  0.20  0.18  0.56    1.08   -0.008  1.00   47      50
441803 0.45  1.10 1.0  0.010  0.12    0.93    0.0018  0.55   0.88    1.01 0.993  0.940  0.26     0.21    0.032 -0.003  1.35  1.30  0.24  0.24  0.22  0.52    1.02    0.004  0.85   43      48
441821 0.45  1.10 0.8  0.005  0.09    0.95    0.0015  0.62   0.90    1.00 0.994  0.945  0.26     0.21    0.028 -0.002  1.35  1.30  0.22  0.22  0.20  0.58    1.00   -0.009  1.00   42      47
441823 0.70  0.75 2.2 -0.015  0.04    0.97    0.0026  0.66   0.91    0.90 0.986  0.905  0.20     0.18    0.036 -0.002  1.25  1.05  0.30  0.30  0.39  0.48    0.95   -0.007  0.80   38      45
441825 0.80  0.50 3.5 -0.020  0.03    0.98    0.0031  0.70   0.93    0.80 0.978  0.880  0.18     0.16    0.040 -0.002  1.30  0.98  0.41  0.55  0.28  0.46    0.92   -0.006  0.75   30      42
441826 0.80  0.55 3.5 -0.018  0.03    0.98    0.0068  0.68   0.92    0.80 0.979  0.885  0.17     0.16    0.040 -0.001  1.30  0.95  0.47  0.36  0.30  0.45    0.93   -0.005  0.70   31      43
441881 0.65  0.95 1.3 -0.005  0.06    0.95    0.0028  0.56   0.86    0.96 0.989  0.920  0.26     0.20    0.062  0.002  1.45  1.35  0.40  0.38  0.24  0.50    0.98   -0.010  0.90   41      47
441882 0.55  0.85 1.8 -0.010  0.05    0.96    0.0020  0.60   0.89    0.92 0.990  0.925  0.25     0.20    0.030 -0.002  1.35  1.25  0.26  0.26  0.24  0.53    0.97   -0.006  1.00   39      46
"""

# Inputs of the indicators table (2022 values unless said otherwise):
#   purch_tr   yearly change of government-purchased seats (target <= -0.05)
#   pay        teacher pay relative to local civil servants (target >= 1.0)
#   cs_pay     civil-servant average pay (yuan / year)
#   funding    per-student funding relative to the provincial standard
#   retention  junior three-year retention (target >= 0.95)
#   dis_enroll  disabled children's enrollment rate (target >= 0.95)
#   seat_pre / seat_com / seat_sen   share of the county quota reached by 2022-09
#   attached   attached kindergarten classes standardised by 2022-09
#   parent     national model parent-school zone by 2022-09 (1/0)
#   trained    backbone teachers, principals and class teachers trained in the whole of 2022 (>= 100);
#              the data show only the cumulative quarters up to 2022-Q3 (about 79 % of it)
#   rotation   rotated teachers among eligible (交流轮岗);  rot_bb  backbone share of them
_QINGYUAN_INDICATOR_PROFILES = """
code   purch_tr pay  cs_pay  funding retention dis_enroll seat_pre seat_com seat_sen attached parent trained rotation rot_bb
441802 -0.070   1.06 148000  1.08    0.985     0.985     0.55     0.93     0.80     1.00     1      168     0.125    0.28
441803 -0.060   1.02 126000  1.02    0.970     0.970     0.48     0.90     0.78     1.00     1      121     0.110    0.24
441821 -0.080   1.03 121000  1.05    0.975     0.975     0.62     0.95     0.85     1.00     1      108     0.095    0.22
441823 -0.055   0.96 118000  0.97    0.958     0.962     0.40     0.88     0.70     0.92     1      103     0.088    0.18
441825 -0.055   1.01 116000  1.00    0.952     0.951     0.45     0.86     0.74     0.90     0      64      0.082    0.17
441826 -0.020   1.00 116000  1.01    0.935     0.940     0.50     0.89     0.76     1.00     0      71      0.086    0.17
441881 -0.065   1.01 124000  0.98    0.962     0.966     0.44     0.91     0.77     0.95     1      142     0.130    0.21
441882 -0.060   1.04 120000  1.03    0.966     0.968     0.52     0.92     0.82     1.00     1      110     0.105    0.26
"""


def _read_table(text: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(text), sep=r"\s+", dtype={"code": str})


def qingyuan_counties() -> pd.DataFrame:
    """The built-in Qingyuan registry (city row included), as shipped in the contract."""
    return pd.read_csv(BUILTIN_COUNTIES_CSV, dtype={"county_code": str})


def qingyuan_profiles() -> pd.DataFrame:
    """Hand-set profiles of Qingyuan's 8 counties, one row per county, sorted by code.

    Returns:
        Frame with ``county_code``, ``short_zh``, ``population`` (2020 census,
        persons) and every parameter of the two tables above.
    """
    registry = qingyuan_counties()
    counties = registry[registry["kind"] != CITY_KIND]
    schools = _read_table(_QINGYUAN_PROFILES)
    inputs = _read_table(_QINGYUAN_INDICATOR_PROFILES)
    frame = schools.merge(inputs, on="code", validate="1:1").rename(columns={"code": "county_code"})
    frame = frame.merge(
        counties[["county_code", "short_zh", "population_2020_census"]], on="county_code", validate="1:1"
    ).rename(columns={"population_2020_census": "population"})
    return frame.sort_values("county_code").reset_index(drop=True)


def synthetic_counties(n_counties: int) -> pd.DataFrame:
    """Codes and names of a synthetic region of ``n_counties`` counties plus its city row.

    Codes are 6-digit strings ``900000`` (the city) and ``900001`` … (counties);
    names are 示范县0001 / Demo County 0001. Populations are filled in by
    :func:`synthetic_profiles`.
    """
    if not 1 <= n_counties <= 99_999:
        raise ValueError(f"n_counties must be between 1 and 99999, got {n_counties}")
    width = max(4, len(str(n_counties)))
    numbers = pd.Series(np.arange(1, n_counties + 1)).astype(str).str.zfill(width)
    counties = pd.DataFrame({
        "county_code": (900_000 + np.arange(1, n_counties + 1)).astype(str),
        "name_zh": "示范县" + numbers,
        "name_en": "Demo County " + numbers,
        "short_zh": "示范" + numbers,
        "kind": "county",
    })
    city = pd.DataFrame({"county_code": ["900000"], "name_zh": ["示范市"], "name_en": ["Demo City"],
                         "short_zh": ["示范市"], "kind": [CITY_KIND]})
    return pd.concat([city, counties], ignore_index=True)


def synthetic_profiles(counties: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Random profiles for the counties of a synthetic region (vectorised over counties).

    Each county gets a latent rurality r in (0, 1); sizes, teaching points,
    migrants, resources and staffing follow it with noise, within the ranges of
    the Qingyuan profiles. Population is log-normal (median 260,000, capped
    30,000–2,000,000), so 2,846 counties give about 300,000 schools, 1.2
    million school × year rows.
    """
    codes = counties.loc[counties["kind"] != CITY_KIND, ["county_code", "short_zh"]].reset_index(drop=True)
    n = len(codes)
    r = rng.beta(2.0, 2.0, n)
    u = 1.0 - r

    def noise(sd: float) -> np.ndarray:
        return rng.normal(0.0, sd, n)

    def between(low: float, high: float) -> np.ndarray:
        return rng.uniform(low, high, n)

    frame = pd.DataFrame({
        "county_code": codes["county_code"],
        "short_zh": codes["short_zh"],
        "population": np.clip(np.round(260_000 * np.exp(rng.normal(0.0, 0.55, n))), 30_000, 2_000_000),
        "rural": r,
        "size": np.clip(np.exp(0.75 - 1.5 * r + noise(0.1)), 0.45, 2.2),
        "tp": np.clip(0.1 + 4.0 * r**2 + noise(0.2), 0.0, 4.0),
        "growth": 0.03 - 0.05 * r + noise(0.005),
        "migrant": np.clip(0.02 + 0.36 * u**3 + noise(0.01), 0.0, 0.5),
        "mig_pub": np.clip(0.80 + 0.18 * r + noise(0.02), 0.6, 1.0),
        "dropout": np.clip(0.001 + 0.003 * r + np.abs(noise(0.001)), 0.0, 0.02),
        "kg_pub": np.clip(0.42 + 0.3 * r + noise(0.04), 0.2, 0.9),
        "kg_incl": np.clip(0.83 + 0.1 * r + noise(0.02), 0.6, 0.99),
        "ptr": np.clip(1.12 - 0.35 * r + noise(0.03), 0.7, 1.3),
        "qual_p": np.clip(0.999 - 0.022 * r + noise(0.003), 0.9, 1.0),
        "qual_j": np.clip(0.975 - 0.1 * r + noise(0.01), 0.7, 1.0),
        "backbone": np.clip(0.29 - 0.16 * r**2 + noise(0.01), 0.05, 0.35),
        "pe_arts": np.clip(0.235 - 0.09 * r + noise(0.01), 0.05, 0.3),
        "temp": np.clip(0.02 + 0.05 * rng.random(n) ** 2, 0.0, 0.2),
        "temp_tr": noise(0.003),
        "space": np.clip(1.42 - 0.12 * r + noise(0.06), 0.8, 1.8),
        "equip": np.clip(1.5 - 0.75 * r**2 + noise(0.06), 0.6, 1.8),
        "sig_p": np.clip(0.2 + 0.15 * r + np.abs(noise(0.08)), 0.1, 0.8),
        "sig_o": np.clip(0.18 + 0.12 * r + noise(0.02), 0.1, 0.6),
        "fitness": between(0.44, 0.6),
        "myopia": np.clip(1.08 - 0.16 * r + noise(0.02), 0.7, 1.3),
        "myo_tr": noise(0.004) - 0.006,
        "rr_cov": np.minimum(between(0.6, 1.15), 1.0),
        "class_p": np.round(np.clip(48 - 18 * r + noise(1.5), 20, 60)),
        "class_j": np.round(np.clip(52 - 10 * r + noise(1.5), 25, 65)),
        "purch_tr": np.clip(noise(0.015) - 0.06, -0.15, 0.0),
        "pay": np.clip(1.02 + noise(0.03), 0.85, 1.2),
        "cs_pay": np.round(np.clip(150_000 - 35_000 * r + noise(5_000), 80_000, 250_000), -3),
        "funding": np.clip(1.02 + noise(0.04), 0.8, 1.3),
        "retention": np.clip(0.985 - 0.04 * r + noise(0.008), 0.85, 0.999),
        "dis_enroll": np.clip(0.985 - 0.035 * r + noise(0.008), 0.85, 0.999),
        "seat_pre": between(0.35, 0.65),
        "seat_com": between(0.82, 0.97),
        "seat_sen": between(0.68, 0.88),
        "attached": np.where(rng.random(n) < 0.75, 1.0, np.round(between(0.85, 0.99), 2)),
        "parent": (rng.random(n) < 0.7).astype(int),
        "trained": np.round(np.clip(60 + 90 * (1 - r) + noise(15), 20, 250)),
        "rotation": between(0.08, 0.14),
        "rot_bb": between(0.16, 0.30),
    })
    frame.insert(frame.columns.get_loc("sig_p") + 1, "sig_b", frame["sig_p"])
    return frame
