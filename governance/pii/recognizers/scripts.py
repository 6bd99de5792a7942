"""Names and street lines written in scripts other than Latin, which the English pipeline and
the learned tagger do not read: Chinese, Japanese, Korean, Devanagari, Bengali, Tamil, Arabic,
Persian, Hebrew, Cyrillic, Greek, Thai and Ethiopic.

- A name after a name label, in English or in the script's language ("Patient: 陈美玲",
  "रोगी का नाम: अंकित वर्मा", "氏名：山田 花子", "ሙሉ ስም፡ ዮናስ ከበደ"), after "I am" and
  before the verb or comma that ends the introduction ("আমি রফিকুল ইসলাম,"), after a
  sign-off on its own line ("বিনীত,").
- A name before an honorific or a word for a classmate, doctor or parent, after a known
  surname ("陈美玲同学", "李浩然的妈妈", "佐藤健太の母"); Arabic words that start with a known
  given name ("محمد العلي"); a name's own spelling in brackets ("Kim Soo-jin (김수진)").
- In a text written mostly in Latin letters, a short run of another script (one to four
  words, no digits) is taken for a name: an English message quotes a name in its own script
  far more often than anything else ("the card says 김서연").
- Street lines with the street and number markers of Chinese, Japanese, Korean, Cyrillic,
  Greek, Thai, Hebrew, Arabic and Hindi addresses ("漕溪北路398号12楼B座", "新宿3丁目1-13",
  "테헤란로 152", "ул. Ленина 5", "88/12 ซอยสุขุมวิท 55", "רחוב הרצל 45", "12 شارع مراد",
  "मकान नं. 17, गली नं. 3"), and Tamil, Bengali, Persian and Amharic ones ("7, காந்தி தெரு",
  "বাড়ি নং ৪২, রোড নং ১১", "ወረዳ 05፣ የቤት ቁጥር 221").
"""

from __future__ import annotations

import importlib
import re
from functools import cache

from presidio_analyzer import EntityRecognizer, RecognizerResult

from tutela.governance.pii.recognizers.places import place_names
from tutela.governance.pii.recognizers.rules import CJK_LETTERS, Rule, RuleRecognizer

_HAN = "\u3400-\u4dbf\u4e00-\u9fff"
_KANA = "\u3040-\u30ff"  # hiragana and katakana
_HANGUL = "\uac00-\ud7af"
# Letters (with their combining signs) of the other scripts, Latin excluded.
_OTHER = (
    "\u0370-\u03ff\u0400-\u04ff\u05d0-\u05ea\u0621-\u065f\u066e-\u06d3\u0900-\u0963"
    "\u0966-\u097f\u0980-\u09ff"
    "\u0b80-\u0bff\u0e00-\u0e7f\u1200-\u135f\u200c"
)
# Arabic words that follow a name and are none: prepositions, pronouns, "and", "about"; and
# Hindi and Bengali postpositions, "and" and "a"; Greek articles, "and" and "with".
_ARABIC_FUNCTION = (
    r"(?:في|من|إلى|الى|على|عن|مع|هو|هي|و|بخصوص|بشأن|حول|لدى|عند|الذي|التي)(?![\u0621-\u065f])"
)
_FUNCTION = (
    rf"{_ARABIC_FUNCTION}|(?:को|का|की|के|ने|से|में|पर|और)(?![\u0900-\u097f])"
    r"|(?:একজন|এবং|ও)(?![\u0980-\u09ff])|(?:του|της|των|και|με|την|τον)(?![\u0370-\u03ff])"
)
_WORD = (
    rf"(?:[{_HAN}]{{2,4}}|[{_KANA}]{{2,12}}|[{_HAN}{_KANA}]{{2,6}}|[{_HANGUL}]{{2,4}}"
    rf"|(?!{_FUNCTION})[{_OTHER}]{{2,30}}(?:-[{_OTHER}]{{2,30}})?)"
)
# One to four words ("أحمد بن خالد العتيبي"); CJK names may be split by a space, an
# ideographic space or a middle dot.
_NAME_WORDS = (
    rf"{_WORD}(?:[ \u3000・·]{_WORD}){{0,3}}(?:[ ][\u0400-\u042f]\.(?:[ ]?[\u0400-\u042f]\.)?)?"
)
_NAME = rf"{_NAME_WORDS}(?![\d{_HAN}{_KANA}{_HANGUL}{_OTHER}])"

