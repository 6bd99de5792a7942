"""Street addresses (US, UK and continental formats) and postal codes."""

from __future__ import annotations

from tutela.governance.pii.recognizers.rules import Rule, RuleRecognizer, labelled

_SUFFIX = (
    r"street|st|avenue|ave|av|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|place|pl|"
    r"terrace|ter|way|parkway|pkwy|highway|hwy|circle|cir|square|sq|trail|trl|crescent|cres|"
    r"close|row|mews|grove|gardens|gdns|plaza|plz|alley|loop|pike|ridge|crossing|wharf|quay|"
    r"broadway|turnpike|tpke|cross"
)
# The side of a landing after a floor ("3.º Esq.", "2º B").
_SIDE = r"(?:izq(?:uierda)?|dcha|der(?:echa)?|esq(?:uerdo)?|dto|dir(?:eito)?|[A-D])\b"
_UNIT = (
    r"(?:(?:,|\s-)?\s*(?:apt|apartment|suite|ste|unit|flat|fl|floor|rm|room|bldg|building|#|no\.?|"
    r"piso|puerta|dpto|depto|oficina|of|local|sala|escritório|apto|int|interno|app|appt|lot|"
    r"trlr|trailer|spc|space|lgh|daire|bureau|scala|sc|bât|bat|bâtiment|batiment|esc|"
    r"escalera|portal|blok|stair)(?![a-z])\.?\s*#?\s*"
    r"[A-Z0-9][A-Z0-9\-]{0,7}\b"
    rf"(?:[ \t]*(?:º|ª|°)?[ \t]*{_SIDE})?"
    rf"|,?\s*\d{{1,2}}\.?\s*[º°ª][ \t]*(?:{_SIDE})?\.?)?"
)
_NAME_WORD = (
    r"(?!(?i:for|the|to|and|of|in|on|at|by|a|an|my|your|our|per|from|with|is|was|are|days?|"
    r"years?|months?|weeks?|hours?|minutes?|dollars|usd|times|more|than|or)\b)"
    # a dot only after an abbreviation ("St.", "Mt.", "J.F.K."), not at a sentence's end
    r"(?:[A-Z](?:[a-z]{0,2}\.|(?:\.[A-Z])+\.?|[\w'’\-]*)|[a-z][\w'’\-]*|\d{1,3}(?i:st|nd|rd|th))"
)
# The number and the street's first word share a line; between the words after them, spaces or
# one line break ("4518 N. Kedzie\nAve"), not a blank line ("900417\n\nDear Dr Haworth").
_SPACE = r"(?:[ \t]*\n[ \t]*|[ \t]+)"
_US_STREET = (
    rf"(?<![\w\-])\d{{1,6}}[A-Z]?(?:-\d{{1,4}}[A-Z]?)?[ \t]+"
    rf"(?i:[NSEW]\.?{_SPACE}|(?:north|south|east|west){_SPACE})?"
    rf"(?:{_NAME_WORD}{_SPACE}){{0,3}}{_NAME_WORD}?(?:{_SPACE})?(?i:\b(?:{_SUFFIX})\b\.?)"
    r"(?:\s+\d{1,3}\b)?"
    rf"(?:\s+(?:[NSEW]{{1,2}}|north|south|east|west)\b\.?)?(?i:{_UNIT})"
)
# A flat, optionally in a named building, then the street: "Flat 12B, Sea View Apartments, 14
# Carter Road".
_BUILDING = (
    r"(?:(?:[A-Z][\w'’\-]*\s+){1,3}(?i:apartments|house|court|towers?|building|mansions|"
    r"residency|heights|block)\b,?\s+)?"
)
_UK_FLAT = (
    rf"(?i:(?:flat|apartment|unit)\s+\d+[A-Z]?,?\s+){_BUILDING}"
    rf"(?:{_US_STREET}|\d{{1,3}}(?i:st|nd|rd|th)\s+(?i:main|{_SUFFIX})\b)"
)
# Numbered streets in the Gulf states: "Villa 9, Street 12, Al Safa 2".
_NUMBERED = (
    r"\b(?:Villa|House|Building|Bldg|Flat|Apt)\.?\s+\d{1,4}[A-Z]?,\s*(?:Street|St\.?|Road|Rd\.?)\s+"
    r"\d{1,4}\b(?:,\s*(?:Al\s+)?[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?\s+\d{1,2}\b)?"
)
# One-word street names: "88 Kingsway", "12 Parkgate".
_ONE_WORD = rf"(?<![\w\-])\d{{1,5}}[A-Z]?\s+[A-Z][a-z]{{2,}}(?:way|gate)\b(?i:{_UNIT})"
# Japanese block addresses before a ward or city: "3-14-2 Jingumae, Shibuya-ku".
_JAPANESE = (
    r"(?<![\w\-])\d{1,2}-\d{1,3}(?:-\d{1,3})?\s+[A-Z][a-z]+(?:-[a-z]+)?"
    r"(?=,\s*[A-Z][a-z]+-(?:ku|shi|cho|machi|gun|mura)\b)"
)
# South Asian and West African house lines: "House No. 14, Ring Road East", "B-42, Sector 15".
_HOUSE_NUMBER = (
    r"(?i:\b(?:house|h)\.?\s*no\.?\s*)\d{1,5}[A-Z]?,\s*(?:[A-Z][\w'’\-]*\s+){0,3}"
    rf"(?i:{_SUFFIX})\b\.?(?:\s+(?:East|West|North|South)\b)?"
    # ... or its colony ("H.No. 14-2-118, Gandhi Nagar")
    r"|(?i:\b(?:house|h)\.?\s*no\.?\s*)\d[\d\-/]{0,12}[A-Z]?,\s*(?:[A-Z][\w'’\-]*\s+){0,2}"
    r"(?:Nagar|Colony|Layout|Enclave|Vihar|Puram|Bagh|Extension)\b"
    r"|\b[A-Z]{1,2}-\d{1,4},\s*(?:(?:[A-Z][\w'’\-]*\s+){1,3}(?:Apartments|Enclave|Kunj|"
    r"Residency|Towers?|Society|Complex|Heights),\s*)?(?:Sector|Block|Phase|Plot)\s+\d{1,3}[A-Z]?\b"
)
# Bengaluru style: house number, then main and cross roads and the locality ("4/12, 2nd
# Cross, Indiranagar", "No. 12, 3rd Main, 14th Cross, Indiranagar 2nd Stage").
_CROSS_MAIN = (
    r"(?:\b(?i:no)\.?\s*)?(?<![\w/])\d{1,4}(?:/\d{1,4})?,\s*"
    r"\d{1,3}(?i:st|nd|rd|th)\s+(?:Cross|Main)(?:\s+(?:Road|Rd))?"
    r"(?:,\s*\d{1,3}(?i:st|nd|rd|th)\s+(?:Cross|Main)(?:\s+(?:Road|Rd))?)?"
    r"(?:,\s*[A-Z][a-z]+(?:\s+\d(?i:st|nd|rd|th)\s+Stage)?)?"
)
_CONTINENTAL_PREFIX = (
    r"calle|c/|avenida|avda\.?|av\.|paseo|plaza|pza\.?|carrer|carretera|camino|ronda|travesía|"
    r"rua|avenida|travessa|largo|praça|via|viale|corso|piazza|piazzale|vicolo|largo|"
    r"rue|avenue|boulevard|bd|bld|chemin|place|impasse|allée|quai|cours|route|"
    r"ulica|ul\.|aleja|al\.|strada|calea|bulevardul|odos|leoforos|"
    r"jalan|jl\.|lorong|bulevar|trg"
)
# Streets named before their word ("Gedimino pr. 9-14", "Rákóczi út 18. 3/2").
_SUFFIXED = (
    r"\b[A-ZÀ-Ý][\wà-ÿőű]+(?:\s+[A-ZÀ-Ý][\wà-ÿőű]+)?\s+(?:pr\.|prospektas|g\.|gatvė|út|utca|u\.|"
    r"tér|körút|krt\.|iela|tänav|mnt\.)\s+\d{1,4}[a-zA-Z]?\.?(?:[\-/ ]\d{1,4}(?:/\d{1,3})?)?"
)
_CONTINENTAL = (
    rf"\b(?:{_CONTINENTAL_PREFIX.title()}|{_CONTINENTAL_PREFIX})\s+"
    r"(?:(?:de|del|de la|de las|de los|do|da|dos|das|di|della|delle|dei|degli|du|des|de l'|"
    r"d'|la|le|les|l')\s*)?"
    r"(?=[A-ZÀ-Ý0-9])(?:(?!to\b|from\b|for\b|and\b)[\w'’.\-]+(?:,\s*(?=\d)|\s+)){0,4}?"
    r"(?:n[º°o.]\s*)?\d{1,4}(?![\d\-])[A-Za-z]?(?:/\d{1,4})?(?:\s*(?:bis|ter))?(?:,?\s*(?:int\.?|interno|m\.)\s*\d+)?"
    rf"(?i:{_UNIT})"
    # a Mexican neighbourhood after the street ("Calle Hidalgo 215, Col. Centro")
    r"(?:,\s*(?i:col\.|colonia)\s+[A-ZÀ-Ý][\w'’]*(?:\s+[A-ZÀ-Ý][\w'’]*){0,3})?"
)
_FRENCH = (
    rf"(?<![\w\-.,])\d{{1,4}}(?:\s*(?:bis|ter))?,?\s+(?i:(?:{_CONTINENTAL_PREFIX}))\s+"
    r"(?:[\w'’\-]+\s+){0,4}?[\w'’\-]+\.?(?=\s*(?:,|\n|$|\d{4,5}\b))"
    rf"(?i:{_UNIT})"
)
_GERMANIC = (
    r"\b[A-ZÄÖÜ][\wäöüß\-]*(?i:straße|strasse|str\.|weg|platz|allee|gasse|ring|damm|ufer|"
    r"chaussee|steig|pfad|markt|straat|laan|gracht|plein|kade|singel|dijk|vej|gade|gatan|"
    r"vägen|gata|veien|gate|katu|tie)\s+\d{1,4}[a-zA-Z]?(?:\s*[-/]\s*\d{1,4}[a-zA-Z]?)?"
    r"(?:-?(?:bis|ter)\b)?"
    rf"(?i:{_UNIT})"
    r"|\b(?:[A-ZÄÖÜ][\wäöüß\-]*\s+){1,2}(?:Straße|Strasse|Gasse|Weg|Platz|Allee|gate|gata|"
    r"vei|veien|vej|gade|straat|laan)\s+\d{1,4}[a-zA-Z]?(?:\s*[-/]\s*\d{1,4}[a-zA-Z]?)?"
)
_TURKISH = (
    r"\b[A-ZÇĞİÖŞÜ][\wçğıöşü]+(?:\s+[A-ZÇĞİÖŞÜ][\wçğıöşü]+)?\s+(?:Caddesi|Cad\.|Sokak|Sokağı|Sk\.|"
    r"Bulvarı|Blv\.|Mahallesi|Mah\.)(?:\s+No[:.]?)?\s*\d{1,4}(?:/\d{1,4})?(?:\s+(?:Daire|D[:.])\s*:?\s*\d+)?"
)
# Vietnamese: a house number and a street (often named after a person) before the ward or
# district: "số 42 Nguyễn Thị Minh Khai, Quận 1", "127 Nguyễn Trãi, Phường 2".
_VIETNAMESE = (
    r"(?<![\w/])\d{1,4}[A-Z]?(?:/\d{1,4}[A-Z]?)*\s+(?:(?i:đường|phố)\s+)?"
    r"[A-ZĐ][^\W\d_]*(?:\s+[A-ZĐ][^\W\d_]*){0,4}"
    r"(?=,\s*(?:Phường|P\.|Quận|Q\.|Xã|Huyện|Thị xã|Thị trấn|TP\.?|Thành phố)\s)"
)
# ... and a house in an alley ("Số 25 ngõ 68 Cầu Giấy", "12/4 hẻm 35 Lê Lợi"): the alley
# words mark a street line wherever it stands.
_VIETNAMESE_ALLEY = (
    r"(?:(?<![\w/])(?i:số\s+)?\d{1,4}[A-Z]?(?:/\d{1,4}[A-Z]?)*,?\s+|\b)"  # or the alley first
    r"(?i:ngõ|ngách|hẻm|kiệt)\s+\d{1,4}[A-Z]?(?:/\d{1,4}[A-Z]?)*"
    r"(?:,?\s+(?i:ngõ|ngách|hẻm|kiệt)\s+\d{1,4}[A-Z]?(?:/\d{1,4}[A-Z]?)*)*"
    r"(?:\s+(?:(?i:đường|phố)\s+)?[A-ZĐ][^\W\d_]*(?:\s+[A-ZĐ][^\W\d_]*){0,4})?"
)
# Swahili: a house number and the road ("Nyumba Na. 27, Barabara ya Ngong").
_SWAHILI = (
    r"(?i:nyumba)[ ](?i:na\.|namba|no\.)[ ]?\d{1,5}[A-Z]?,?[ ](?i:barabara|mtaa)[ ]ya[ ]"
    r"[A-Z][\w'’\-]+(?:[ ][A-Z][\w'’\-]+)?"
)
_JAPANESE_SCRIPT = r"(?<=[区市町村郡])[^\W\d_]{1,8}?\d{1,4}(?:[-−－]\d{1,4}){1,2}"
_RURAL = r"(?i:\b(?:rr|hc|rural route|star route)\s*\d{1,4}\s+box\s+\d{1,5}\b)"
_PO_BOX = (
    r"(?i:\b(?:p\.?\s?o\.?\s?box|post office box|postfach|apartado(?: postal)?|case postale|bp)"
    r"\s*#?\s*\d{1,7}\b(?!/))|(?:ص\.ب\.?|صندوق بريد|s\.l\.p\.)\s*\d{1,7}\b"
)

