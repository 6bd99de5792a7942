"""Identity numbers and dates: SSNs, dates of birth, other dates, ages, student ids."""

from __future__ import annotations

import re

from tutela.governance.pii import checksums
from tutela.governance.pii.recognizers.rules import CJK_LETTERS, Rule, RuleRecognizer, labelled

US_SSN = RuleRecognizer(
    "US_SSN",
    [
        Rule(r"(?<![\d-])\d{3}-\d{2}-\d{4}(?![\d-])", 0.85, checksums.us_ssn),
        Rule(r"(?<!\d)(?<!\d )\d{3} \d{2} \d{4}(?!\d| \d)", 0.6, checksums.us_ssn),
        Rule(r"(?<![\d.])\d{3}\.\d{2}\.\d{4}(?![\d.])", 0.6, checksums.us_ssn),
        # The label a few words before the number ("SSN on file for her: 123456789").
        Rule(
            r"(?is:(?<![^\W_])(?:ssn|ss#|social security|soc\.? sec)\b.{0,60}?)(?<![\d\-])"
            r"(?P<value>\d{3}[- .]?\d{2}[- .]?\d{4})(?![\d\-])",
            0.75,
            checksums.us_ssn,
        ),
        Rule(
            labelled(
                r"ssn|ss#|ss no|social security|social sec|soc sec|social|ssa|tin|taxpayer id|"
                r"tax[-_ ]id",
                r"\d{3}[- ]?\d{2}[- ]?\d{4}",
            )
            + r"(?!\d)",
            0.9,
            checksums.us_ssn,
        ),
    ],
)

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
# Month names in Spanish, Portuguese, French, Italian, German, Dutch, Polish, Turkish,
# Indonesian, Swahili, Hebrew, Russian, Ukrainian, Greek, Thai, Hindi and Bengali.
_MONTH_OTHER = (
    r"(?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|se?tiembre|octubre|noviembre|"
    r"diciembre|janeiro|fevereiro|março|maio|junho|julho|setembro|outubro|novembro|dezembro|"
    r"janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre|"
    r"gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre|januar|februar|"
    r"märz|juni|juli|oktober|dezember|marts|maj|"
    # Dutch, Polish (genitive, as dates write them) and Turkish
    r"januari|februari|maart|mei|augustus|stycznia|lutego|marca|kwietnia|maja|czerwca|lipca|"
    r"sierpnia|września|października|listopada|grudnia|ocak|şubat|nisan|mayıs|haziran|temmuz|"
    r"ağustos|eylül|ekim|kasım|aralık|"
    r"maret|agustus|desember|"
    # Swahili, and Hebrew (after "in": "23 בנובמבר 1966")
    r"machi|aprili|julai|agosti|septemba|oktoba|novemba|desemba|"
    r"ב?(?:ינואר|פברואר|מרץ|אפריל|מאי|יוני|יולי|אוגוסט|ספטמבר|אוקטובר|נובמבר|דצמבר)|"
    r"января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря|"
    r"січня|лютого|березня|квітня|травня|червня|липня|серпня|вересня|жовтня|листопада|грудня|"
    r"ιανουαρίου|φεβρουαρίου|μαρτίου|απριλίου|μαΐου|ιουνίου|ιουλίου|αυγούστου|"
    r"σεπτεμβρίου|οκτωβρίου|νοεμβρίου|δεκεμβρίου|"
    r"มกราคม|กุมภาพันธ์|มีนาคม|เมษายน|พฤษภาคม|มิถุนายน|กรกฎาคม|สิงหาคม|กันยายน|ตุลาคม|"
    r"พฤศจิกายน|ธันวาคม|"
    r"जनवरी|फ़?फरवरी|फ़रवरी|मार्च|अप्रैल|मई|जून|जुलाई|अगस्त|सितं?म्?बर|अक्टूबर|नवं?म्?बर|"
    r"दिसं?म्?बर|"
    r"জানুয়ারি|ফেব্রুয়ারি|মার্চ|এপ্রিল|মে|জুন|জুলাই|আগস্ট|সেপ্টেম্বর|অক্টোবর|নভেম্বর|ডিসেম্বর)"
)
_KANJI_NUMBER = "[〇零一二三四五六七八九十]{1,4}"
DATE_VALUE = (
    r"(?i:\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})"  # 03/14/1987, 14.03.87
    r"|\d{4}[/.\-]\d{1,2}[/.\-]\d{1,2}"  # 1987-03-14
    r"|\d{4}\. ?\d{1,2}\. ?\d{1,2}\.?"  # 2009. 03. 02., 1979.05.23.
    rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"  # March 14, 1987
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+\d{{4}}"  # 14 Mar 1987
    # 3 de agosto de 1951, 2 de mayo del 99
    # 19η Απριλίου 2003, 4 มีนาคม พ.ศ. 2556
    rf"|\d{{1,2}}(?:\.|η|ης)?\s+(?:de\s+)?{_MONTH_OTHER}\s+"
    r"(?:(?:de\s+|พ\.ศ\.\s?)?\d{4}|del\s+\d{2})"
    r"|\d{1,2}\s+tháng\s+\d{1,2},?\s+năm\s+\d{4}"  # 12 tháng 6 năm 1991
    rf"|\d{{4}}\s+{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?"  # 1948 march 2nd
    r"|\d{4}\s*[年년]\s*\d{1,2}\s*[月월]\s*\d{1,2}\s*[日일]"  # 1985年7月23日
    # 平成4年3月15日, 昭和45年 8月 19日, 民國七十二年三月十五日
    rf"|(?:明治|大正|昭和|平成|令和|民國|民国)\s?(?:\d{{1,3}}|元|{_KANJI_NUMBER})\s?年"
    rf"\s?(?:\d{{1,2}}|{_KANJI_NUMBER})\s?月\s?(?:\d{{1,2}}|{_KANJI_NUMBER})\s?日"
    rf"|\d{{1,2}}[\-]{_MONTH}[\-]\d{{2,4}})"  # 14-Mar-1987
)
_DIGIT_WORD = r"zero|oh|one|two|three|four|five|six|seven|eight|nine|double"
_NUMBER_WORD = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|"
    r"eighty|ninety|hundred|thousand|oh|and"
)
_ORDINAL_WORD = (
    r"(?:(?:twenty|thirty)[- ])?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)"
    r"|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|"
    r"eighteenth|nineteenth|twentieth|thirtieth"
)
# A date said in words: "march fourth, nineteen seventy-two".
_SPOKEN_YEAR = rf"(?:nineteen|twenty|two thousand)(?:[\s\-]+(?:{_NUMBER_WORD})\b){{0,3}}"
_SPOKEN_DATE = (
    rf"(?i:{_MONTH}\s+(?:the\s+)?(?:{_ORDINAL_WORD}),?\s+(?:of\s+)?(?:{_SPOKEN_YEAR}|\d{{4}})"
    rf"|(?:the\s+)?(?:{_ORDINAL_WORD})\s+of\s+{_MONTH},?\s+(?:{_SPOKEN_YEAR}|\d{{4}}))"
)  # "march fourth, nineteen seventy-two", "the fourth of May, 1972"
# A date as optical character recognition or a hurried hand writes it next to its label:
# "O4/O2/1959", "7 22 89", "l4 JUL l95l", "12 0CT 2001".
_SCANNED_MONTH = _MONTH.replace("o", "[o0]")
_LOOSE_DATE = (
    r"[\dOlI]{1,2}/[\dOlI]{1,2}/[\dOlI]{4}|\d{1,2} \d{1,2} (?:\d{4}|\d{2})"
    rf"|(?=[OlI]?\d)[\dOlI]{{1,2}} (?i:{_SCANNED_MONTH}) (?=[\dOlI]*\d)[\dOlI]{{4}}"
)

