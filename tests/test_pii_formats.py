"""Structured formats (HL7 v2, X12, XML, FHIR JSON) and the context rules for names, places,
dates of birth, health plan ids, card codes and secrets."""

from __future__ import annotations

import pytest

from tutela.governance.pii.recognizers.ach import AchRecognizer
from tutela.governance.pii.recognizers.dicom import DicomRecognizer
from tutela.governance.pii.recognizers.hl7 import Hl7Recognizer
from tutela.governance.pii.recognizers.places import CityPostcodeRecognizer
from tutela.governance.pii.recognizers.tables import TableRecognizer
from tutela.governance.pii.recognizers.x12 import X12Recognizer


def found_by(recognizer, text: str) -> list[tuple[str, str]]:
    return sorted((r.entity_type, text[r.start : r.end]) for r in recognizer.analyze(text, []))


def detected(detector, text: str) -> list[tuple[str, str]]:
    return [(e.type, text[e.start : e.end]) for e in detector.analyze(text)]


HL7 = (
    "MSH|^~\\&|ADT|GENERAL|EHR|GENERAL|20250102083000||ADT^A04|MSG7|P|2.5.1\n"
    "PID|1||40021877^^^GEN^MR~531-62-0917^^^SSA^SS||Okonkwo^Adaeze^N||19841107|F|||"
    "17 Larkspur Way^Apt 2^Dayton^OH^45402||(937)555-0142|||||AC55120\n"
    "NK1|1|Okonkwo^Chidi|SPO|17 Larkspur Way^^Dayton^OH^45402|(937)555-0188\n"
    "PV1|1|O|CLINIC^^^GEN||||1679576722^HALVERSEN^MARIT^^^^MD\n"
    # IN1-16 is the insured's name, IN1-36 the policy number
    + "IN1|"
    + "|".join({1: "1", 2: "PLAN7", 16: "Okonkwo^Adaeze", 36: "WXK448120931"}.get(n, "")
               for n in range(1, 37))
)  # fmt: skip


def test_hl7_fields_are_typed_by_segment_and_position() -> None:
    assert found_by(Hl7Recognizer(), HL7) == sorted(
        [
            ("MEDICAL_RECORD_NUMBER", "40021877"),
            ("US_SSN", "531-62-0917"),
            ("PERSON", "Okonkwo^Adaeze^N"),
            ("DATE_OF_BIRTH", "19841107"),
            ("STREET_ADDRESS", "17 Larkspur Way^Apt 2"),
            ("ZIP_CODE", "45402"),
            ("PHONE_NUMBER", "(937)555-0142"),
            ("ACCOUNT_NUMBER", "AC55120"),
            ("PERSON", "Okonkwo^Chidi"),
            ("STREET_ADDRESS", "17 Larkspur Way"),
            ("ZIP_CODE", "45402"),
            ("PHONE_NUMBER", "(937)555-0188"),
            ("PERSON", "HALVERSEN^MARIT"),
            ("PERSON", "Okonkwo^Adaeze"),
            ("HEALTH_PLAN_ID", "WXK448120931"),
        ]
    )


def test_hl7_fields_named_in_a_log_line() -> None:
    text = "DEBUG parsed PID-3=00918274 PID-5=VASQUEZ-ORTIZ^LUCIA PID-7=19700214 OBX-5=7.2"
    assert found_by(Hl7Recognizer(), text) == sorted(
        [
            ("MEDICAL_RECORD_NUMBER", "00918274"),
            ("PERSON", "VASQUEZ-ORTIZ^LUCIA"),
            ("DATE_OF_BIRTH", "19700214"),
        ]
    )


def test_dicom_header_values() -> None:
    text = "(0010,0010) PN [PEREIRA^LUCAS]\n(0010,0020) LO [PX88120]\n(0008,0060) CS [MR]"
    assert found_by(DicomRecognizer(), text) == [
        ("MEDICAL_RECORD_NUMBER", "PX88120"),
        ("PERSON", "PEREIRA^LUCAS"),
    ]


def test_dicom_headers_with_keywords_and_bare_values() -> None:
    text = (
        "(0010,0010) PatientName              PN  KIM^MIN-JUN\n"
        "(0010, 0030) Patient's Birth Date    DA: '19910227'\n"
        "(0010,0020) LO [77302]  #  6, 1 PatientID\n"
        "(0008,0060) Modality                 CS  CT"
    )
    assert found_by(DicomRecognizer(), text) == [
        ("DATE_OF_BIRTH", "19910227"),
        ("MEDICAL_RECORD_NUMBER", "77302"),
        ("PERSON", "KIM^MIN-JUN"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "PID|1||{{MRN}}^^^{{AA}}^MR||{{LAST}}^{{FIRST}}||{{DOB}}",  # a template
        "The PID segment holds the patient's name in field 5.",
        "OBX|1|NM|2345-7^Glucose^LN||112|mg/dL|70-99|H|||F",
        "PID|1||||^^||",  # empty fields
    ],
)
def test_hl7_without_personal_values(text: str) -> None:
    assert found_by(Hl7Recognizer(), text) == []


def test_x12_names_ids_addresses_and_dates() -> None:
    text = (
        "NM1*85*2*LAKESIDE CLINIC*****XX*1679576722~\n"
        "NM1*IL*1*DUBOIS*REMI*A***MI*ZQH220918374~N3*88 HARBOR RD*UNIT 4~"
        "N4*PORTLAND*ME*04101~DMG*D8*19610322*M~REF*SY*531620917~PER*IC*REMI*TE*2075550164~"
        "PER*IC*JERRY KING*TE*8135550142~PER*IC*BILLING DEPT*TE*8005550100~"
    )
    assert found_by(X12Recognizer(), text) == sorted(
        [
            ("NPI", "1679576722"),
            ("PERSON", "DUBOIS*REMI*A"),
            ("HEALTH_PLAN_ID", "ZQH220918374"),
            ("STREET_ADDRESS", "88 HARBOR RD"),
            ("STREET_ADDRESS", "UNIT 4"),
            ("ZIP_CODE", "04101"),
            ("DATE_OF_BIRTH", "19610322"),
            ("US_SSN", "531620917"),
            ("PHONE_NUMBER", "2075550164"),
            ("PERSON", "REMI"),  # PER's contact: a given name
            ("PERSON", "JERRY KING"),
            ("PHONE_NUMBER", "8135550142"),
            ("PHONE_NUMBER", "8005550100"),  # not "BILLING DEPT"
        ]
    )


def test_ach_entry_records_and_file_header() -> None:
    text = (
        "101 12371782717460012342509050615A094101FIRST PRAIRIE BANK     STATE UNIVERSITY SFS\n"
        "6271149823443390187745       0000131820A00551238      KINCAID ROBERT          "
        "0123717820000001\n"
        "6260730001505538201974       0000184220E4471           BJORNSTAD INGRID K      "
        "1073000150000001\n"  # a stray space after the identification number
    )
    assert found_by(AchRecognizer(), text) == sorted(
        [
            ("US_ROUTING_NUMBER", "123717827"),
            ("US_ROUTING_NUMBER", "114982344"),
            ("ACCOUNT_NUMBER", "3390187745"),
            ("ID_NUMBER", "A00551238"),
            ("PERSON", "KINCAID ROBERT"),
            ("US_ROUTING_NUMBER", "073000150"),
            ("ACCOUNT_NUMBER", "5538201974"),
            ("ID_NUMBER", "E4471"),
            ("PERSON", "BJORNSTAD INGRID K"),
        ]
    )


def test_a_line_that_starts_with_6_is_no_ach_record() -> None:
    assert found_by(AchRecognizer(), "6 apples and 12 pears, order 62207350850028 today") == []