_LATIN_LABELS = (
    r"name|full name|patient(?: name)?|pt name|student(?: name)?|client|customer|parent|"
    r"guardian|contact|beneficiary|account holder|cardholder|insured|member|employee|"
    r"applicant|caller|mr\.?|mrs\.?|ms\.?|dr\.?"
)
# Labels in the scripts themselves; written without spaces, they may end a longer word
# ("会员氏名", "患者姓名").
_SCRIPT_LABELS = (
    r"氏名|姓名|姓[\u3000 ]+名|名前|お名前|患者名|患者|学生|保護者|"
    r"이름|성명|환자명|환자|학생|보호자|"
    r"नाम|रोगी का नाम|मरीज़ का नाम|मरीज का नाम|छात्र का नाम|பெயர்|நோயாளி|மாணவர்|"
    r"নাম|রোগীর নাম|الاسم|اسم المريض|اسم الطالب|اسمي|اسم|ابني|ابنتي|المريضة|المريض|الطالبة|"
    r"الطالب|حساب|имя|фио|пациент|όνομα|ονοματεπώνυμο|ασθενής|"
    r"ชื่อ|שם|"
    # recipients, holders, clients and titles in those languages
    r"受取人|名義人?|申請者|担当者?|收款人|汇款人|持卡人|户名|联系人|申请人|客户|病人|수취인|예금주|"
    r"고객|신청인|담당자|المستفيد|العميل|عميلنا|السيد|السيدة|الدكتور|أنا|लाभार्थी|श्री|श्रीमती|"
    r"डॉ\.?|получатель|клиент|господин|госпожа|"
    # clinicians and parents: attending physician, doctor, nurse, class teacher, parent
    r"主治医师|主治医生|医师|医生|护士|班主任|家长|我叫|주치의|담당의|의뢰의|의사|د\.|دكتور|الدكتورة|"
    r"担任|받는 ?분|담임|저는|الأستاذ|الأستاذة|ابنكم|ابنتكم|שמי|ד\"ר|תלמידה?|תודה,?|"
    r"ชื่อผู้ป่วย|ชื่อ-สกุล|นางสาว|นาย|นาง|ด\.ช\.|ด\.ญ\.|ครู|पुत्र|पुत्री|बेटी|बेटा|"
    # Japanese doctors and contacts, Thai doctors' titles
    r"医師|担当医|主治医|連絡先|院長|พญ\.|นพ\.|ทพญ\.|ทพ\.|"
    # Greek patronymics and a Greek vocative title ("κύριε Παπαδόπουλε"); Russian doctors
    # and teachers; Hebrew "mother of", "father of" and a sign-off; Hindi "dear"
    r"πατρώνυμο|μητρώνυμο|κύριε|κυρία|лечащий врач|врач|доктор|классный руководитель|"
    r"учитель|אמא של|אבא של|בברכה,?\n?|प्रिय(?![\u0900-\u097f])|"
    # Greek students; Chinese guardians and Taiwanese doctors; Japanese readings; Amharic
    # names and doctors; Bengali, Tamil and Persian doctors, parents and sign-offs; Hindi
    # spouses
    r"φοιτήτρια|φοιτητής|μαθήτρια|μαθητής|监护人|監護人|醫師|ふりがな|フリガナ|ስም|ሐኪም|ዶ/ር|"
    r"ডা\.|চিকিৎসক|পিতা|মাতা|বিনীত,\n|নিবেদক,\n|டாக்டர்|மருத்துவர்|دکتر|"
    r"मेरे पति|मेरी पत्नी"
)
_CUED = re.compile(
    rf"(?:(?<![^\W_])(?i:{_LATIN_LABELS})|(?i:{_SCRIPT_LABELS}))"
    rf"[ \t\u3000]*[:：፡\-–/]?[ \t\u3000]*(?!{_SCRIPT_LABELS})(?P<name>{_NAME})"
)
# A name label and the words that say whose name it is, before a colon ("שם בעל החשבון:",
# "اسم المحوِّل:", "ชื่อบัญชี:", "受取人名（カナ）：", "نام پدر:").
_NAMED = re.compile(
    r"(?:שם|اسم|الاسم|نام|имя|όνομα|ชื่อ|नाम|受取人|口座名義|ครู)[^\n:：\d]{1,25}?[ \t]*[:：]"
    r"[ \t\u3000]*"
    rf"(?!{_SCRIPT_LABELS})(?P<name>{_NAME})"
)
# A chat's speakers: the words before a colon at the start of a line, after a time or a
# channel in brackets ("[18:42] מיכל לוי:", "[微信] 刘芳：", "田中医師：", "Оператор (Анна):").
_SPEAKER = re.compile(
    r"^[ \t]*(?P<stamps>(?:[\[【][^\]】\n]{1,25}[\]】][ \t]*)*)"
    r"(?P<speaker>[^\s:：\[\]【】][^\n:：\[\]【】]{0,39}?)[ \t]*[:：]",
    re.MULTILINE,
)
# "I am" before a name and a comma or the verb that ends the introduction ("আমি অনিতা দাস,",
# "اینجانب مریم رضایی هستم", "मैं सुनीता देवी शर्मा बोल रही हूँ", "ስሜ ቤተልሔም ታደሰ ይባላል").
_INTRODUCED = re.compile(
    rf"(?:আমি|اینجانب|मैं|ስሜ)[ ](?P<name>{_NAME_WORDS})"
    r"(?=[ ]?[,،፣]|[ ](?:هستم|बोल|ይባላል|ነኝ|እባላለሁ))"
)
_TIME = re.compile(r"\d{1,2}:\d{2}")
_LABEL_COLON = re.compile(r"[ \t]*[:：፡]")
_FIELD_GAP = re.compile(r"\u3000|[ ]{2,}")
_TITLE = re.compile("[ \u3000]?(?:医師|醫師|医生|醫生|老师|老師|先生|護士|护士|さん|様)$")
_BRACKETS = re.compile(r"(?P<outer>[^()（）]+?)[ ]?[(（](?P<inner>[^()（）]+)[)）]$")
# A name before an honorific ("佐藤 美咲 様", "김민준 님"), maybe with its reading between
# ("佐藤 陽翔（さとう はると）さん"), or a Korean self-introduction ("김민준입니다"), and a
# reading in brackets after a name ("山田 花子（ヤマダ ハナコ）").
_HONOURED = re.compile(
    rf"(?<![{_HAN}{_KANA}{_HANGUL}])(?P<name>{_NAME_WORDS})"
    r"(?:[ \u3000]?[（(][^（）()\n]{1,20}[）)])?[ \u3000]?"
    r"(?:様|さま|さん|殿|先生|女士|小姐|君|くん|ちゃん|님|씨|입니다|[ ]?학생|[ ]?환자|[ ]?고객님)"
)
# Words for people that take an honorific themselves ("선생님", "고객님"), and the copula that
# may follow a label ("보호자입니다").
_HONOURED_WORDS = {
    "선생", "고객", "회원", "환자", "학생", "보호자", "부모", "사장", "교수", "원장", "입니다",
    "各位",
}  # fmt: skip
# A Chinese name before a word for a classmate, teacher or doctor ("陈美玲同学") or a parent
# ("四年级三班王小明的家长"); the same words follow subjects and schools ("数学老师"), so the
# name must start with a known surname. Alone, a surname before a title ("王老师您好").
_CHINESE_ROLE = re.compile(
    r"同学|同學|老师|老師|医生|醫生|的(?:妈妈|爸爸|母亲|父亲|家长|儿子|女儿|孩子)"
)
_CHINESE_TITLE = re.compile(
    rf"(?<![{_HAN}])(?P<name>[{_HAN}])(?=老师|老師|先生|女士|医生|醫生|教授|阿姨|叔叔)"
)
# ... and after "I am called", "my name is" or a word for a relative ("我叫王丽娟",
# "表哥陈志明"): the surname and one or two characters, not a following function word.
_CHINESE_CUED = re.compile(
    r"(?:我叫|我是|名叫|叫做|姓名|表哥|表姐|表弟|表妹|哥哥|姐姐|弟弟|妹妹|丈夫|妻子|老公|老婆|"
    rf"儿子|女儿|孩子)[:：]?(?P<name>[{_HAN}]{{2,3}})"
)
_CHINESE_FUNCTION = set("的是在和与要给说了也有这那到去来把被从对向跟")
# Korean: a surname and a given name (from the name lists) before a particle, an ending or
# nothing ("김민준이고", "박서연입니다", "이서준 씨"), and any surname-led name after a
# label with its particle ("이름은 김민준이고").
_KOREAN_PARTICLE = (
    r"(?:이고요?|입니다|이에요|예요|이가|이는|이를|이랑|이의|이한테|에게|한테|가|는|를|의|"
    r"씨|님|이|과|와|하고|으로|로|도|만|랑)"
)
_KOREAN_NAME = rf"(?P<name>[{_HANGUL}]{{3}})(?={_KOREAN_PARTICLE}?(?![{_HANGUL}]))"
_KOREAN_RUN = re.compile(rf"(?<![{_HANGUL}]){_KOREAN_NAME}")
_KOREAN_CUED = re.compile(
    r"(?:이름|성명|환자명|보호자|학생|어머니|아버지|어머님|아버님)(?:은|는|이|:|\()?[ \t]*"
    + _KOREAN_NAME
)
# A Japanese name before "'s mother" and the like ("佐藤健太の母です"), after a known surname.
_JAPANESE_KIN = re.compile(
    rf"(?<![{_HAN}{_KANA}])(?P<name>[{_HAN}]{{2,4}})の(?:母|父|息子|娘|妻|夫|保護者|祖母|祖父)"
)
# Two or three Arabic words that start with a known given name ("محمد العلي، ...").
_ARABIC_RUN = re.compile(
    r"(?<![\u0621-\u065f])(?P<name>[\u0621-\u065f]{2,20}"
    rf"(?: (?!{_ARABIC_FUNCTION})[\u0621-\u065f]{{2,20}}){{1,2}})(?![\u0621-\u065f])"
)
# Given names that are also everyday words of a school or clinic: "طالب" (student).
_ARABIC_WORD_NAMES = {"طالب"}
_ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670]")
# A short run of another script in brackets after a capitalised Latin word: a name's own
# spelling ("Kim Soo-jin (김수진)"), unless the word is a place ("Seoul (서울)").
_BRACKETED = re.compile(rf"(?P<before>[A-Z][\w'’\-]+)[ ]?[（(](?P<name>{_NAME_WORDS})[）)]")
_READING = re.compile(
    rf"[ \u3000]?[（(](?P<name>[{CJK_LETTERS}][{CJK_LETTERS} \u3000・]{{1,12}})[）)]"
)
_RUN = re.compile(rf"(?<![\w{_HAN}{_KANA}{_HANGUL}{_OTHER}]){_NAME}")
# A run that is a form's label ("卡号:", "金额 Amount:") or an abbreviation ("вул.").
_LABEL_END = re.compile(r"[ \t]*[:：]|\.(?!\.)|[ \t]+[A-Za-z][\w ]{0,30}[:：]")
_LATIN_LETTER = re.compile(r"[A-Za-zÀ-ɏḀ-ỿ]")
_LETTER = re.compile(r"[^\W\d_]")
# A run followed by one of these is a place or an organisation, not a name.
_NOT_NAME_AFTER = re.compile(rf"[{_HAN}]*(?:市|区|県|省|路|街|大学|医院|病院|銀行|银行|公司|会社)")


