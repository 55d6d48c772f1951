"""ISO 3166-1 alpha-2 countries by continent, for the nationality-by-continent figure."""

from django.utils.translation import gettext_lazy as _

CONTINENT_LABELS = {
    "africa": _("Africa"),
    "asia": _("Asia"),
    "europe": _("Europe"),
    "north_america": _("North America"),
    "south_america": _("South America"),
    "oceania": _("Oceania"),
    "other": _("Other or unknown"),
}

_CODES = {
    "africa": (
        "DZ AO BJ BW BF BI CV CM CF TD KM CG CD CI DJ EG GQ ER SZ ET GA GM GH GN GW KE LS LR LY "
        "MG MW ML MR MU YT MA MZ NA NE NG RE RW SH ST SN SC SL SO ZA SS SD TZ TG TN UG EH ZM ZW"
    ),
    "asia": (
        "AF AM AZ BH BD BT BN KH CN CY GE HK IN ID IR IQ IL JP JO KZ KW KG LA LB MO MY MV MN MM "
        "NP KP OM PK PS PH QA SA SG KR LK SY TW TJ TH TL TR TM AE UZ VN YE IO"
    ),
    "europe": (
        "AX AL AD AT BY BE BA BG HR CZ DK EE FO FI FR DE GI GR GG HU IS IE IM IT JE XK LV LI LT "
        "LU MT MD MC ME NL MK NO PL PT RO RU SM RS SK SI ES SJ SE CH UA GB VA"
    ),
    "north_america": (
        "AI AG AW BS BB BZ BM BQ VG CA KY CR CU CW DM DO SV GL GD GP GT HT HN JM MQ MX MS NI PA "
        "PR BL KN LC MF PM VC SX TT TC US VI UM"
    ),
    "south_america": "AR BO BV BR CL CO EC FK GF GY PY PE GS SR UY VE",
    "oceania": (
        "AS AU CX CC CK FJ PF GU HM KI MH FM NR NC NZ NU NF MP PW PG PN WS SB TK TO TV VU WF"
    ),
}

CONTINENT_OF = {code: continent for continent, codes in _CODES.items() for code in codes.split()}


def continent_of(country_code: str) -> str:
    """Return the continent key of a country code ("other" when unknown or empty)."""
    return CONTINENT_OF.get((country_code or "").upper(), "other")