def test_x12_organisations_are_no_persons() -> None:
    assert found_by(X12Recognizer(), "NM1*PR*2*ACME HEALTH PLAN*****PI*60054~") == []


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("House 9, Road 4, Gulshan, Dhaka 1212\nPhone", ["1212"]),
        ("Hafnarstræti 5, 101 Reykjavík.", ["101"]),
        ("22 Quay Street\nAuckland 1010\n", ["1010"]),
        ("Ομήρου 12, 106 72 Athens", ["106 72"]),
        ("We met in London 2012 and Paris 2024.", []),  # years, not postcodes
        ("Meet me in Room 310 Library Annex.", []),  # not an address line
    ],
)
def test_postcodes_beside_a_known_city(text: str, codes: list[str]) -> None:
    found = [value for kind, value in found_by(CityPostcodeRecognizer(), text)]
    assert found == codes


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "<patient><name><given>Niamh</given><family>Ó Briain</family></name>"
            '<birthTime value="19930604"/></patient>',
            [("PERSON", "Niamh"), ("PERSON", "Ó Briain"), ("DATE_OF_BIRTH", "19930604")],
        ),
        (
            '{"name": [{"family": "Adeyemi", "given": ["Folake", "Ruth"]}], '
            '"address": [{"line": ["41 Marlowe Crescent"], "postalCode": "73301"}]}',
            [("PERSON", "Adeyemi"), ("PERSON", "Folake"), ("PERSON", "Ruth"),
             ("STREET_ADDRESS", "41 Marlowe Crescent"), ("ZIP_CODE", "73301")],
        ),
        ('{"SchemeName": "UK.OBIE.SortCodeAccountNumber"}', []),  # an identifier, no name
        ('STRIPE_SECRET = "c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6"',
         [("SECRET", "c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6")]),
        ("INSERT INTO pupils (pupil_id, last_name, first_name, nickname, grade) VALUES\n"
         "('P-2291', 'van der Berg', 'Liesbeth', NULL, 4),\n"
         "('P-2292', 'O''Hara', 'Seán', 'Shay', 5);",
         [("PERSON", "van der Berg"), ("PERSON", "Liesbeth"), ("PERSON", "O''Hara"),
          ("PERSON", "Seán"), ("PERSON", "Shay")]),  # an SQL insert's rows, by column
        ('{"subscriber": {"last": "O\'NEILL", "first": "BRIDGET", "maiden": "Iyer"}}',
         [("PERSON", "O'NEILL"), ("PERSON", "BRIDGET"), ("PERSON", "Iyer")]),
        ("<Name><LastName>Villanueva</LastName></Name>"
         "<DateOfBirth><Date>1979-11-23</Date></DateOfBirth>",
         [("PERSON", "Villanueva"), ("DATE_OF_BIRTH", "1979-11-23")]),  # a place's name
        ("name_on_document: NGUYEN VAN AN\n"
         "dob_document: 02/01/1998   dob_profile: 01/02/1998\naccount_id: 1",
         [("PERSON", "NGUYEN VAN AN"), ("DATE_OF_BIRTH", "02/01/1998"),
          ("DATE_OF_BIRTH", "01/02/1998")]),  # snake-case keys; too few digits for an id
        ("[10:04] patient_jk: blisters yes, no fever", []),  # a chat's user, not a key
    ],
)  # fmt: skip
def test_xml_elements_json_lists_and_keys(pii_detector, text: str, expected) -> None:
    assert detected(pii_detector, text) == expected


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Home visit referral: Destiny Washington, Medicaid ID 88120443B", "Destiny Washington"),
        ("Solicitante: Dra. Fernanda Albuquerque", "Fernanda Albuquerque"),
        ("Late: RYAN, WILL O. | grade 10", "RYAN, WILL O."),
        ("Absent: van der Meer, Jesse (22-1004)", "van der Meer, Jesse"),
        ("I spoke to Mrs. Delacroix yesterday.", "Delacroix"),
        ("Witness: H. Mbeki, RN", "H. Mbeki"),
        ("can you make a rota for Bogdan and Siobhan?", "Siobhan"),
        ("hi, i'm bill ferguson and my card was stolen", "bill ferguson"),
        ("please call back owen mcallister about the refund", "owen mcallister"),
        ("Met vriendelijke groet, Femke van der Linden", "Femke van der Linden"),
        ("this is Linh.\nLINH (pharmacist): yes", "LINH"),  # the same name in capitals
        ("Danışman: IŞIK, Elif\nışık called back", "ışık"),  # Turkish dotless i in any case
        ("ALERT: pt OKORO, NNAMDI MRN E5510234", "OKORO, NNAMDI"),  # before a field's label
        ("advisor de Vries, Anouk called about the transfer", "de Vries, Anouk"),
        ("Paid out 44 to Okonkwo, Camila on Tuesday", "Okonkwo, Camila"),  # a known surname
        ("NAME ON CARD PRIYA NAIR SHARMA CARD ENDING 1881", "PRIYA NAIR SHARMA"),
        ("We moved next door to Mrs Halifax last year.", "Halifax"),  # a place after a title
        ("Send it to Dr. Ayodele Bankole's clinic by noon.", "Ayodele Bankole"),
        ("the form says teacher is ms. faith", "faith"),  # a given name that is also a word
        ("Patient: Chase Whitfield, seen today", "Chase Whitfield"),  # a bank's name, a person
        ("Please call Ewan MacLeod back.", "Ewan MacLeod"),
        ("The refill for Terrence Hall was sent today.", "Terrence Hall"),
        ("hey its will mercer, running late", "will mercer"),  # lower case after "its"
        ("dictated: seen by doctor okonjo, plan to follow up", "okonjo"),  # a spoken title
        ("3. Name: Can Yilmaz      Relationship: son", "Can Yilmaz"),  # a form's name field
    ],
)
def test_names_completed_by_context(pii_detector, text: str, name: str) -> None:
    assert ("PERSON", name) in detected(pii_detector, text)


