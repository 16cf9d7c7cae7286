"""The controlled lists a dataset's fields take their values from: licences, update
frequencies and themes, each with its English and Welsh label and the URI DCAT-AP names it by.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    id: str
    en: str
    cy: str
    uri: str  # what DCAT (dcat.py) calls it
    url: str = ""  # a page a reader can follow (a licence's text)

    def label(self, language: str) -> str:
        return self.cy if language == "cy" and self.cy else self.en


# Licence ids are SPDX's where SPDX has one (CKAN's own ids for the rest). The default is the
# Open Government Licence v3.0, as for all Crown copyright data.
DEFAULT_LICENCE = "OGL-UK-3.0"
_EU_LICENCE = "http://publications.europa.eu/resource/authority/licence/"
LICENCES: dict[str, Term] = {
    term.id: term
    for term in [
        Term(
            "OGL-UK-3.0",
            "Open Government Licence v3.0",
            "Trwydded Llywodraeth Agored v3.0",
            _EU_LICENCE + "OGL_3_0",
            "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
        ),
        Term(
            "CC-BY-4.0",
            "Creative Commons Attribution 4.0",
            "Creative Commons Priodoli 4.0",
            _EU_LICENCE + "CC_BY_4_0",
            "https://creativecommons.org/licenses/by/4.0/",
        ),
        Term(
            "CC-BY-SA-4.0",
            "Creative Commons Attribution Share-Alike 4.0",
            "Creative Commons Priodoli-RhannuAnTebyg 4.0",
            _EU_LICENCE + "CC_BYSA_4_0",
            "https://creativecommons.org/licenses/by-sa/4.0/",
        ),
        Term(
            "CC0-1.0",
            "Creative Commons CCZero",
            "Creative Commons CCZero",
            _EU_LICENCE + "CC0",
            "https://creativecommons.org/publicdomain/zero/1.0/",
        ),
        Term(
            "ODbL-1.0",
            "Open Data Commons Open Database License",
            "Trwydded Cronfa Ddata Agored Open Data Commons",
            _EU_LICENCE + "ODC_BL",
            "https://opendatacommons.org/licenses/odbl/1-0/",
        ),
        Term(
            "ODC-By-1.0",
            "Open Data Commons Attribution License",
            "Trwydded Priodoli Open Data Commons",
            _EU_LICENCE + "ODC_BY",
            "https://opendatacommons.org/licenses/by/1-0/",
        ),
        Term(
            "PDDL-1.0",
            "Open Data Commons Public Domain Dedication and License",
            "Ymroddiad a Thrwydded Parth Cyhoeddus Open Data Commons",
            _EU_LICENCE + "ODC_PDDL",
            "https://opendatacommons.org/licenses/pddl/1-0/",
        ),
        Term("other-open", "Other (open)", "Arall (agored)", _EU_LICENCE + "OP_DATPRO"),
        Term("other-closed", "Other (not open)", "Arall (ddim yn agored)", ""),
        Term("notspecified", "Licence not specified", "Trwydded heb ei nodi", ""),
    ]
}
# CKAN's own ids for the same licences, taken on input (a dump from data.gov.uk says uk-ogl).
LICENCE_ALIASES = {
    "uk-ogl": "OGL-UK-3.0",
    "OGL-UK-3": "OGL-UK-3.0",
    "cc-by": "CC-BY-4.0",
    "cc-by-sa": "CC-BY-SA-4.0",
    "cc-zero": "CC0-1.0",
    "odc-odbl": "ODbL-1.0",
    "odc-by": "ODC-By-1.0",
    "odc-pddl": "PDDL-1.0",
}

_EU_FREQUENCY = "http://publications.europa.eu/resource/authority/frequency/"
FREQUENCIES: dict[str, Term] = {
    term.id: term
    for term in [
        Term(code, en, cy, _EU_FREQUENCY + code)
        for code, en, cy in [
            ("CONT", "Continuously updated", "Diweddarir yn barhaus"),
            ("DAILY", "Daily", "Dyddiol"),
            ("WEEKLY", "Weekly", "Wythnosol"),
            ("MONTHLY", "Monthly", "Misol"),
            ("QUARTERLY", "Quarterly", "Chwarterol"),
            ("ANNUAL", "Annually", "Blynyddol"),
            ("BIENNIAL", "Every two years", "Bob dwy flynedd"),
            ("IRREG", "Irregularly", "Yn afreolaidd"),
            ("NEVER", "Never (a one-off)", "Byth (unwaith yn unig)"),
            ("UNKNOWN", "Not known", "Anhysbys"),
        ]
    ]
}

# data.gov.uk's themes, with the EU data theme each falls under (dcat:theme).
_EU_THEME = "http://publications.europa.eu/resource/authority/data-theme/"
THEMES: list[Term] = [
    Term("business-and-economy", "Business and economy", "Busnes ac economi", _EU_THEME + "ECON"),
    Term("crime-and-justice", "Crime and justice", "Trosedd a chyfiawnder", _EU_THEME + "JUST"),
    Term("defence", "Defence", "Amddiffyn", _EU_THEME + "GOVE"),
    Term(
        "digital-service-performance",
        "Digital service performance",
        "Perfformiad gwasanaethau digidol",
        _EU_THEME + "GOVE",
    ),
    Term("education", "Education", "Addysg", _EU_THEME + "EDUC"),
    Term("environment", "Environment", "Amgylchedd", _EU_THEME + "ENVI"),
    Term("government", "Government", "Llywodraeth", _EU_THEME + "GOVE"),
    Term(
        "government-reference-data",
        "Government reference data",
        "Data cyfeirio'r llywodraeth",
        _EU_THEME + "GOVE",
    ),
    Term(
        "government-spending", "Government spending", "Gwariant y llywodraeth", _EU_THEME + "ECON"
    ),
    Term("health", "Health", "Iechyd", _EU_THEME + "HEAL"),
    Term("mapping", "Mapping", "Mapio", _EU_THEME + "REGI"),
    Term("society", "Society", "Cymdeithas", _EU_THEME + "SOCI"),
    Term("towns-and-cities", "Towns and cities", "Trefi a dinasoedd", _EU_THEME + "REGI"),
    Term("transport", "Transport", "Trafnidiaeth", _EU_THEME + "TRAN"),
]

# What may be uploaded: format → (file extensions, media type). Links may be of any format.
UPLOAD_FORMATS: dict[str, tuple[tuple[str, ...], str]] = {
    "CSV": ((".csv",), "text/csv"),
    "JSON": ((".json",), "application/json"),
    "XLSX": (
        (".xlsx",),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
}


def licence(licence_id: str) -> Term | None:
    return LICENCES.get(LICENCE_ALIASES.get(licence_id, licence_id))