class ScriptNameRecognizer(EntityRecognizer):
    """PERSON in other scripts: after a name label, or a short run inside a Latin text."""

    def __init__(self) -> None:
        super().__init__(supported_entities=["PERSON"], name="tutela-script-names")

    def load(self) -> None:
        pass

    def analyze(self, text: str, entities, nlp_artifacts=None) -> list[RecognizerResult]:
        found: dict[tuple[int, int], float] = {}
        speakers = _chat_speakers(text)
        cued = (_CUED, _HONOURED, _NAMED, _INTRODUCED)
        for match in [found for pattern in cued for found in pattern.finditer(text)]:
            name = match.group("name")
            if any(s <= match.start() < e for spans in speakers for s, e in spans):
                continue  # a chat's speaker ("田中医師：こんにちは"): a message follows
            start, end = match.span("name")
            if _LABEL_COLON.match(text, end):
                # the next field's label ("佐藤 陽菜　学籍番号：") or a longer label ("שם המטופל:")
                gaps = list(_FIELD_GAP.finditer(name))
                if not gaps:
                    continue
                name, end = name[: gaps[-1].start()], start + gaps[-1].start()
            title = _TITLE.search(name)  # "張志明 醫師"
            if title and title.start():
                name, end = name[: title.start()], start + title.start()
            # not a phrase with the particle の ("3年2組の皆様": everyone of class 2)
            if (
                not _NOT_NAME_AFTER.fullmatch(name)
                and name not in _HONOURED_WORDS
                and "の" not in name
            ):
                found[(start, end)] = 0.75
        for span in _speaker_names(text, speakers):
            found.setdefault(span, 0.7)
        surnames, japanese, arabic = _known_names()
        for match in _CHINESE_ROLE.finditer(text):
            for size in (3, 2):
                name = text[max(0, match.start() - size) : match.start()]
                han = len(name) == size and all("\u3400" <= c <= "\u9fff" for c in name)
                if han and name[0] in surnames and name[0] != name[1]:  # not "谢谢老师"
                    found.setdefault((match.start() - size, match.start()), 0.75)
                    break
        for match in _CHINESE_TITLE.finditer(text):
            if match.group("name") in surnames:
                found.setdefault(match.span("name"), 0.7)
        for match in _CHINESE_CUED.finditer(text):
            start, end = match.span("name")
            if text[start] not in surnames:
                continue
            if end - start == 3 and text[end - 1] in _CHINESE_FUNCTION:
                end -= 1
            found.setdefault((start, end), 0.75)
        korean_surnames, korean_given = _korean_names()
        for match in _KOREAN_CUED.finditer(text):
            if match.group("name")[0] in korean_surnames:
                found.setdefault(match.span("name"), 0.75)
        for match in _KOREAN_RUN.finditer(text):
            name = match.group("name")
            if name[0] in korean_surnames and name[1:] in korean_given:
                found.setdefault(match.span("name"), 0.7)
        for match in _JAPANESE_KIN.finditer(text):
            if any(match.group("name").startswith(family) for family in japanese):
                found.setdefault(match.span("name"), 0.75)
        for match in _ARABIC_RUN.finditer(text):
            first = _ARABIC_MARKS.sub("", match.group("name").split()[0])
            if first in arabic and first not in _ARABIC_WORD_NAMES:
                found.setdefault(match.span("name"), 0.7)
        for match in _BRACKETED.finditer(text):
            if match.group("before").lower() not in place_names():
                found.setdefault(match.span("name"), 0.7)
        letters = len(_LETTER.findall(text))
        if letters and len(_LATIN_LETTER.findall(text)) >= 0.6 * letters:
            for match in _RUN.finditer(text):
                if not _NOT_NAME_AFTER.fullmatch(match.group(0)) and not _LABEL_END.match(
                    text, match.end()
                ):
                    found.setdefault(match.span(), 0.6)
        for (_, end), score in list(found.items()):
            # a reading in another script: "山田 花子（ヤマダ ハナコ）", "김민준 (金旼俊)", not a
            # department ("이서연 (가정의학과)")
            reading = _READING.match(text, end)
            if reading and _cjk_script(reading.group("name")[0]) != _cjk_script(text[end - 1]):
                found.setdefault(reading.span("name"), score)
        return [RecognizerResult("PERSON", s, e, score) for (s, e), score in found.items()]