@pytest.mark.parametrize(
    "text",
    [
        "She studied MS Statistics at night.",  # "MS" is a degree here, not a title
        "Echo showed mild MR. Current meds unchanged.",
        "The visit is at St. Brendan's Medical Center.",
        "Paid the credit card bill from savings.",
        "Lot G. Tickets are $15.",
        "77 Springbrook Dr, Brampton ON L6Y 5J9",
        "Moving my Roth IRA and a Pell grant.",  # eponyms
        "Kocher clamps x4 and Deaver retractors x2.",
        "My new employer in Lyon asked for my RIB.",  # a place
        "The column is status VARCHAR(16) in the table.",  # a code in capitals
        "Our courses moved over from Blackboard Learn last spring.",  # a titled thing
        "the account name is wrong, please put my name later",  # words after "name"
        "Graves' disease, the Dunning–Kruger effect and Maslow's hierarchy.",
        "Orders from Epic Hyperspace 2023.1.4 fail after the move to Rhapsody v7.",  # versions
        "Beneficiary: Northgate Consulting GmbH, IBAN below",
        "We refinanced through Fannie Mae and moved the IRA to Charles Schwab.",  # organisations
        "The ADT feed from Meditech Expanse stopped at noon.",  # a product of a known vendor
        "Sign-in uses Acme SecureBadge at every nurse station.",  # a brand's camel-case word
        "Office hours are in Pemberton Hall, Room 12, on Fridays.",  # a building
        "Does the Pell Grant count in the Student Aid Index?",  # heads that end the name
        "login from src=203.0.113.8 geo=NL at 03:12",  # a key, not a lower-case name
        "its bill payment day, and its may june already",  # no surname after the given name
        "the doctor mentioned TSH levels again",  # an English word after a spoken title
        "The office is closed on Martin Luther King Jr. Day.",  # a day named after a person
    ],
)
def test_no_person_in_titles_that_are_not_titles(pii_detector, text: str) -> None:
    assert [v for kind, v in detected(pii_detector, text) if kind == "PERSON"] == []


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("DOB 1979-08-02 and 1982-01-19 respectively", "DATE_OF_BIRTH", "1982-01-19"),
        ("data urodzenia 5 maja 2010", "DATE_OF_BIRTH", "5 maja 2010"),
        ("sinh ngày 17/08/2001", "DATE_OF_BIRTH", "17/08/2001"),
        ("Birthday is the fourth of May, 1972.", "DATE_OF_BIRTH", "fourth of May, 1972"),
        ("DOB: O4/O2/1959", "DATE_OF_BIRTH", "O4/O2/1959"),
        ("Medicaid ID MCD 7741920385, MRN 55", "HEALTH_PLAN_ID", "MCD 7741920385"),
        ("Health card (OHIP): 4821 093 771 KT", "HEALTH_PLAN_ID", "4821 093 771 KT"),
        ("carteirinha 884.2210.0073.44", "HEALTH_PLAN_ID", "884.2210.0073.44"),
        ("Member lD: XJP 40918 2277", "HEALTH_PLAN_ID", "XJP 40918 2277"),
        ("card 4661 3186 0913 9090 with the code 518 on the back", "CARD_SECURITY_CODE", "518"),
        ("gültig bis 07/26, Prüfziffer 318.", "CARD_SECURITY_CODE", "318"),
        ("Temporary password set to Blue-Kite-2291, expires", "SECRET", "Blue-Kite-2291"),
        ("recovery key 482316-110297-605819-334102-771526-090314-228749-615027", "SECRET",
         "482316-110297-605819-334102-771526-090314-228749-615027"),
        ("14, rue de la Gare, L-1611 Luxembourg", "ZIP_CODE", "1611"),
        ("88 kingsway apt 1207 vancouver bc v5t 3j7", "ZIP_CODE", "v5t 3j7"),
        ("Rua Augusta 210, 3.º Esq., Lisboa", "STREET_ADDRESS", "Rua Augusta 210, 3.º Esq"),
        ("New address 6/3, 4th Cross, Jayanagar, Bengaluru", "STREET_ADDRESS",
         "6/3, 4th Cross, Jayanagar"),
        ("Adresas: Gedimino pr. 12-4, Vilnius", "STREET_ADDRESS", "Gedimino pr. 12-4"),
        ("currently 418 Kingsway, Unit 905, Vancouver", "STREET_ADDRESS",
         "418 Kingsway, Unit 905"),
        ("Adm No. KCT114-0911/2022", "STUDENT_ID", "KCT114-0911/2022"),
        ("your child Thandi Mokoena (2016/03/11) is due", "DATE_OF_BIRTH", "2016/03/11"),
        ("(1985-07-30 is my birthday)", "DATE_OF_BIRTH", "1985-07-30"),
        ("이서연 학생 (학번 2020-11873)", "PERSON", "이서연"),
        ("Name: Bill Church\nID: 00913348", "PERSON", "Bill Church"),
        ("Пациентка Ольга Иванова, д.р. 03.04.1981", "DATE_OF_BIRTH", "03.04.1981"),
        ("paciente con fecha nac 11/05/1966", "DATE_OF_BIRTH", "11/05/1966"),
        ("member id AET 55120873-02 on file", "HEALTH_PLAN_ID", "AET 55120873-02"),
        ("policy no. BCX 7O1-22-9034", "HEALTH_PLAN_ID", "BCX 7O1-22-9034"),
        ("09:14 StudyDate=20240302 PatientName=ORTIZ^LUIS ok", "PERSON", "ORTIZ^LUIS"),
        ("me llamo Inés, cel 33 5555 0187", "PHONE_NUMBER", "33 5555 0187"),
        ("联系电话 139 5555 0146", "PHONE_NUMBER", "139 5555 0146"),
        ("STATE: GAUTENG  POSTAL: 2001", "ZIP_CODE", "2001"),
        ("she rents in Rosebank, Durban 4001 and works nights", "ZIP_CODE", "4001"),
        ("Av. Santa Fe 1450, C1059ABT Buenos Aires", "ZIP_CODE", "C1059ABT"),
        ("张伟同学的成绩单", "PERSON", "张伟"),
        ("我是张伟的爸爸，他今天请假", "PERSON", "张伟"),
        ("主治医师：王建国", "PERSON", "王建国"),
        ("田中一郎の母です。", "PERSON", "田中一郎"),
        ("أحمد الزهراني، رقم الحساب", "PERSON", "أحمد الزهراني"),
        ("مراجعة مع د. سارة خليل غدا", "PERSON", "سارة خليل"),
        ("Student Park Ji-woo (박지우) moved", "PERSON", "박지우"),
        ("받는 분: 이서준\n은행: 신한은행", "PERSON", "이서준"),
        ("กรุณาโอนให้ นายวิชัย ใจดี\nธนาคาร", "PERSON", "วิชัย ใจดี"),
        ("שלום, שמי רות כהן-לוי, תודה", "PERSON", "רות כהן-לוי"),
        ("mrn\tlast_name\tfirst_name\tlast_a1c\n30018872\tAbubakar\tHauwa\t8.9", "PERSON",
         "Abubakar"),  # a header with digits in a column's name
        ("| Room | Child | DOB | Allergies? |\n|---|---|---|---|\n| 2B | Ada Obi | 2019-05-02 |"
         " no |", "DATE_OF_BIRTH", "2019-05-02"),  # a header cell with a question mark
        ("生年月日：昭和62年11月3日", "DATE_OF_BIRTH", "昭和62年11月3日"),  # a Japanese era
        ("생년월일은 1988년 3월 9일입니다", "DATE_OF_BIRTH", "1988년 3월 9일"),
        ("ученик Петров Илья, 05.06.2012 г.р., 6 класс", "DATE_OF_BIRTH", "05.06.2012"),
        ("Nací el 4 de mayo de 1979 en Lima", "DATE_OF_BIRTH", "4 de mayo de 1979"),
        ("Date of Birth: l2/O4/1991", "DATE_OF_BIRTH", "l2/O4/1991"),  # a scan's l and O
        ("{1:F01DEUTDEFFAXXX0000000000}{2:I103BNPAFRPPXXXXN}", "SWIFT_CODE", "BNPAFRPP"),
        ("<CdtrAgt><FinInstnId><BICFI>KREDBEBB</BICFI></FinInstnId>", "SWIFT_CODE", "KREDBEBB"),
        ("visa 4539578763621486 11/27 382 - thanks", "CARD_SECURITY_CODE", "382"),
        ("Τηλέφωνο: 6944 123 456", "PHONE_NUMBER", "6944 123 456"),
        ("Worcester, MA 0l609", "ZIP_CODE", "0l609"),  # a scan's l for 1
        ("上海市徐汇区，邮编200030", "ZIP_CODE", "200030"),
        ('wallet_seed: "lemon garden ocean tiger pencil rocket silver mango jazz window coral '
         'flight"', "SECRET", "lemon garden ocean tiger"),
        ("Activation code: 9QF4T-ZM27K-88HWD", "SECRET", "9QF4T-ZM27K-88HWD"),
        ("curl -u sk_test_4eC39HqLyjWDarjtT1zdp7dc: https://api.example.com", "SECRET",
         "sk_test_4eC39HqLyjWDarjtT1zdp7dc"),
        ("fee from PK44MEZN0001230100458921 (MEZNPKKA) today", "SWIFT_CODE", "MEZNPKKA"),
        ("paid by the sender bank QNBAQAQA last week", "SWIFT_CODE", "QNBAQAQA"),
        ("Acc0unt N0: 61 1090 1014 0000 0712 1981 2874", "ACCOUNT_NUMBER",
         "61 1090 1014 0000 0712 1981 2874"),  # a scan's zeros for O, a Polish NRB
        ("Okafor, Chidi,318-40-2291,000777120,4410239912,savings", "ID_NUMBER", "4410239912"),
        (":52A:BOFAUS3N\n:57A:DEUTDEFF\n:59:/012170411185185761\nLIU YANG", "SWIFT_CODE",
         "DEUTDEFF"),  # an MT103's bank field
        (":32A:240611EUR25000,00\n:50K:/000945463382\nHARGREAVES W", "ACCOUNT_NUMBER",
         "000945463382"),  # ... and its ordering customer's account
        ("Tanggal lahir saya 17 Agustus 1992 kalau perlu", "DATE_OF_BIRTH", "17 Agustus 1992"),
        ("και γεννήθηκα στις 9 Μαρτίου 1966. Θα ήθελα", "DATE_OF_BIRTH", "9 Μαρτίου 1966"),
        ("เกิดวันที่ 5 มกราคม 2522 เบอร์", "DATE_OF_BIRTH", "5 มกราคม 2522"),
        ("सही जन्मतिथि 12 अगस्त 2010 है।", "DATE_OF_BIRTH", "12 अगस्त 2010"),
        ("שמי יעל, נולדתי ב-14.2.1993. אני", "DATE_OF_BIRTH", "14.2.1993"),
        ("el cvv es 552 y nací el 2 de mayo del 99 por si", "DATE_OF_BIRTH", "2 de mayo del 99"),
        ("her name is ana, born 1948 march 2nd, her", "DATE_OF_BIRTH", "1948 march 2nd"),
        ("DATE 0F BlRTH: 12 0CT 2001   PR0GRAM", "DATE_OF_BIRTH", "12 0CT 2001"),  # a scan
        ("chuyển nhà về số 42 Nguyễn Thị Minh Khai, Quận 1, nên", "STREET_ADDRESS",
         "42 Nguyễn Thị Minh Khai"),  # a Vietnamese street named after a person
        ("我叫王丽娟，要给在北京的表哥陈志明汇一万美元", "PERSON", "陈志明"),  # after a relative
        ("紹介元医師：田中 健一", "PERSON", "田中 健一"),  # a Japanese referring doctor
        ("Мой полис ОМС: 7751 4903 2208 6614. Телефон", "HEALTH_PLAN_ID", "7751 4903 2208 6614"),
        ("Cartão SUS: 898 0012 3456 7801", "HEALTH_PLAN_ID", "898 0012 3456 7801"),
        ("No d'assurance maladie (RAMQ) : TREJ 6503 1214", "HEALTH_PLAN_ID", "TREJ 6503 1214"),
        ("แพทย์ผู้ส่ง: พญ.วราภรณ์ ศรีสุข", "PERSON", "วราภรณ์ ศรีสุข"),  # a Thai doctor's title
        ("wir berichten über Herrn Jürgen Hoffmann-Brandt, geb. 04.11.1953", "PERSON",
         "Jürgen Hoffmann-Brandt"),
        ("我是四年级三班王小明的家长。", "PERSON", "王小明"),  # a class before the name
        ("王老师您好，我是家长", "PERSON", "王"),  # a surname before a title
        ("카드 분실 신고합니다. 이름은 김민준이고 카드번호는", "PERSON", "김민준"),
        ("연락은 남편 박준호로 부탁드립니다.", "PERSON", "박준호"),  # a listed given name
        ('Employee: Reginald "Reggie" Tolliver\nSSN', "PERSON", 'Reginald "Reggie" Tolliver'),
        ("Διεύθυνση: Ερμού 45, 105 63 Αθήνα", "STREET_ADDRESS", "Ερμού 45"),  # a Greek label
        ("ที่อยู่ 88/12 ซอยสุขุมวิท 55 แขวงคลองตัน", "STREET_ADDRESS", "88/12 ซอยสุขุมวิท 55"),
        ("כתובת: רחוב הרצל 45 דירה 7, חיפה", "STREET_ADDRESS", "רחוב הרצל 45 דירה 7"),
        ("العنوان: 12 شارع مراد، الدور الرابع، الجيزة", "STREET_ADDRESS",
         "12 شارع مراد، الدور الرابع"),
        ("पता: मकान नं. 17, गली नं. 3, शास्त्री नगर, दिल्ली", "STREET_ADDRESS",
         "मकान नं. 17, गली नं. 3, शास्त्री नगर"),
        ("Địa chỉ: Số 25 ngõ 68 Cầu Giấy, phường Quan Hoa", "STREET_ADDRESS",
         "Số 25 ngõ 68 Cầu Giấy"),  # a house in an alley
        ("שם בעל החשבון: יעל בן-דוד\nבנק לאומי", "PERSON", "יעל בן-דוד"),  # a longer label
        ("受取人名（カナ）：ワタナベ\u3000ハルカ", "PERSON", "ワタナベ\u3000ハルカ"),
        ("氏名：佐藤 陽菜\u3000学籍番号：23L1", "PERSON", "佐藤 陽菜"),  # before the next label
        ("Αγαπητέ κύριε Παπαδόπουλε,", "PERSON", "Παπαδόπουλε"),  # a Greek vocative title
        ("Né(e) le : 07/06/2004 à Lyon", "DATE_OF_BIRTH", "07/06/2004"),
        ("Tarikh lahir: 14/02/1979", "DATE_OF_BIRTH", "14/02/1979"),
        ("Mwanafunzi alizaliwa 12/03/2010 kulingana na cheti", "DATE_OF_BIRTH", "12/03/2010"),
        ("Doğum tarihiniz (11.07.1984) ve cep telefonunuz", "DATE_OF_BIRTH", "11.07.1984"),
        ("生年月日：昭和45年 8月 19日\u3000男", "DATE_OF_BIRTH", "昭和45年 8月 19日"),
        ("Teléfono de contacto: 55 4718 2093.", "PHONE_NUMBER", "55 4718 2093"),
        ("手机号码：138 5550 2267", "PHONE_NUMBER", "138 5550 2267"),
        ("以后转账备注发 186 5550 3172", "PHONE_NUMBER", "186 5550 3172"),  # a Chinese mobile
        ("votre prêt personnel n° 73 402 118 9\n", "ID_NUMBER", "73 402 118 9"),  # groups
        ("LEDGER_DB_URL=postgresql://ledger_app:Vx7!pQ2s9#Lm@ledger-db.internal.example:5432/led",
         "SECRET", "postgresql://ledger_app:Vx7!pQ2s9#Lm@ledger-db.internal.example:5432/led"),
        ("AccessCode: 7f2c9e41b0d34a8c9e5fd1aa02b7c6e8", "SECRET",
         "7f2c9e41b0d34a8c9e5fd1aa02b7c6e8"),
        ("Borrowers: Will Hunter & Summer Hale\nProgram", "PERSON", "Will Hunter"),
        ("held in the name of HAMDAN SAEED AL MAZROUEI.", "PERSON", "HAMDAN SAEED AL MAZROUEI"),
        ("Kính gửi Quý khách Trần Thị Thu Hương,", "PERSON", "Trần Thị Thu Hương"),
        ("datos: titular Carmen Iglesias Ruiz de la Fuente, IBAN ES23", "PERSON",
         "Carmen Iglesias Ruiz de la Fuente"),  # particles do not count among four words
        ("Pangalan: Maria Clarissa dela Cruz\nBDO", "PERSON", "Maria Clarissa dela Cruz"),
        ("2024-03-10 22:41:07 user=lmwangi src=203.0.113.77", "PERSON", "lmwangi"),
        ("login: priya.raman", "PERSON", "priya.raman"),  # a user name made of a name
        ("CALLER: It's 8 0 0 2 1 7 4 4 9. Sorry", "ID_NUMBER", "8 0 0 2 1 7 4 4 9"),  # read out
        ("Social security number: 5 7 2 - 1 8 - 0 9 4 4\n", "ID_NUMBER", "5 7 2 - 1 8 - 0 9 4 4"),
        ("call me at Five oh four, five five five, oh one six nine.", "ID_NUMBER",
         "Five oh four, five five five, oh one six nine"),  # digits in words
        ("REDIS_URL=redis://:r3d1sP@ss-2024@10.0.8.15:6379/0", "SECRET",
         "redis://:r3d1sP@ss-2024@10.0.8.15:6379/0"),  # no user, an @ in the password
        ('passphrase = "winter-orchid-42"', "SECRET", "winter-orchid-42"),  # a quoted value
        ("webhook_hmac: 44782DEF547AAA06C910C43932B1EB0C71FC68D9", "SECRET",
         "44782DEF547AAA06C910C43932B1EB0C71FC68D9"),
        ("insurance card says AMG 55810372 01", "ID_NUMBER", "AMG 55810372 01"),
        ("Mi número de afiliación al IMSS es 4318 92 7705-3 y", "ID_NUMBER", "4318 92 7705-3"),
        ("Matrícula: 2021.0387.1142\n", "STUDENT_ID", "2021.0387.1142"),
        ("студенческий билет № 19-МЭ-0427,", "STUDENT_ID", "19-МЭ-0427"),
        ("另外他的学号是20200415，上次", "STUDENT_ID", "20200415"),
        ("USI: 8HK3T9QW2P\n", "STUDENT_ID", "8HK3T9QW2P"),
        ("(Hosp. No. LUTH/24/08813), 41F", "MEDICAL_RECORD_NUMBER", "LUTH/24/08813"),
        ("开户行 中国建设银行北京分行，SWIFT代码 PCBCCNBJ，手机", "SWIFT_CODE", "PCBCCNBJ"),
        ("<PstlAdr><StrtNm>Calle de Alcalá</StrtNm><BldgNb>214</BldgNb>", "STREET_ADDRESS",
         "214"),  # ISO 20022's street name and building number
        ("remove my ex (A. K. Mensah) and add", "PERSON", "A. K. Mensah"),  # two initials
        ("— M. Ibáñez, School Counselor", "PERSON", "M. Ibáñez"),
        ("also R. Oyelaran-Diaz wasn't there", "PERSON", "R. Oyelaran-Diaz"),
        ("Member: R0SE HILL\nMember ID", "PERSON", "R0SE HILL"),  # a scan's 0 for O
        ("Name: HE1NR1CH W. F0RSTER\nDate of birth", "PERSON", "HE1NR1CH W. F0RSTER"),
        (":86:166?00GUTSCHRIFT?20GEHALT 05/2024?32LUKAS BRANDT\n:62F:C240531EUR15310,73",
         "PERSON", "LUKAS BRANDT"),  # an MT940 statement's other party
        ("Лечащий врач: Смирнов А. В.\nЗаведующий", "PERSON", "Смирнов А. В."),  # initials
        ("טלפון: 052-555-0148\nבברכה,\nאבישי כהן", "PERSON", "אבישי כהן"),  # a sign-off
        ("प्रिय अनन्या शर्मा,\nआपका", "PERSON", "अनन्या शर्मा"),  # "dear"
        ("조치: 어머니(이수정, 010-4821-7735)와 통화", "PERSON", "이수정"),  # a mother
        ("[微信] 刘芳：张老师好\n[微信] 刘芳：作业能不能发我邮箱", "PERSON", "刘芳"),  # one speaker
        ("ครูประจำชั้น: วราภรณ์ ทองดี", "PERSON", "วราภรณ์ ทองดี"),  # a homeroom teacher
        ("email me kwame dot mensah at example dot com thanks", "EMAIL_ADDRESS",
         "kwame dot mensah at example dot com"),  # read out
        ("تاریخ تولد: ۱۳۶۴/۰۵/۱۲\n", "DATE_OF_BIRTH", "۱۳۶۴/۰۵/۱۲"),  # Persian digits
        ("کد پستی: ۱۹۶۹۸۳۳۴۱۱\n", "ID_NUMBER", "۱۹۶۹۸۳۳۴۱۱"),
        ("نشانی: تهران، خیابان ولیعصر، کوچه نیلوفر، پلاک ۱۲، واحد ۳\n", "STREET_ADDRESS",
         "خیابان ولیعصر، کوچه نیلوفر، پلاک ۱۲، واحد ۳"),
        ("Адрес: г. Москва, ул. Профсоюзная, д. 43, корп. 2, кв. 118", "STREET_ADDRESS",
         "ул. Профсоюзная, д. 43, корп. 2, кв. 118"),
        ("ที่อยู่: 99/123 หมู่บ้านพฤกษา 12 ถนนพหลโยธิน ต.คลอง", "STREET_ADDRESS",
         "99/123 หมู่บ้านพฤกษา 12 ถนนพหลโยธิน"),  # a village's name
        ("पता: फ्लैट नं. 304, सनशाइन अपार्टमेंट, सेक्टर 62, नोएडा", "STREET_ADDRESS",
         "फ्लैट नं. 304, सनशाइन अपार्टमेंट, सेक्टर 62"),
        ("Địa chỉ: Số 18, ngõ 64 phố Nguyễn Lương Bằng, phường", "STREET_ADDRESS",
         "Số 18, ngõ 64 phố Nguyễn Lương Bằng"),
        ("العنوان البريدي: ص.ب 4471، الصفاة", "STREET_ADDRESS", "ص.ب 4471"),  # a PO box
        ("วันเดือนปีเกิด: 12 มีนาคม 2530", "DATE_OF_BIRTH", "12 มีนาคม 2530"),
        ("תאריך לידה לצורך זיהוי: 23 בנובמבר 1966.", "DATE_OF_BIRTH", "23 בנובמבר 1966"),
        ("Nilizaliwa tarehe 22 Julai 2004.", "DATE_OF_BIRTH", "22 Julai 2004"),
        ("NIM                       : 25/561432/SA/21874\n", "STUDENT_ID", "25/561432/SA/21874"),
        ("Номер залікової книжки: МВ-22-0193\n", "STUDENT_ID", "МВ-22-0193"),
        ("Protokol No: 2024/118824\n", "MEDICAL_RECORD_NUMBER", "2024/118824"),
        ("he read out a one-time code, 771 402, to someone", "SECRET", "771 402"),
        ('  pagerduty_key: "pd_int_9f3a27c1e84b45d6a0b2c7e91f5d3388"', "SECRET",
         "pd_int_9f3a27c1e84b45d6a0b2c7e91f5d3388"),
        ("my recovery phrase so u can check it: maple orbit cactus velvet dune laundry fiscal "
         "oyster ribbon ancient pulse trophy", "SECRET",
         "maple orbit cactus velvet dune laundry fiscal oyster ribbon ancient pulse trophy"),
        ("生年月日：1971年（昭和46年）2月9日\n電話", "DATE_OF_BIRTH", "1971年（昭和46年）2月9日"),
        ("የትውልድ ቀን፡ ጥቅምት 3 ቀን 2005 ዓ.ም\n", "DATE_OF_BIRTH", "ጥቅምት 3 ቀን 2005 ዓ.ም"),
        ("出生日期：民國六十八年五月二日\n", "DATE_OF_BIRTH", "民國六十八年五月二日"),
        ("Tôi sinh ngày 3 tháng 9 năm 1987, quê", "DATE_OF_BIRTH", "3 tháng 9 năm 1987"),
        ("γεννηθείς την 5η Μαρτίου 1999, φοιτητής", "DATE_OF_BIRTH", "5η Μαρτίου 1999"),
        ("nata a Torino il 02/05/1977 e residente", "DATE_OF_BIRTH", "02/05/1977"),
        ("Дата народження: 14 травня 1990 р.\n", "DATE_OF_BIRTH", "14 травня 1990"),
        ("জন্ম তারিখ: ৩ মার্চ ১৯৯১\n", "DATE_OF_BIRTH", "৩ মার্চ ১৯৯১"),
        ("地址：杭州市西湖区文三路90弄6号502室\n", "STREET_ADDRESS",
         "杭州市西湖区文三路90弄6号502室"),
        ("住址：台中市西區民生路二段45巷7弄3號5樓\n", "STREET_ADDRESS",
         "台中市西區民生路二段45巷7弄3號5樓"),
        ("住所：東京都港区南青山2丁目4番8号 グリーンハイツ 302号室\n", "STREET_ADDRESS",
         "東京都港区南青山2丁目4番8号 グリーンハイツ 302号室"),
        ("Адреса: вул. Франка, буд. 8, кв. 3, м. Київ", "STREET_ADDRESS",
         "вул. Франка, буд. 8, кв. 3"),
        ("Διεύθυνση: Οδός Πατησίων 20, 2ος όροφος, Αθήνα", "STREET_ADDRESS",
         "Οδός Πατησίων 20, 2ος όροφος"),
        ("العنوان: شارع الملك فهد، مبنى ١٢، شقة ٤، الرياض", "STREET_ADDRESS",
         "شارع الملك فهد، مبنى ١٢، شقة ٤"),
        ("முகவரி: 7, காந்தி தெரு, மதுரை", "STREET_ADDRESS", "7, காந்தி தெரு"),
        ("ঠিকানা: বাড়ি নং ৪২, রোড নং ১১, গুলশান", "STREET_ADDRESS", "বাড়ি নং ৪২, রোড নং ১১"),
        ("አድራሻ፡ ቂርቆስ፣ ወረዳ 05፣ የቤት ቁጥር 221\n", "STREET_ADDRESS", "ወረዳ 05፣ የቤት ቁጥር 221"),
        ("ที่อยู่: 17/3 หมู่ 5 ตำบลบางพูด", "STREET_ADDRESS", "17/3 หมู่ 5"),
        ("Tunaishi Nyumba Na. 14, Barabara ya Moi, Eldoret", "STREET_ADDRESS",
         "Nyumba Na. 14, Barabara ya Moi"),
        ("envíen la tarjeta a Calle Morelos 88, Col. Roma Norte, C.P. 06700", "STREET_ADDRESS",
         "Calle Morelos 88, Col. Roma Norte"),  # a Mexican neighbourhood
        ("ሙሉ ስም፡ ዮናስ ከበደ ተሰማ\nክፍል፡ 8ኛ", "PERSON", "ዮናስ ከበደ ተሰማ"),
        ("ስሜ ሳራ ግርማ ይባላል። እባካችሁ", "PERSON", "ሳራ ግርማ"),  # "my name is"
        ("আমি রফিকুল ইসলাম, আপনার ব্যাংকের গ্রাহক", "PERSON", "রফিকুল ইসলাম"),  # "I am"
        ("ধন্যবাদ।\nবিনীত,\nনাসরিন সুলতানা", "PERSON", "নাসরিন সুলতানা"),  # a sign-off
        ("چکیده پرونده\nنام و نام خانوادگی: رضا احمدی‌فر\n", "PERSON", "رضا احمدی‌فر"),
        ("اینجانب حسین موسوی هستم و", "PERSON", "حسین موسوی"),
        ("मैं अमित कुमार वर्मा बोल रहा हूँ", "PERSON", "अमित कुमार वर्मा"),
        ("मेरी पत्नी प्रिया वर्मा को बुखार है", "PERSON", "प्रिया वर्मा"),  # a postposition after
        ("சிகிச்சை: டாக்டர் கார்த்திக் ராஜா", "PERSON", "கார்த்திக் ராஜா"),
        ("轉診醫師：林志豪 醫師（家醫科）", "PERSON", "林志豪"),  # the title after is dropped
        ("고객명: 박서연 (朴序延)\n", "PERSON", "朴序延"),  # a name's hanja after it
        ("ふりがな：すずき ゆい\n", "PERSON", "すずき ゆい"),
        ("βεβαιώνεται ότι ο φοιτητής ΝΙΚΟΛΑΟΥ ΔΗΜΗΤΡΙΟΣ είναι", "PERSON", "ΝΙΚΟΛΑΟΥ ΔΗΜΗΤΡΙΟΣ"),
        ("Achternaam: van der Meer\n", "PERSON", "van der Meer"),  # opens with its particle
        ("Ouder/verzorger 2: Joost de Vries\n", "PERSON", "Joost de Vries"),
        ("Nama lengkap   : Siti Rahmawati binti Ahmad\nNISN  : 0091", "PERSON",
         "Siti Rahmawati binti Ahmad"),  # the name ends with its line
        ("Mọi thắc mắc liên hệ thầy Lê Văn Tâm – Phòng Đào tạo", "PERSON", "Lê Văn Tâm"),
        ("Bom dia, aqui é o Rafael Moreira Lima.", "PERSON", "Rafael Moreira Lima"),
        ("Applicant name ........ Grace Mills\nDate of birth", "PERSON", "Grace Mills"),
        ("Servicing Dept\nJune 3, 2024\n\nFaith Hill\n41 Larch Lane\nDayton", "PERSON",
         "Faith Hill"),  # the addressee above a street line
        ("[09:12] ines.m: can someone cover\n[09:13] ines.m: thanks", "PERSON", "ines.m"),
        ('{"ts":"2024-05-30T14:22:10Z","actor":"d.kowalczyk","role":"teller"}', "PERSON",
         "d.kowalczyk"),
        ("Access granted for tomasz.kowalczyk to the portal", "PERSON", "tomasz.kowalczyk"),
        ("his account number is four two seven one dash nine nine zero three, ok", "ID_NUMBER",
         "four two seven one dash nine nine zero three"),
        ("Mobile: 07700 900123\n\nDear Dr Ashworth,\n", "PERSON", "Ashworth"),
        ("4518 N. Kedzie\nAve, Unit 2F", "STREET_ADDRESS", "4518 N. Kedzie\nAve, Unit 2F"),
        ("BIRTH-DT........: 19720311\n", "DATE_OF_BIRTH", "19720311"),  # a record's field
        ("TAX-ID..........: 292157543\n", "US_SSN", "292157543"),
        ("ADDR-2..........: APT 3F\nCITY", "STREET_ADDRESS", "APT 3F"),
        ("Home Address: Plot 9, Block D, Lekki Phase 2, Lagos State", "STREET_ADDRESS",
         "Plot 9, Block D, Lekki Phase 2"),
        ("address Blk 3 Lot 8 Phase 1, Brgy. San Roque, Marikina", "STREET_ADDRESS",
         "Blk 3 Lot 8 Phase 1, Brgy. San Roque"),
        ("Mesa AZ 85207 – lockbox 2-8-4-1, dog is friendly", "SECRET", "2-8-4-1"),
        ("use the side entrance, gate code #7104, then", "SECRET", "7104"),
        ("Διεύθυνση κατοικίας: Σόλωνος 12, 1ος όροφος, 106 80", "STREET_ADDRESS",
         "Σόλωνος 12, 1ος όροφος"),
        ("address_line2........: Apt 4D\n", "STREET_ADDRESS", "Apt 4D"),
        ("氏名　　　　：田中　一郎\n", "PERSON", "田中　一郎"),  # aligned with ideographic spaces
        ("姓　　名：李文静　　　拼音：LI WENJING", "PERSON", "李文静"),
        ("<Cdtr><Nm>Samira El Idrissi</Nm><PstlAdr>", "PERSON", "Samira El Idrissi"),
        ("[03/05/24 09:13] Chuy 🌵: ya llegué\n[03/05/24 09:15] Chuy 🌵: abre", "PERSON", "Chuy"),
        ("agent (Dee): Hi! I can do that\nmember: ok", "PERSON", "Dee"),
        ("DE45=B4111111111111111^NAKAMURA/KEN^2805101", "PERSON", "NAKAMURA/KEN"),  # a track
        ("to reset the password for NetID kmensah2.\n", "PERSON", "kmensah2"),
        ("for patient Ada Whitlock, spelled W-H-I-T-L-O-C-K, born", "PERSON", "W-H-I-T-L-O-C-K"),
        ("CALLER: it's Tom Reyes. R-E-Y-E-S.\nNURSE", "PERSON", "R-E-Y-E-S"),  # after the name
        ("Hi Ngozi, reminder: appt w/ Dr", "PERSON", "Ngozi"),  # greeted: not the town
        ("student_id,last,first,preferred\nA0041,Hunter,William,Will\n", "PERSON", "Will"),
        ("usprawiedliwienie nieobecności córki Zuzanny Wiśniewskiej (kl. 5c)", "PERSON",
         "Zuzanny Wiśniewskiej"),
        ("3年2組 佐藤 陽翔（さとう はると）さんの保護者", "PERSON", "佐藤 陽翔"),
        ("umowa kredytu nr 12/2024/KH/55813\nInformujemy", "ID_NUMBER", "12/2024/KH/55813"),
        ("по кредитному договору № КД-5512/2024 просрочен", "ID_NUMBER", "КД-5512/2024"),
        ("被保険者証記号番号 4410・2238817\n", "ID_NUMBER", "4410・2238817"),  # a Japanese dot
        ("근데 110204-01-554821로 보낸 것 같아", "ID_NUMBER", "110204-01-554821"),  # a particle
        ("No. RM          : 04-81-22\nAlamat", "PHONE_NUMBER", "04-81-22"),  # no date: day 81
        ("GET /apply?applicant=min-ji.park%40example.com&dob=", "EMAIL_ADDRESS",
         "min-ji.park%40example.com"),  # escaped in a URL
        ("My direct line is 555-0142 ext. 2210.", "PHONE_NUMBER", "555-0142 ext. 2210"),
        ("Telefon: mobil 0160 55501234\nE-Mail", "PHONE_NUMBER", "0160 55501234"),
        ("the login code they sent me was 802 114 but", "SECRET", "802 114"),
        ("account_locked user=k.oyelaran ip=203.0.113.5", "PERSON", "k.oyelaran"),
        ("Appointment reminder SMS: Hi Bill, this is the clinic", "PERSON", "Bill"),  # a word
        ("[09:03] support: Thanks Grant. Try this link", "PERSON", "Grant"),
        ("Priya: hi\nNeha: ok\nPriya: sent the form\n", "PERSON", "Priya"),  # two lines each
        ("[14/10/25, 19:42] Gemma (Y3 class rep): Hi all\n", "PERSON", "Gemma"),
        ("Given name(s): KENJI\nName in native script", "PERSON", "KENJI"),
        ("427-DR Last name = MOKOENA   DEA", "PERSON", "MOKOENA"),
        ("Store them somewhere safe.\n\n  1. k2va-9p1x\n  2. m7qe-r4tz\n", "SECRET", "m7qe-r4tz"),
        ("backup codes:\n  5hd2-ww81   q0zk-3nb7\nIf you", "SECRET", "q0zk-3nb7"),  # a row
        ("results at the portal (PIN 5817 sent by SMS)", "SECRET", "5817"),
        ('{"action":"RESET_PIN","new_pin":"6604"}', "SECRET", "6604"),
        ("Access: gate keypad 2290#, key in lockbox", "SECRET", "2290"),
        ("for the estate — priv key:\n4c1d9e0f3b2a88d7c6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1\n", "SECRET",
         "4c1d9e0f3b2a88d7c6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1"),
        ("restoring the wallet with my phrase: amber river fossil canyon tiger lemon orbit "
         "velvet pilot frozen hollow ember", "SECRET", "amber river fossil canyon tiger lemon "
         "orbit velvet pilot frozen hollow ember"),
        ("Address: H.No. 8-3-214, Srinivasa Nagar, Hyderabad", "STREET_ADDRESS",
         "H.No. 8-3-214, Srinivasa Nagar"),
        ("Địa chỉ: Ngõ 12 Phố Huế, Hai Bà Trưng, Hà Nội", "STREET_ADDRESS", "Ngõ 12 Phố Huế"),
    ],
)  # fmt: skip
def test_context_rules(pii_detector, text: str, kind: str, value: str) -> None:
    found = detected(pii_detector, text)
    assert any(k == kind and value in v for k, v in found), found