# Year, month and day run together, as records keep them ("BIRTH-DT....: 19650704").
_COMPACT_DATE = r"(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"

# The labels of a field that holds nothing but a birth date.
_DOB_FIELD = (
    r"dob|d\.o\.b\.?|date [o0]f b[il1]rth|birth ?date|fecha de nacimiento|data de nascimento|"
    r"date de naissance|data di nascita|geburtsdatum|geboortedatum|födelsedatum|fødselsdato|"
    r"syntymäaika|data urodzenia|datum rođenja|doğum tarihi|生年月日|出生日期|出生年月日|생년월일|"
    r"تاريخ الميلاد|дата рождения|дата народження|ngày sinh|tanggal lahir|tarikh lahir|"
    r"tgl\.? lahir|تاریخ تولد|วันเดือนปีเกิด|วันเกิด|tarehe ya kuzaliwa|ημερομηνία γέννησης|"
    r"जन्म तिथि|जन्मतिथि|பிறந்த தேதி|የትውልድ ቀን|জন্ম তারিখ|תאריך לידה|ọjọ́ ìbí"
)
# ... and the other labels and phrases a birth date follows: "born on", "geb.", "nacido el".
_DOB_LABEL = (
    rf"{_DOB_FIELD}|"
    r"birthday|born(?: on)?|b\.|bday|birth|birth[-_ ]dt|birth certificate|nacid[oa](?: el)?|"
    r"nascid[oa] em|n[ée]e?(?:\(e\))? le|nat[oa] il|geb\.|geboren(?: am)?|född|født|rođen[a]?|"
    r"doğum tarihi(?:m|niz)|d0b|urodzon[aey]|ur\.|(?:ni|a|u)?lizaliwa(?: tarehe)?|متولد|"
    r"ημ\. ?γέννησης|(?:fecha|fec\.?|f\.)(?: de)? ?nac\.?|д\. ?р\.|дата рожд\.|sinh ngày|"
    r"f\.(?= ?\d)|szül\.?|született|تاريخ ميلادي|ميلادي|nasci em|nasceu em|je suis née? le|"
    r"ich bin am|생년월일[은이]|γεννήθηκα|เกิดวันที่|נולד(?:תי|ה)?|γεννηθε[ίi]σα(?: την)?|"
    r"γεννηθε[ίi]ς(?: την)?|nat[oa] a [^\W\d_]+ il|nac[ií][oó]? el|tempat,? tgl\.? lahir|"
    r"ọjọ́ ìbí mi|ஜனன தேதி"
)