# After words that announce an address: a number and capitalised words, either order
# ("Διεύθυνση: Ερμού 45").
_CAPITALISED = r"(?-i:[A-ZÀ-ÝΆ-ΩЀ-Я][\w'’\-]+)"
_CUED = labelled(
    r"address|addr|lives at|live at|living at|resides at|reside at|moved to|moving to|"
    r"ship to|mail to|send to|deliver to|residente in|domicilio|wohnhaft in|adresse|adresa|"
    r"adres|adress|endereço|dirección|direccion|indirizzo|anschrift|osoite|住所|"
    r"διεύθυνση(?: κατοικίας)?|"
    r"адрес|адреса|адресу",
    rf"\d{{1,5}}[A-Z]?(?:-\d{{1,4}})*,?\s+{_CAPITALISED}(?:\s+{_CAPITALISED}){{0,3}}"
    rf"|{_CAPITALISED}(?:\s+[\w'’\-]+){{0,2}}?(?:\s+{_CAPITALISED})?"
    r"\s+\d{1,5}(?:/\d{1,4})?[a-zA-Z]?"
    r"(?:,\s*\d{1,2}(?:ος|ο|η)\s+όροφος)?",  # a Greek floor ("Ερμού 25, 4ος όροφος")
)

# Nigerian and Philippine plots and blocks, maybe with the street, the estate's phase and the
# barangay ("Plot 14, Block C, Lekki Phase 1", "Blk 7 Lot 22 Phase 2, Brgy. San Isidro").
_PLOT = (
    r"\b(?:Plot\.?\s+\d{1,4}[A-Z]?|(?:Blk|Block)\.?\s+\d{1,4}[A-Z]?(?=,?\s+(?:Lot|Phase)\b))"
    r"(?:,?\s+(?:Block|Blk|Lot|Phase)\.?\s+[A-Z0-9]{1,4}\b)*"
    r"(?:,\s*(?:[A-Z][\w'’\-]*\s+){1,3}(?i:way|street|st|road|rd|avenue|ave|close|crescent)\b)?"
    r"(?:,\s*[A-Z][\w'’\-]*(?:\s+[A-Z][\w'’\-]*)?\s+Phase\s+\d{1,2}\b)?"
    r"(?:,\s*(?:Brgy\.?|Barangay)\s+[A-Z][\w'’\-]*(?:\s+[A-Z][\w'’\-]*)?)?"
)
# A flat or suite on the second address line ("ADDR-2..........: APT 3F").
_SECOND_LINE = labelled(
    r"addr[-_ ]?2|address[-_ ]?2|address[-_ ]?line[-_ ]?2|line ?2",
    r"(?i:apt|apartment|unit|suite|ste|flat|#)\.?[ ]?#?[ ]?[A-Z0-9][A-Z0-9\-]{0,5}\b",
)