@pytest.mark.parametrize(
    "text",
    [
        "the password is on the sticky note",
        "query ok PatientID=RAD0091827 StudyID=CT2024",  # a key and its id: no token
    ],
)
def test_no_secret_in_plain_words_and_ids(pii_detector, text: str) -> None:
    assert [v for kind, v in detected(pii_detector, text) if kind == "SECRET"] == []


def test_amounts_are_no_ids(pii_detector) -> None:
    found = detected(pii_detector, "total 12345,67 EUR and 1,234,567 units at 98765.4321")
    assert [v for kind, v in found if kind == "ID_NUMBER"] == []


def test_a_word_in_capitals_after_bank_is_no_swift_code(pii_detector) -> None:
    text = "My bank says CHECKING ACCOUNT CLOSED"
    assert [v for kind, v in detected(pii_detector, text) if kind == "SWIFT_CODE"] == []


@pytest.mark.parametrize("text", ["数学老师很好", "谢谢老师！"])
def test_no_chinese_name_before_a_role_without_a_surname(pii_detector, text: str) -> None:
    assert [v for kind, v in detected(pii_detector, text) if kind == "PERSON"] == []


@pytest.mark.parametrize(
    ("text", "given"),
    [
        ("我是三班王小明的家长。小明这周三下午要去医院复查", "小明"),
        ("3학년 2반 김민준 엄마입니다. 민준이가 내일 치과에 가요", "민준"),
    ],
)
def test_chinese_and_korean_given_names_found_again_inside_words(
    pii_detector, text: str, given: str
) -> None:
    start = text.rindex(given)
    found = [(e.start, e.end) for e in pii_detector.analyze(text) if e.type == "PERSON"]
    assert (start, start + len(given)) in found