def _cjk_script(character: str) -> str:
    for name, letters in (("han", _HAN), ("kana", _KANA), ("hangul", _HANGUL)):
        if re.match(f"[{letters}]", character):
            return name
    return "other"


def _chat_speakers(text: str) -> list[list[tuple[int, int]]]:
    """A chat's speakers: each opens two lines or more, or a line after a time
    ("[18:42] מיכל לוי:") in a chat of two such lines or more."""
    lines: dict[str, list[tuple[int, int]]] = {}
    timed = 0
    timed_speakers: set[str] = set()
    for match in _SPEAKER.finditer(text):
        start, end = match.span("speaker")
        lines.setdefault(text[start:end], []).append((start, end))
        if _TIME.search(match.group("stamps")):
            timed += 1
            timed_speakers.add(text[start:end])
    chosen = {speaker for speaker, spans in lines.items() if len(spans) >= 2}
    if timed >= 2:
        chosen |= timed_speakers
    return [lines[speaker] for speaker in chosen]


def _speaker_names(text: str, speakers: list[list[tuple[int, int]]]) -> list[tuple[int, int]]:
    """The speakers written in other scripts that are names: in Chinese or Japanese after a
    known surname, in Korean after a Korean surname, otherwise in two words or more, or as
    one known given name; a role before the name in brackets and a title after a Chinese or
    Japanese name are dropped ("Оператор (Анна)", "田中医師")."""
    found = []
    for spans in speakers:
        for start, end in spans:
            for name_start, name_end in _speaker_parts(text, start, end):
                if _speaker_name(text[name_start:name_end]):
                    found.append((name_start, name_end))
    return found