DATE_OF_BIRTH = RuleRecognizer(
    "DATE_OF_BIRTH",
    [
        Rule(
            labelled(
                # ... or asked, and answered on the next line ("Caller: Keisha Bellamy, ...")
                rf"{_DOB_LABEL}|(?:date of birth|dob)\b\??[^\n]{{0,40}}\n"
                r"[^\n]{0,30}?:[^\n\d]{0,40}?",
                rf"{DATE_VALUE}|{_SPOKEN_DATE}|{_LOOSE_DATE}|{_COMPACT_DATE}",
            )
            + r"(?!\d)",
            0.9,
        ),
        # ... and, when its field does not start with a date written as above, all the field
        # holds after a colon, in any calendar or script ("生年月日：1965年（昭和40年）8月23日",
        # "የትውልድ ቀን፡ መስከረም 12 ቀን 2010 ዓ.ም", "تاريخ الميلاد: ١٤ رجب ١٤٢٥ هـ").
        Rule(
            rf"(?<![^\W_])(?i:{_DOB_FIELD})[ \t]*[:：፡][ \t]*(?!{DATE_VALUE}(?![\d/\-]))"
            r"(?P<value>(?=[^\n]{0,45}?\d)[^\s;|:：][^\n;|\t:：]{2,44}?)"
            r"(?=[ \t]*(?:\n|$|[;|\t]|[ \t]{2}))",
            0.7,
        ),
        # The label earlier in the sentence ("Same DOB on both, 1988-10-30", "נולדתי ב-14.2.1993").
        Rule(
            rf"(?i:(?<![^\W_])(?:{_DOB_LABEL})(?!\w)[^.?!\n]{{0,60}}?)(?<![\d/.])(?<!\d-)"
            rf"(?P<value>{DATE_VALUE})(?![\d/\-])",
            0.8,
        ),
        # ... or after a patient or child's name: "Pt: Nguyễn Thị Lan, 03/05/1994", "your
        # child Lerato Mokoena (2015/04/19)".
        Rule(
            r"(?i:\b(?:patient|pt|child|son|daughter|student|resident)\b[:.]?)[ \t]+"
            rf"[^\n,()\d]{{2,50}}?(?:,[ \t]*|[ \t]*\()(?P<value>{DATE_VALUE})(?![\d/\-])",
            0.75,
        ),
        # A date marked as a birth date after it: "1983-02-14 is my birthday", "(1988.03.15생)",
        # "1985年6月3日生まれ" (one rule, one scan for dates).
        Rule(
            rf"(?<![\d/.\-])(?P<value>{DATE_VALUE})(?:[ ]?(?:생|生まれ|生|г\. ?р\.)| (?i:is|was) "
            r"(?i:my|his|her|their) (?i:birthday|birth date|date of birth|dob)\b)",
            0.85,
        ),
        # ... and a second date set against the first ("DOB is 29 February 2012 but the system
        # shows 1 March 2012").
        Rule(
            rf"(?i:(?<![^\W_])(?:{_DOB_LABEL})(?!\w)[^.?!\n]{{0,60}}?{DATE_VALUE}[^.?!\n]{{0,30}}?"
            r"\b(?:but|or|not|instead of|vs\.?|versus|whereas|while)\b[^.?!\n]{0,60}?)"
            rf"(?<![\d/.\-])(?P<value>{DATE_VALUE})(?![\d/\-])",
            0.75,
        ),
        # ... or given for a second person ("DOB 1979-08-02 and 1982-01-19 respectively").
        Rule(
            rf"(?i:(?<![^\W_])(?:{_DOB_LABEL})(?!\w)[^.?!\n]{{0,20}}?{DATE_VALUE},? and )"
            rf"(?P<value>{DATE_VALUE})(?![\d/\-])",
            0.75,
        ),
    ],
)