@pytest.mark.parametrize("text", ["안녕하세요 선생님, 숙제 질문이 있어요", "고객님 감사합니다"])
def test_korean_words_before_an_honorific_are_no_names(pii_detector, text: str) -> None:
    assert [v for kind, v in detected(pii_detector, text) if kind == "PERSON"] == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Borrowers: Rose Hill and Daniel Hill\nProperty: 219 Juniper Way", "Rose Hill"),
        ("Custodian: Grace Young\nMinor: Oliver Young, born 2014", "Grace Young"),
        ("Row 2: Faith Hope, Will Baker, Summer Knight\nRow 3: empty", "Faith Hope"),
    ],
)
def test_word_names_made_names_by_relatives_and_lists(pii_detector, text: str, name: str) -> None:
    assert ("PERSON", name) in detected(pii_detector, text)


def test_an_identifier_after_name_is_no_person(pii_detector) -> None:
    text = "features:\n  - name: utilization_ratio\n    bins: [0.0, 0.1]"
    assert detected(pii_detector, text) == []


def test_a_listed_pair_with_an_organisation_word_stays_words(pii_detector) -> None:
    text = "Awards: Grant Park, Hope Fund, Rose Medal"
    assert ("PERSON", "Hope Fund") not in detected(pii_detector, text)