def _speaker_parts(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The speaker, or the words before and inside its brackets, without a title."""
    bracketed = _BRACKETS.fullmatch(text, start, end)
    spans = [bracketed.span("outer"), bracketed.span("inner")] if bracketed else [(start, end)]
    parts = []
    for part_start, part_end in spans:
        title = _TITLE.search(text, part_start, part_end)
        parts.append((part_start, title.start() if title else part_end))
    return parts


def _speaker_name(value: str) -> bool:
    if not re.fullmatch(_NAME_WORDS, value) or re.fullmatch(_SCRIPT_LABELS, value.lower()):
        return False
    surnames, japanese, _ = _known_names()
    if re.match(f"[{_HAN}{_KANA}]", value):
        return value[0] in surnames or value.startswith(japanese)
    if re.match(f"[{_HANGUL}]", value):
        return value[0] in _korean_names()[0]
    return len(value.split()) >= 2 or value in script_given_names()


@cache
def script_given_names() -> frozenset[str]:
    """Given names written in the other scripts, from the `faker` locales."""
    import faker.providers.person as person

    names: set[str] = set()
    for locale in _SCRIPT_LOCALES:
        provider = importlib.import_module(f"{person.__name__}.{locale}").Provider
        for kind in ("first_names", "first_names_male", "first_names_female"):
            names.update(str(name) for name in getattr(provider, kind, ()))
    return frozenset(names)


_SCRIPT_LOCALES = (
    "ar_AA", "bg_BG", "bn_BD", "el_GR", "fa_IR", "he_IL", "hi_IN", "hy_AM", "ka_GE", "ne_NP",
    "ru_RU", "ta_IN", "th_TH", "uk_UA",
)  # fmt: skip


@cache
def _known_names() -> tuple[frozenset[str], tuple[str, ...], frozenset[str]]:
    """From the `faker` locales: one-character Chinese surnames, Japanese surnames, and Arabic
    given names without their vowel marks."""
    from faker.providers.person import ar_AA, ar_DZ, ar_PS, ar_SA, ja_JP, zh_CN, zh_TW

    chinese = [*zh_CN.Provider.last_names, *zh_TW.Provider.last_names]
    arabic = {
        _ARABIC_MARKS.sub("", name)
        for locale in (ar_AA, ar_DZ, ar_PS, ar_SA)
        for kind in ("first_names_male", "first_names_female", "first_names")
        for name in getattr(locale.Provider, kind, ())
    }
    return (
        frozenset(n for n in chinese if len(n) == 1),
        tuple(sorted(set(ja_JP.Provider.last_names), key=len, reverse=True)),
        frozenset(arabic),
    )


def cjk_surname(character: str) -> bool:
    """Whether a character is a one-character Chinese or Korean surname ("王", "김")."""
    return character in _known_names()[0] or character in _korean_names()[0]


@cache
def _korean_names() -> tuple[frozenset[str], frozenset[str]]:
    """Korean surnames and given names, from the `faker` locale."""
    from faker.providers.person import ko_KR

    return frozenset(ko_KR.Provider.last_names), frozenset(ko_KR.Provider.first_names)


# Chinese: a road, street or lane, a number with 号, then floors, rooms, blocks.
_CHINESE_STREET = (
    rf"[{_HAN}]{{1,12}}(?:路|街|大道|道|巷|弄|里|村)[\d{_HAN}]{{0,4}}?(?:\d+(?:巷|弄|衖))*"
    rf"\d+(?:-\d+)?[号號](?:[ ]?[\dA-Z]+(?:号楼|號樓|楼|樓|室|座|单元|單元|栋|棟|层|層)){{0,4}}"
)  # "世纪大道1200弄8号1702室", "忠孝東路四段216巷3弄5號6樓"
# Japanese: a district, chome (丁目) or banchi (番地) and the numbers after it, then a building
# and its room.
_JAPANESE_STREET = (
    rf"[{_HAN}{_KANA}]{{0,12}}\d+(?:丁目|番地?)(?:\d+(?:番地?|[-－]))*\d*(?:番地?|号)?"
    rf"(?:[ \u3000]?[{_HAN}{_KANA}A-Za-z]{{1,20}}[ \u3000]?\d+(?:号室|号|階))?"
)
# Korean: a road name (로, 길) and a building number, maybe a unit.
_KOREAN_STREET = (
    rf"(?:[{_HANGUL}]{{1,8}}(?:특별시|광역시|시|도)[ ])?(?:[{_HANGUL}]{{1,6}}(?:구|군)[ ])?"
    rf"[{_HANGUL}\d]{{1,12}}(?:로|길)[ ]?\d+(?:-\d+)?(?:,?[ ]?\d+동)?(?:,?[ ]?\d+호)?"
)  # "서울특별시 강남구 테헤란로 152, 1203호"

# Cyrillic and Greek: a street word, the street's name and a number, maybe a flat
# ("вул. Саксаганського 37, кв. 12", "ул. Ленина 5", "Λεωφ. Κηφισίας 112").
_CYRILLIC_GREEK_STREET = (
    r"(?<!\w)(?i:вул\.|вулиця|ул\.|улица|просп\.|проспект|пер\.|переулок|бульв\.|"
    r"λεωφ\.|λεωφόρος|οδός|οδ\.)[ ]?[\u0400-\u04ff\u0370-\u03ff'’\- ]{2,40}?,?[ ]"
    r"(?:(?i:д\.|дом|буд\.|будинок)[ ]?)?\d+[\w/\-]*"
    r"(?:,[ ]?(?i:корп\.|стр\.)[ ]?\d+)?(?:,[ ]?(?i:кв\.|квартира|διαμ\.)[ ]?\d+)?"
    r"(?:,[ ]?\d{1,2}(?:ος|ο|η)[ ](?i:όροφος))?"
)  # "ул. Бауманская, д. 35, кв. 118", "вул. Шевченка, буд. 12", "Οδός Ερμού 112, 3ος όροφος"

# Thai: a house number (with its village, หมู่), then a lane (ซอย) or road (ถนน) and its
# name, maybe the lane's number ("99/12 หมู่ 4 ถนนสุขุมวิท", "88/12 ซอยสุขุมวิท 55").
_THAI_STREET = (
    r"(?<![\d/])\d{1,5}(?:/\d{1,4})?(?:[ ]?หมู่(?:ที่)?[ ]?\d{1,3})?"
    r"(?:[ ]?หมู่บ้าน[\u0e00-\u0e7f]{2,30}(?:[ ]\d{1,3}(?![\d/]))?)?[ ]?"
    r"(?:ซอย|ซ\.|ถนน|ถ\.)[ ]?[\u0e00-\u0e7f\-]{2,30}(?:[ ]\d{1,3}(?![\d/]))?"
    r"(?:[ ]?(?:ถนน|ถ\.)[ ]?[\u0e00-\u0e7f\-]{2,30})?"
    r"|(?<![\d/])\d{1,5}/\d{1,4}[ ]?หมู่(?:ที่)?[ ]?\d{1,3}(?![\d/])"  # "45/12 หมู่ 3"
)
# Hebrew: a street word, the street's name, a number, maybe a flat ("רחוב הרצל 45 דירה 7").
_HEBREW_STREET = (
    r"(?:רחוב|רח'|שדרות|שד')[ ][\u05d0-\u05ea\"'\- ]{2,30}?[ ]\d{1,4}"
    r"(?:[ ,]{1,2}(?:דירה|דירת|ד')[ ]?\d{1,4})?"
)
# Arabic: a number before the street word and the street's name, maybe a floor or a flat
# ("12 شارع مراد، الدور الرابع", "١٥ شارع التحرير").
_ARABIC_STREET = (
    r"(?<![\d٠-٩])[\d٠-٩]{1,5}[ ](?:شارع|ش\.|طريق)[ ][\u0621-\u064a]{2,20}"
    r"(?:[ ][\u0621-\u064a]{2,20}){0,3}?(?=[،,\n]|$)"
    r"(?:[،,][ ]?(?:الدور|الطابق|شقة)[ ][\u0621-\u064a\d٠-٩]{1,12})?"
    # ... or the street's name, then the building and the flat ("شارع الأمير سلطان، مبنى ٢٢٤")
    r"|(?:شارع|طريق)[ ][\u0621-\u064a]{2,20}(?:[ ][\u0621-\u064a]{2,20}){0,3}[،,][ ]?"
    r"(?:مبنى|عمارة|بناية)[ ][\d٠-٩]{1,5}(?:[،,][ ]?(?:شقة|الدور|الطابق)[ ][\d٠-٩]{1,4})?"
)
# Hindi: a house number and the lane, sector or block numbers after it, maybe the colony
# ("मकान नं. 17, गली नं. 3, शास्त्री नगर", "मकान नं. 45, सेक्टर 15").
_HINDI_STREET = (
    r"(?:मकान|म\.|फ्लैट)[ ]?(?:नं\.?|नंबर|संख्या)?[ ]?[\d०-९]+[A-Za-z]?"
    r"(?:,[ ][\u0900-\u097f ]{2,30}(?:अपार्टमेंट|अपार्टमेंट्स|टावर|भवन))?"
    r"(?:,?[ ](?:गली|सेक्टर|ब्लॉक|फ्लैट)[ ]?(?:नं\.?|नंबर)?[ ]?[\d०-९]+[A-Za-z]?)*"
    r"(?:,[ ][\u0900-\u097f]{2,20}[ ](?:नगर|मार्ग|रोड|कॉलोनी|विहार|पुरी|बाग))?"
)
# Persian: streets and alleys, then the plaque (house number) and the unit
# ("خیابان ولیعصر، کوچه نیلوفر، پلاک ۱۲، واحد ۳").
_PERSIAN_STREET = (
    r"(?:خیابان|کوچه|بلوار|میدان)[ ][^\n،,]{2,30}(?:[،,][ ]?(?:خیابان|کوچه|بن‌بست)[ ][^\n،,]{2,30})*"
    r"[،,][ ]?پلاک[ ]?\d{1,5}(?:[،,][ ]?(?:واحد|طبقه)[ ]?\d{1,4})?"
)

# Tamil: a house number and the street (தெரு) or road (சாலை) ("எண் 14, இரண்டாவது
# குறுக்குத் தெரு", "12, பாரதியார் தெரு").
_TAMIL_STREET = (
    r"(?:எண்[ ]?)?(?<![\d/])\d{1,5}(?:/\d{1,4})?,?[ ][\u0b80-\u0bff ]{2,40}?(?:தெரு|சாலை|வீதி)"
)
# Bengali: a house number and the road, or a house number and road number ("১২/৩ রাসবিহারী
# অ্যাভিনিউ", "বাড়ি নং ১৮, রোড নং ৭").
_BENGALI_STREET = (
    r"(?<![\d/])\d{1,5}(?:/\d{1,4})?[ ][\u0980-\u09ff ]{2,30}?(?:অ্যাভিনিউ|রোড|সড়ক|লেন|স্ট্রিট)"
    r"|(?:বাড়ি|বাসা|হোল্ডিং)[ ]?(?:নং|নম্বর)?[ ]?\d{1,5}(?:/\d{1,4})?"
    r"(?:,[ ]?(?:রোড|সড়ক|লেন)[ ]?(?:নং|নম্বর)?[ ]?\d{1,4})?"
)
# Amharic: the district (ወረዳ) and the house number (የቤት ቁጥር) ("ወረዳ 03፣ የቤት ቁጥር 1147").
_AMHARIC_STREET = r"(?:ወረዳ[ ]?\d{1,3}[፣,][ ]?)?የቤት[ ]ቁጥር[ ]?\d{1,6}"

STREET_LINES = RuleRecognizer(
    "STREET_ADDRESS",
    [
        Rule(_CHINESE_STREET, 0.7),
        Rule(rf"(?<![{_HAN}{_KANA}\d]){_JAPANESE_STREET}(?=[\s,、。]|$)", 0.65),
        Rule(_KOREAN_STREET, 0.7),
        Rule(_CYRILLIC_GREEK_STREET, 0.7),
        Rule(_THAI_STREET, 0.7),
        Rule(_HEBREW_STREET, 0.7),
        Rule(_ARABIC_STREET, 0.7),
        Rule(_HINDI_STREET, 0.7),
        Rule(_PERSIAN_STREET, 0.7),
        Rule(_TAMIL_STREET, 0.7),
        Rule(_BENGALI_STREET, 0.7),
        Rule(_AMHARIC_STREET, 0.7),
    ],
    name="tutela-script-streets",
)

RECOGNIZERS = [ScriptNameRecognizer(), STREET_LINES]