STREET_ADDRESS = RuleRecognizer(
    "STREET_ADDRESS",
    [
        Rule(_CUED, 0.8),
        Rule(_SECOND_LINE, 0.85),
        Rule(_PLOT, 0.85),
        Rule(_UK_FLAT, 0.9),
        Rule(_US_STREET, 0.88),
        Rule(_CONTINENTAL, 0.85),
        Rule(_FRENCH, 0.8),
        Rule(_GERMANIC, 0.85),
        Rule(_PO_BOX, 0.9),
        Rule(_TURKISH, 0.85),
        Rule(_VIETNAMESE, 0.85),
        Rule(_VIETNAMESE_ALLEY, 0.85),
        Rule(_SWAHILI, 0.85),
        Rule(_RURAL, 0.9),
        Rule(_ONE_WORD, 0.8),
        Rule(_JAPANESE, 0.8),
        Rule(_HOUSE_NUMBER, 0.85),
        Rule(_NUMBERED, 0.85),
        Rule(_JAPANESE_SCRIPT, 0.8),
        Rule(_SUFFIXED, 0.8),
        Rule(_CROSS_MAIN, 0.85),
    ],
)

_US_STATE = (
    r"AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|"
    r"NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|PR|GU|VI"
)
_UK_POSTCODE = r"\b(?:[A-Z]{1,2}\d[A-Z\d]?|GIR)\s?\d[A-Z]{2}\b"
_CA_POSTCODE = r"\b[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z][ -]?\d[ABCEGHJ-NPRSTV-Z]\d\b"