def test_a_table_aligned_with_spaces_is_read_by_column() -> None:
    text = (
        "#  Name                 DOB         Grade  Physical on file\n"
        "1  Siobhan Gallagher    2008-02-14  11     Y\n"
        "10 Leilani Kahananui    2008-09-21  11     N (expires 8/15)\n"
        "Coach: Pete Vandermolen"
    )
    assert found_by(TableRecognizer(), text) == [
        ("DATE_OF_BIRTH", "2008-02-14"),
        ("DATE_OF_BIRTH", "2008-09-21"),
        ("PERSON", "Leilani Kahananui"),
        ("PERSON", "Siobhan Gallagher"),
    ]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("[18:42] מיכל לוי: ערב טוב\n[19:05] רונית כהן: בטח\n[19:06] מיכל לוי: תודה\n"
         "[19:07] רונית כהן: בשמחה", {"מיכל לוי", "רונית כהן"}),  # two-word speakers
        ("[18:42] מיכל לוי: ערב טוב\n[18:43] מיכל לוי: תודה\n[19:05] רונית כהן (מחנכת): בטח",
         {"מיכל לוי", "רונית כהן"}),  # after a time, a speaker who writes once
        ("Оператор (Анна): Добрый день!\nКлиент: здравствуйте\nОператор (Анна): Спасибо.\n"
         "Клиент: да", {"Анна"}),  # a known given name in brackets after a role
        ("田中医師：こんにちは\n小林 さくら：喉が痛いです\n田中医師：つらいですね\n"
         "小林 さくら：はい", {"田中", "小林 さくら"}),  # surnames, a title dropped
    ],
)  # fmt: skip
def test_chat_speakers_in_other_scripts(pii_detector, text: str, names: set[str]) -> None:
    assert {v for kind, v in detected(pii_detector, text) if kind == "PERSON"} == names