def _calendar_date(value: str) -> bool:
    """Whether a numeric date names a real month and day ("02-77-31" does not)."""
    if not re.fullmatch(r"[\d/.\- ]+", value):
        return True  # a date with a month's name, or an era's
    parts = [int(p) for p in re.findall(r"\d+", value)]
    if len(parts) != 3:
        return False
    if parts[0] > 31:  # year first: 1987-03-14
        return 1 <= parts[1] <= 12 and 1 <= parts[2] <= 31
    return 1 <= min(parts[:2]) <= 12 and max(parts[:2]) <= 31


DATE = RuleRecognizer(
    "DATE", [Rule(rf"(?i)(?<![\d/.\-]){DATE_VALUE}(?![\d/\-])", 0.6, _calendar_date)]
)

AGE = RuleRecognizer(
    "AGE",
    [
        Rule(r"(?i)\b(?:age[ds]?|aged)\s*:?\s*(?P<value>1[0-4]\d|\d{1,2})\b", 0.8),
        Rule(
            r"(?i)\b(?P<value>1[0-4]\d|\d{1,2})[\s\-]*(?:years?|yrs?|y/?o|yo)\b(?:[\s\-]*old)?",
            0.75,
        ),
    ],
)

_STUDENT_VALUE = (
    r"(?=(?:[A-Z\-]*\d){4})[A-Z0-9][A-Z0-9\-]{3,20}[A-Z0-9]"
    r"|\d{2,4}(?:\.\d{2,6}){1,3}(?![.\d])"  # 2021.0387.1142
    r"|\d{2}-[А-Я]{1,3}-\d{3,5}|[А-ЯІЇЄ]{1,3}-\d{2}-\d{3,5}"  # 19-МЭ-0427, МВ-22-0193
)
# Numbers in parts between slashes, or with Cyrillic letters: "UG/18/2291",
# "SCT211-0482/2021", "DU/19/BSC/04217", "19Б0457"; a candidate number of four digits.
_SLASHED_STUDENT = r"(?=[A-Z0-9/\-]*\d{2})[A-Z0-9]{2,7}(?:-[A-Z0-9]{2,6})*(?:/[A-Z0-9]{2,6}){1,4}"