ZIP_CODE = RuleRecognizer(
    "ZIP_CODE",
    [
        # Not inside parentheses: "(ID 61182)" is an id, not Idaho.
        Rule(rf"\b(?:{_US_STATE})\.?,?\s+(?P<value>\d{{5}}(?:-\d{{4}})?)\b(?!\))", 0.85),
        Rule(rf"(?i:\b(?:{_US_STATE.lower()}))\.?,?\s+(?P<value>\d{{5}}(?:-\d{{4}})?)\b", 0.6),
        # ... as a scan reads it, with the letters O and l for digits: "MA 0l852".
        Rule(
            rf"\b(?:{_US_STATE})\.?,?\s+(?P<value>(?=(?:[Ol]*\d){{2}})(?=[\dOl]*[Ol])[\dOl]{{5}})\b",
            0.6,
        ),
        Rule(
            labelled(
                r"zip|zip code|zipcode|postal code|postcode|post code|plz|cp|code postal|postal|"
                r"código postal|codigo postal|cpa|邮编|郵便番号|우편번호|מיקוד|индекс|τ\.κ\.",
                r"(?=[A-Z0-9 \-]*\d)[A-Z0-9]{3,6}(?:[ -][A-Z0-9]{3,4})?",  # China: six digits
            )
            + r"\b",
            0.85,
        ),
        Rule(r"\b\d{5}-\d{4}\b", 0.7),
        Rule(_UK_POSTCODE, 0.75),
        Rule(_CA_POSTCODE, 0.75),
        # ... in lower case after a province: "vancouver bc v5t 3j7".
        Rule(
            r"(?i:\b(?:bc|on|qc|ab|mb|sk|ns|nb|nl|pe|yt|nt|nu)\s+)"
            r"(?P<value>(?i:[abceghj-nprstvxy]\d[abceghj-nprstv-z][ -]?\d[abceghj-nprstv-z]\d))\b",
            0.7,
        ),
        # Irish Eircode: routing key and a four-character identifier ("D02 W285").
        Rule(
            r"\b[AC-FHKNPRTV-Y]\d{2}\s?(?=[AC-FHKNPRTV-Y0-9]*\d)(?=[AC-FHKNPRTV-Y0-9]*[A-Z])"
            r"[AC-FHKNPRTV-Y0-9]{4}\b",
            0.6,
        ),
        # Continental style, before a capitalised place name: "28014 Madrid", "114 55
        # Stockholm", "00-514 Warszawa", "1100-053 Lisboa", "1016 GV Amsterdam", with a
        # country's letter before it ("L-1611 Luxembourg").
        Rule(
            r"(?<![\d\-/.,$€£#])(?:\b(?:[A-Z]|CH|NL|FI|DK|SE|NO|PL|CZ|SK|HU|LT|LV|EE|IS)-)?"
            r"(?P<value>\d{4,6}|\d{3} \d{2}|\d{2}-\d{3}|\d{4}-\d{3}|\d{4} [A-Z]{2})"
            r"[ \t]+(?=[A-ZÀ-ÝΑ-ΩА-Я][A-Za-zà-ÿα-ωά-ώа-я]+)"
            r"(?!(?:Street|St|Avenue|Ave|Road|Rd|Lane|Drive|Blvd|USD|EUR|GBP|Dollars?|Euros?|"
            r"Units?|Students?|Patients?|Members?|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|"
            r"Dec)\b)",
            0.55,
        ),
        # After a place name that follows a comma: "..., San Francisco 94109", "Tokyo 150-0001".
        Rule(
            r"(?<=, )(?:[A-ZÀ-Ý][\wà-ÿ]+|[a-z]{3,})(?: [A-ZÀ-Ý][\wà-ÿ]+)?,? (?P<value>\d{5,6}|"
            r"\d{5}-\d{3,5}|\d{3}-\d{4})\b(?![\-/.]\d)",
            0.6,
        ),
        Rule(labelled(r"cep|pin|pincode|pin code", r"\d{5}-\d{3}|\d{6}") + r"\b", 0.8),
        Rule(r"〒\s*(?P<value>\d{3}-?\d{4})(?!\d)", 0.9),
        Rule(r"\b[A-HJ-NP-Z]\d{4}[A-Z]{3}\b", 0.55),  # Argentina's CPA: "C1043AAZ"
        Rule(r"\b(?:NSW|VIC|QLD|WA|SA|TAS|ACT|NT)\s+(?P<value>\d{4})\b", 0.8),
    ],
)

RECOGNIZERS = [STREET_ADDRESS, ZIP_CODE]
