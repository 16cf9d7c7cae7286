"""The words of the performance datasets (performance.py), in English and Welsh: their titles,
descriptions (markdown) and their files' names. Kept here, beside each other, because a
dataset stores both languages at once (`notes`, `notes_cy`), whatever the reader's language.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class About:
    """What a description needs to know of the service."""

    service_en: str
    service_cy: str
    organisation_en: str
    organisation_cy: str
    threshold: int
    every_hours: float


def title(service_en: str, service_cy: str) -> tuple[str, str]:
    return f"{service_en}: service performance", f"{service_cy}: perfformiad y gwasanaeth"


def rules(threshold: int) -> tuple[str, str]:
    """How figures are withheld, in a paragraph (English, Welsh): disclosure.py's rules."""
    t = threshold
    return (
        f"No figure here is about a person, and none could single one out. A count under {t} "
        f"(0 included) is not published: it is shown as [c], the Office for National "
        f"Statistics' marker for confidential figures. So that a withheld count cannot be "
        f"worked out from the others: when a month's withheld channels add up to under {t}, "
        f"the smallest other channel is withheld too (the month's total is published unless "
        f"it is under {t}); a rate is withheld when its numerator or denominator is under "
        f"{t}; digital take-up is withheld when it could be used with the published counts "
        f"to work out a withheld one; and cost per transaction is withheld when any "
        f"channel's count is, since each channel costs a different amount per transaction. "
        f"[x] means not available: no cost is known for the month.",
        f"Nid yw unrhyw ffigur yma yn ymwneud ag unigolyn, ac ni allai'r un ohonynt ddatgelu "
        f"pwy yw rhywun. Ni chyhoeddir nifer o dan {t} (gan gynnwys 0): fe'i dangosir fel "
        f"[c], sef nod y Swyddfa Ystadegau Gwladol ar gyfer ffigurau cyfrinachol. Fel na ellir "
        f"cyfrifo nifer a ddaliwyd yn ôl o'r lleill: pan fydd sianeli mis a ddaliwyd yn ôl yn "
        f"adio i lai na {t}, caiff y sianel leiaf arall ei dal yn ôl hefyd (cyhoeddir cyfanswm "
        f"y mis oni bai ei fod o dan {t}); caiff cyfradd ei dal yn ôl pan fydd ei rhifiadur "
        f"neu ei henwadur o dan {t}; caiff y defnydd digidol ei ddal yn ôl pan ellid ei "
        f"ddefnyddio gyda'r niferoedd a gyhoeddwyd i gyfrifo nifer a ddaliwyd yn ôl; a chaiff "
        f"y gost fesul trafodiad ei dal yn ôl pan ddelir nifer unrhyw sianel yn ôl, gan fod "
        f"pob sianel yn costio swm gwahanol fesul trafodiad. Mae [x] yn golygu nad yw ar gael: "
        f"nid oes cost yn hysbys ar gyfer y mis.",
    )


def _hours(every: float) -> tuple[str, str]:
    if every == 24:
        return "every day", "bob dydd"
    return f"every {every:g} hours", f"bob {every:g} awr"