@pytest.mark.parametrize(
    "text",
    [
        "Citizenship: U.S. Citizen\n",  # an abbreviation, not initials
        "STUDENT ENR0LLMENT F0RM (page 1 of 3)",  # scanned English words
        "SHULE YA SEKONDARI MWEMBENI — BARUA KWA MZAZI\n",  # a heading in capitals
    ],
)
def test_no_name_from_abbreviations_or_scanned_words(pii_detector, text) -> None:
    assert [v for kind, v in detected(pii_detector, text) if kind == "PERSON"] == []


def test_another_things_id_is_no_student_id(pii_detector) -> None:
    text = 'LTI_CLIENT_ID = "10000000000417"\n{"device_id":"HX-BP-00931"}'
    assert "STUDENT_ID" not in [kind for kind, _ in detected(pii_detector, text)]


def test_user_names_that_are_no_names(pii_detector) -> None:
    text = "user=admin user=postgres login: svc_backup user=root; see the user interface"
    assert [v for kind, v in detected(pii_detector, text) if kind == "PERSON"] == []


@pytest.mark.parametrize(
    "text",
    [
        "years 2019 2020 2021 2022 and 2023",  # a list of years, no id
        "total 1 234 567,89 EUR",  # an amount with spaces between its thousands
    ],
)
def test_digits_in_groups_that_are_no_code(pii_detector, text: str) -> None:
    assert [kind for kind, _ in detected(pii_detector, text)] in ([], ["DATE"])