STUDENT_ID = RuleRecognizer(
    "STUDENT_ID",
    [
        Rule(
            labelled(
                r"student|learner|pupil|matrikelnummer|matrikel|matriculation|matric|"
                r"enrol?lment|enrollee|roll|registration|campus|school|university|univ|"
                r"admission|applicant|banner|sid|stu|schülernummer|schüler-id|matricola|"
                r"matrícula|nr albumu|numer albumu|código de estudiante|codigo de estudiante|"
                r"número de estudiante|numéro étudiant|étudiant n°|n° étudiant|elevnummer|"
                r"studentnummer|رقم الطالب|学籍番号|학번|adm no|adm\. no|admission no|roll no|"
                r"matric no|candidate number|студенческий билет|студентський квиток|"
                r"зачётная книжка|студенческого билета|залікової книжки|nim|学号|學號|学号是|usi|"
                r"प्रवेश संख्या|अनुक्रमांक|नामांकन संख्या|"
                r"αρ\. μητρώου|αριθμός μητρώου|nr legitymacji|namba ya usajili|candidate no\.?|"
                r"candidate",
                rf"{_SLASHED_STUDENT}|{_STUDENT_VALUE}|\d{{2}}[А-Я]\d{{4}}|\d{{4}}",
            )
            + r"(?![\w-])",
            0.8,
        ),
        # not another thing's id ("client_id", "device-id")
        Rule(r"(?<![_\-])" + labelled(r"id|id#|id no", _STUDENT_VALUE) + r"(?![\w-])", 0.77),
    ],
)


# Any other code holding five digits or more (reference, member, case numbers no label names):
# pseudonymized too, since the caller gets it back and a missed identifier is a leak.
ID_NUMBER = RuleRecognizer(
    "ID_NUMBER",
    [
        Rule(
            # not a decimal part or an amount's last digits ("1.23456", "12345,67"); a
            # comma-separated row's cells are ids ("...,071000013,8841029377,")
            r"(?<![\w\-/.$€£:])(?=(?:[A-Za-z\-]*\d){5})[A-Za-z\d](?:[A-Za-z\d]|-(?=\w))"
            rf"{{4,30}}(?![^\W{CJK_LETTERS}]|-|\.\d|,\d{{1,2}}(?!\d))",  # "...337125로"
            0.4,
        ),
        # ... and a code in parts apart by slashes or a Japanese dot, five digits or more, not
        # a date ("77/2023/KH/40219", "КД-7741/2023", "GGH/IP/2024/33817", "3107・2245819").
        Rule(
            r"(?<![\w\-/.:・])(?:[^\W_]{1,12}[-/・]){1,4}[^\W_]{1,12}(?![\w\-/・]|\.\w)",
            0.4,
            lambda value: (
                sum(c.isdigit() for c in value) >= 5
                and ("/" in value or "・" in value)
                and not re.fullmatch(rf"(?i:{DATE_VALUE})|(?:19|20)\d\d/(?:19|20)?\d\d", value)
            ),
        ),
        # ... and a code written in groups of digits, maybe after letters ("73 402 118 9",
        # "AMG 55810372 01", "4318 92 7705-3"): eight digits or more, not a list of years.
        Rule(
            r"(?<![\w.,+\-/])(?:[A-Z]{1,4}[ ])?(?:\d{2,8}[ ]){1,5}\d{1,5}(?:-\d)?"
            r"(?![\w\-/]|[.,]\d|[ ]\d)",
            0.4,
            lambda value: sum(c.isdigit() for c in value) >= 8 and not _YEARS.fullmatch(value),
        ),
        # ... and a number read out one digit at a time ("8 0 0 2 1 7 4 4 9", "U 7 7 3 0 4 1
        # 9", "5 7 2 - 1 8 - 0 9 4 4") or in words, five or more ("six one nine, five five
        # five, ...", "five eight two nine dash one zero", "three oh three oh five").
        Rule(r"(?<![\w\-])(?:[A-Z] )?\d(?:(?: - | )\d){6,}(?![\w\-])", 0.45),
        Rule(
            rf"(?i)\b(?:{_DIGIT_WORD})(?:(?:,? |-| dash | hyphen )(?:{_DIGIT_WORD})){{4,}}\b", 0.45
        ),
    ],
)
_YEARS = re.compile(r"(?:(?:19|20)\d\d[ ]?)+")

RECOGNIZERS = [US_SSN, DATE_OF_BIRTH, DATE, AGE, STUDENT_ID, ID_NUMBER]