def notes(about: About) -> tuple[str, str]:
    """The dataset's description (markdown), in English and Welsh."""
    every_en, every_cy = _hours(about.every_hours)
    rules_en, rules_cy = rules(about.threshold)
    en = f"""How well **{about.service_en}**, a service of {about.organisation_en}, works for \
the people who use it: the key performance indicators of the GOV.UK Service Standard, month by \
month, with the number of transactions by channel. Porth, the platform the service runs on, \
makes this dataset from the service's performance data and updates it {every_en}.

## What each column means

- **Transactions** (`transactions_online`, `transactions_assisted`, `transactions_phone`, \
`transactions_paper` and `transactions_total`): applications sent in the month, by channel \
(online; online with the help of staff, called assisted digital; by phone; on paper) and in all.
- **Completion rate** (`completion_rate`): transactions completed in the month divided by \
those started in it, as a fraction. It can be above 1 when people finish in a month what they \
started in the month before.
- **Digital take-up** (`digital_take_up`): the share of transactions made online, with or \
without help.
- **User satisfaction** (`user_satisfaction`): the share of the people answering the \
satisfaction question after sending who were satisfied or very satisfied; \
`satisfaction_responses` is how many answered.
- **Cost per transaction** (`cost_per_transaction`): what the service cost in the month \
divided by its transactions, in pounds: the costs its team entered, else each channel's cost \
per transaction.

Months are calendar months, UK time; a month is added once it has ended. The data dictionary \
(the `-metadata.json` file, in the W3C's CSV on the Web format) describes each column for \
programs.

## Small numbers are withheld

{rules_en}
"""
    cy = f"""Pa mor dda y mae **{about.service_cy}**, un o wasanaethau \
{about.organisation_cy}, yn gweithio i'r bobl sy'n ei ddefnyddio: dangosyddion perfformiad \
allweddol Safon Gwasanaeth GOV.UK, fesul mis, gyda nifer y trafodion fesul sianel. Mae Porth, \
y platfform y mae'r gwasanaeth yn rhedeg arno, yn gwneud y set ddata hon o ddata perfformiad y \
gwasanaeth ac yn ei diweddaru {every_cy}.

## Ystyr pob colofn

- **Trafodion** (`transactions_online`, `transactions_assisted`, `transactions_phone`, \
`transactions_paper` a `transactions_total`): ceisiadau a anfonwyd yn ystod y mis, fesul \
sianel (ar-lein; ar-lein gyda help staff, sef cymorth digidol; dros y ffôn; ar bapur) ac i gyd.
- **Cyfradd cwblhau** (`completion_rate`): y trafodion a gwblhawyd yn ystod y mis wedi'u \
rhannu â'r rhai a ddechreuwyd ynddo, fel ffracsiwn. Gall fod yn uwch nag 1 pan fydd pobl yn \
gorffen mewn mis yr hyn a ddechreuon nhw yn y mis cynt.
- **Defnydd digidol** (`digital_take_up`): cyfran y trafodion a wnaed ar-lein, gyda help neu \
heb help.
- **Boddhad defnyddwyr** (`user_satisfaction`): cyfran y bobl a atebodd y cwestiwn boddhad ar \
ôl anfon a oedd yn fodlon neu'n fodlon iawn; `satisfaction_responses` yw faint a atebodd.
- **Cost fesul trafodiad** (`cost_per_transaction`): cost y gwasanaeth yn ystod y mis wedi'i \
rhannu â'i drafodion, mewn punnoedd: y costau a gofnododd ei dîm, neu fel arall cost pob \
sianel fesul trafodiad.

Misoedd calendr yw'r misoedd, yn amser y DU; caiff mis ei ychwanegu ar ôl iddo ddod i ben. \
Mae'r geiriadur data (y ffeil `-metadata.json`, yn fformat CSV on the Web y W3C) yn disgrifio \
pob colofn ar gyfer rhaglenni.

## Caiff niferoedd bach eu dal yn ôl

{rules_cy}
"""
    return en, cy


# Put before the description of a dataset whose service is no longer live on Porth.
ENDED = (
    "**This service no longer runs on Porth.** This dataset is kept as it was last "
    "published, and is no longer updated.\n\n",
    "**Nid yw'r gwasanaeth hwn yn rhedeg ar Porth mwyach.** Cedwir y set ddata hon fel y'i "
    "cyhoeddwyd ddiwethaf, ac nid yw'n cael ei diweddaru mwyach.\n\n",
)

# The files: (English name, Welsh name, English description, Welsh description).
CSV_FILE = (
    "Performance by month",
    "Perfformiad fesul mis",
    "One row a month: transactions by channel, completion rate, digital take-up, user "
    "satisfaction and cost per transaction. Small numbers are withheld ([c]).",
    "Un rhes y mis: trafodion fesul sianel, cyfradd cwblhau, defnydd digidol, boddhad "
    "defnyddwyr a chost fesul trafodiad. Caiff niferoedd bach eu dal yn ôl ([c]).",
)
CSVW_FILE = (
    "Data dictionary (CSV on the Web)",
    "Geiriadur data (CSV on the Web)",
    "What each column of the monthly CSV means, its type, and the markers of withheld ([c]) "
    "and missing ([x]) figures, as W3C CSV on the Web metadata.",
    "Ystyr pob colofn yn y CSV misol, ei math, a nodau ffigurau a ddaliwyd yn ôl ([c]) ac sydd "
    "ar goll ([x]), fel metadata CSV on the Web y W3C.",
)