def test_a_given_name_opening_a_line_of_another_language_is_no_name(pii_detector) -> None:
    text = (
        "Chào chị, em gửi lại thông tin mở tài khoản.\nNgân hàng xin thông báo khoản vay "
        "của chị sẽ đến hạn."
    )
    assert [v for kind, v in detected(pii_detector, text) if kind == "PERSON"] == []


def test_a_form_label_that_repeats_is_no_speaker(pii_detector) -> None:
    text = "Телефон: 8 800 555 01 01\nПримечание: нет\nТелефон: 8 800 555 01 02\nПримечание: да"
    assert [v for kind, v in detected(pii_detector, text) if kind == "PERSON"] == []


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Die Abgeltungsteuer beträgt 25 % zzgl. Solidaritätszuschlag. Der Beitrag für die "
         "Verfasste Studierendenschaft wird mit dem Semesterbeitrag bezahlt.",
         "Verfasste Studierendenschaft"),
        ("Endüstri Mühendisliği bölümünde 3. sınıf öğrencisi, danışmanı ile görüştü.",
         "Endüstri Mühendisliği"),
    ],
)  # fmt: skip
def test_unknown_words_of_another_language_are_no_names(pii_detector, text, words) -> None:
    assert words not in [v for kind, v in detected(pii_detector, text) if kind == "PERSON"]


@pytest.mark.parametrize(
    "text",
    [
        "we met at home dot com",  # no address read out: no dot in its first part
        "  developer_key_owner: r.adeyemi@example.edu",  # a key's owner, not a key
        "2024-09-30T13:05:09Z,svc-batch,ROTATE_KEY,kms/ledger-prod",  # an event's name
    ],
)
def test_no_email_or_secret_from_ordinary_words(pii_detector, text: str) -> None:
    kinds = [kind for kind, _ in detected(pii_detector, text)]
    assert "EMAIL_ADDRESS" not in kinds or "@" in text
    assert "SECRET" not in kinds


@pytest.mark.parametrize(
    "text",
    [
        "Accounts Payable\n100 Main Street\nBoston",  # a department above a street line
        "Billing Department\n12 Elm Street\nDayton",  # a department above a street line
        "cô giáo chủ nhiệm cho biết lớp học",  # "the class teacher told"
        "বিনীত নিবেদন এই যে, আমি",  # "humbly request that": no sign-off
        "मैं प्रमाणित करती हूँ कि",  # "I certify that"
        "ΠΑΡΑΠΕΜΠΤΙΚΟ ΕΞΕΤΑΣΕΩΝ\nΗμερομηνία: 12/03/2024",  # a heading in Greek capitals
        "see report.final and config.yaml for details",
        "[09:00] Agent: hello\n[09:01] Customer: hi\n[09:02] Agent: ok\n[09:03] Customer: bye",
        "<TwnNm>Madrid</TwnNm><Nm>[REDACTED]</Nm><Nm>Banco Santander SA</Nm>",
        "login failed user=a.admin, retry as user=m.backup",
        "Hi Team, the build is green. Thanks Again, see you",
        "Cliente: hola\nOperatore: si\nCliente: ok\nOperatore: no\nRN: fever?\nRN: ok",
        "Note: one\nNote: two\nQ: why\nQ: how",
        "annual review, 14 Mar, statements Jan–Mar",  # months beside numbers
        "need a refill on my lisinopril, ran out yesterday and lost the numbers",  # inflected
        "it's A B C, easy as that",
        "保護者各位\n3年2組の皆様へ",  # "dear parents"
    ],
)
def test_no_person_from_these_look_alikes(pii_detector, text: str) -> None:
    assert [v for kind, v in detected(pii_detector, text) if kind == "PERSON"] == []


@pytest.mark.parametrize(
    "text",
    [
        "Place of birth: Lagos, Nigeria\n",  # a place, not a date
        "Country of birth: Nigeria    DOB: 1998-10-05",
    ],
)
def test_a_birth_field_holding_no_date_is_no_date_of_birth(pii_detector, text: str) -> None:
    values = [v for kind, v in detected(pii_detector, text) if kind == "DATE_OF_BIRTH"]
    assert all(any(c.isdigit() for c in v) and "Nigeria" not in v for v in values)


def test_a_clinician_after_a_valid_npi_in_any_segment() -> None:
    text = "RXA|0|1|20240115|20240115|62^HPV^CVX|0.5|||||||1679576722^ABARA^NNEKA^^^^^^NPI|||CP"
    assert ("PERSON", "ABARA^NNEKA") in found_by(Hl7Recognizer(), text)
    assert not [kind for kind, _ in found_by(Hl7Recognizer(), "RXA|0|1|1234567890^HPV^CVX")]


@pytest.mark.parametrize("text", ["seen 2023/2024 and 2024/05/12", "see api/v2/accounts, 1/2 cup"])
def test_years_dates_and_paths_are_no_slashed_codes(pii_detector, text: str) -> None:
    assert "ID_NUMBER" not in [kind for kind, _ in detected(pii_detector, text)]


def test_a_city_written_in_its_own_words_is_no_person(pii_detector) -> None:
    text = "Địa chỉ: 27 Lý Thường Kiệt, Hoàn Kiếm, Hà Nội 100000"
    assert "Hà Nội" not in [v for kind, v in detected(pii_detector, text) if kind == "PERSON"]
