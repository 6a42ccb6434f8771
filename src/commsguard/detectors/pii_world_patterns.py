"""Patterns for personal information written the way the rest of the world writes it.

The Australian patterns are in :mod:`.pii_patterns`; these add IBANs, US Social Security and UK
National Insurance numbers, IP addresses, the phone-context words that let a bare national
number of another country count, and street addresses whose number follows the street name
(Hauptstraße 12, Calle Mayor 14), whose street type is French and comes first (14 rue des
Lilas), or whose locality is a US ZIP, a UK postcode or a European postcode and city.

As in :mod:`.pii_patterns`, every piece is bounded and look-behind windows are fixed, so the
work stays linear in the length of the text.
"""

from __future__ import annotations

import re

from commsguard.detectors.pii_patterns import LB, RB

# -- letters --------------------------------------------------------------------------------
#: Upper-case letters of Latin-1 and Latin Extended-A/B (É, Ø, Š, Ł …): street and city names
#: of Europe start with them.
UPPER = "A-Z" + "".join(c for c in map(chr, range(0xC0, 0x250)) if c.isupper())
#: Any letter (Python's \w without digits and the underscore).
LETTER = r"[^\W\d_]"
#: A capitalised name word: "Roma", "Champs-Élysées", "O'Connell", "Saint-Michel".
NAME = rf"[{UPPER}]{LETTER}*(?:['’-][{UPPER}]?{LETTER}+)*"

# -- numbers --------------------------------------------------------------------------------
IBAN_START = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?=[ ]?[A-Z0-9])")
IBAN_WORD = re.compile(r"(?i:\b(?:iban|bic|swift|konto|compte|cuenta|conto|rekening)\b)")

#: 123-45-6789 or 123 45 6789: the US Social Security number's 3-2-4 shape.
SSN = re.compile(rf"{LB}\d{{3}}([ -])\d{{2}}\1\d{{4}}{RB}")
SSN_PLAIN = re.compile(rf"{LB}\d{{9}}{RB}")
SSN_WORD = re.compile(r"(?i:\b(?:ssn|ss#|soc\.? sec\.?|social security|my social)\b)")

#: AB 12 34 56 C, AB123456C; the suffix letter may be left off with a word nearby.
NINO = re.compile(
    r"(?<![\w£$€])(?P<prefix>[A-Za-z]{2}) ?(?P<digits>\d{2} ?\d{2} ?\d{2})"
    r"(?: ?(?P<suffix>[A-Da-d]))?(?![\w£$€])(?![.,]\d)"
)
NINO_WORD = re.compile(r"(?i:\b(?:national insurance|ni (?:number|no)|nino|nin)\b)")

IPV4 = re.compile(
    r"(?<![\w.:-])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
    r"(?![\w-])(?!\.\d)"
)
IPV6 = re.compile(r"(?<![\w:.])(?=[0-9A-Fa-f:]*:[0-9A-Fa-f]*:)[0-9A-Fa-f:]{2,39}(?![\w:])")
#: Words that make a dotted quad a version, section or object identifier, not an address.
NOT_AN_IP = re.compile(
    r"(?i:\b(?:version|ver|v|release|rel|build|firmware|fw|update|patch|kernel|driver|app"
    r"|section|sec|clause|chapter|para|paragraph|rule|item|oid|snmp|figure|fig|table|step"
    r"|rev|revision|sdk|api|python|java|node|chrome|ios|android|windows|macos|edition)\b)"
    r"\W{0,3}\Z"
)

# -- phone context ----------------------------------------------------------------------------
#: Words that say the number next to them is a phone number, in the languages the pack meets.
#: A bare national number of another country counts only with one of these nearby.
PHONE_WORD = re.compile(
    r"(?i:\b(?:call(?:ing|ed)?|phone|phoned|mobile|mob|cell(?:phone)?|tel|tél|tele(?:phone)?"
    r"|ph|whats ?app|text me|txt me|text|sms|ring|landline|my number|number is|contact"
    r"|reach me|handy|handynummer|telefon|telefonnummer|ruf|anrufen|portable|téléphone"
    r"|appel(?:le[rz]?)?|móvil|movil|teléfono|telefono|cellulare|celular|chiama(?:mi)?"
    r"|ll[aá]ma(?:me)?|ligue"
    r"|telefoon|mobiel|bel|puhelin|puh|tlf|mobil)\b)"
)
#: A phone word counts only in the number's own sentence.
SENTENCE_END = re.compile(r"[.!?]\s+(?=[^\W\d_])|\n")
PHONE_WORD_BEFORE = 48
PHONE_WORD_AFTER = 24

# -- street addresses -----------------------------------------------------------------------
#: Street names made of one word that ends in its type: Hauptstraße, Bahnhofstr., Kungsgatan,
#: Keizersgracht, Mannerheimintie, Nørrevej.
_COMPOUND_TYPES = (
    r"straße|strasse|str\.|weg|gasse|platz|allee|damm|ufer|chaussee|steig|pfad|straat|laan"
    r"|plein|gracht|kade|singel|dijk|gatan|gata|vägen|vegen|veien|vei|vejen|vej|gade|torget|torg"
    r"|plads|stræde|tie|katu|kuja|polku|tori|utca"
)
COMPOUND_STREET = rf"[{UPPER}]{LETTER}{{2,30}}?(?:{_COMPOUND_TYPES})"
#: Separate type words after the name: Berliner Straße, Andrássy út, İstiklal Caddesi.
_AFTER_TYPES = (
    r"Straße|Strasse|Str\.|Weg|Gasse|Platz|Allee|Ring|Damm|Ufer|Chaussee|Markt|Laan|Straat"
    r"|utca|út|tér|körút|Caddesi|Cad\.|Sokak|Sok\.|Bulvarı|náměstí|třída|ulice|iela|gatvė"
)
#: Type words before the name: Calle Mayor 14, Via Roma 3, Rue de la Loi 16, ul. Długa 5.
_BEFORE_TYPES = (
    r"Calle|C/|Avenida|Avda\.|Av\.|Paseo|Plaza|Camino|Carretera|Ctra\.|Ronda|Travesía|Glorieta"
    r"|Via|Viale|Piazza|Piazzale|Corso|Largo|Vicolo|Lungomare|Borgo|Contrada|Rua|Travessa"
    r"|Praça|Alameda|Estrada|Carrer|Passeig|Plaça|Avinguda|Rambla|ul\.|ulica|al\.|aleja|pl\."
    r"|Strada|Bulevardul|Calea|Rue|Avenue|Boulevard|Chaussée|Quai|Place"
)
#: Small words inside street names: de, della, dos, van, von, of …
PARTICLE = (
    r"(?:de|del|della|delle|dei|degli|di|da|do|dos|das|du|des|la|le|las|los|les|y|e|i|en"
    r"|van|von|der|den|het|am|an|zum|zur|auf|im|sur|aux?|of)"
)
_ELIDED = r"(?:[dlDL]['’])?"
_NAME_RUN = (
    rf"{_ELIDED}{NAME}(?:\s{{1,2}}(?:{PARTICLE}\s{{1,2}})*{_ELIDED}{NAME}){{0,3}}"
)
#: A street whose house number comes after it; the pattern ends at the number (``\Z``), so it
#: is searched in a short window just before each number.
NAME_FIRST = re.compile(
    r"(?<![\w-])(?:"
    rf"(?P<compound>{COMPOUND_STREET})"
    rf"|(?P<after>(?:{NAME}\s{{1,2}}){{1,2}}(?:{_AFTER_TYPES}))"
    # Norwegian, Swedish and Danish genitive names: Karl Johans gate, Thorvald Meyers gate.
    rf"|(?P<genitive>(?:{NAME}\s{{1,2}}){{0,2}}{NAME}s\s{{1,2}}(?:gate|gata|gatan|vei|veien|vej|väg|vägen))"
    rf"|(?P<before>(?:{_BEFORE_TYPES})\s{{1,2}}(?:{PARTICLE}\s{{1,2}}){{0,2}}{_NAME_RUN})"
    r"),?\s{1,2}(?:(?i:n[º°o]\.?|nr\.?|no\.?)\s?)?\Z"
)
NAME_FIRST_WINDOW = 72
#: The house number after a name-first street: 12, 5a, 12-14, 7/2, 14 bis.
HOUSE_NUMBER_AFTER = re.compile(
    r"\d{1,4}(?:\s?[A-Za-z](?![\w']))?(?:\s?(?:bis|ter)\b)?(?:\s?[-/]\s?\d{1,4}[A-Za-z]?)?"
    r"(?![\w%€$£])(?![.,:]\d)"
)
#: French and Belgian numbers before a lower-case type: 14 rue des Lilas, 3, place de la Gare.
_FRENCH_TYPES = (
    r"rue|avenue|av\.|boulevard|bd|bld|place|impasse|imp\.|chemin|allée|allee|quai|cours"
    r"|route|rte|square|passage|faubourg|fbg|voie|sentier|esplanade|promenade|rond-point"
    r"|montée|ruelle|cité|chaussée|parvis|lotissement"
)
FRENCH_STREET = re.compile(
    r"(?<![\w$/.-])\d{1,4}(?:\s?(?:bis|ter|[A-Za-z])\b)?,?\s{1,2}"
    rf"(?i:{_FRENCH_TYPES})\s{{1,2}}(?:(?:{PARTICLE}|de la|de l['’])\s{{1,2}})*{_ELIDED}{NAME}"
    rf"(?:[\s-]{{1,2}}(?:{PARTICLE}\s{{1,2}})*{_ELIDED}{NAME}){{0,3}}"
)
#: Every street-type word of the forms here, lower-cased literals: a text without one holds no
#: name-first or French street, so its digit runs skip those searches (pii_world, speed).
STREET_TYPE_WORDS = tuple(sorted({
    w.replace("\\", "").lower()
    for group in (_COMPOUND_TYPES, _AFTER_TYPES, _BEFORE_TYPES, _FRENCH_TYPES)
    for w in group.split("|")
} | {"gate", "gata", "gatan", "vei", "veien", "vej", "väg", "vägen"}))
US_STATES = (
    r"AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV"
    r"|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|PR"
)
US_STATE_NAMES = (
    r"Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia"
    r"|Hawaii|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland"
    r"|Massachusetts|Michigan|Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada"
    r"|New Hampshire|New Jersey|New Mexico|New York|North Carolina|North Dakota|Ohio|Oklahoma"
    r"|Oregon|Pennsylvania|Rhode Island|South Carolina|South Dakota|Tennessee|Texas|Utah"
    r"|Vermont|Virginia|Washington|West Virginia|Wisconsin|Wyoming"
)
UK_POSTCODE = r"[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}"
CA_POSTCODE = r"[A-Z]\d[A-Z]\s?\d[A-Z]\d"
#: European postcodes before a city: 10115 Berlin, 1012 AB Amsterdam, 111 57 Stockholm,
#: 00-950 Warszawa, 1250-096 Lisboa, D-80331 München.
EU_POSTCODE = (
    r"(?:[A-Z]{1,2}-)?(?:\d{5}|\d{4}(?:\s?[A-Z]{2}(?![\w]))?|\d{3}\s\d{2}|\d{2}-\d{3}|\d{4}-\d{3})"
)
CITY = rf"{NAME}(?:[\s-]{{1,2}}(?:{PARTICLE}[\s-]{{1,2}})?{NAME}){{0,2}}"
_UNIT = r"(?:(?i:suite|ste\.?|apt\.?|apartment|unit|floor|fl\.?|flat|#)\s?#?[\w-]{1,6},?\s{1,3})"
#: What may follow a street to place it: a US city, state and ZIP; a UK or Canadian postcode;
#: a European postcode and city; or (US) a city and a state written out.
LOCALITY = re.compile(
    rf"(?:,?\s{{1,3}}{_UNIT})?(?:"
    rf"(?:,?\s{{1,3}}{CITY})?,?\s{{1,3}}(?:(?P<us>(?:{US_STATES})\.?,?\s{{1,3}}\d{{5}}(?:-\d{{4}})?)"
    rf"|(?P<uk>{UK_POSTCODE}|{CA_POSTCODE}))(?![\w-])"
    rf"|,?\s{{1,3}}(?P<eu>{EU_POSTCODE})\s{{1,3}}{CITY}"
    rf"|,\s{{1,3}}{CITY},\s{{1,3}}(?P<state>{US_STATE_NAMES})\b"
    r")"
)
#: After a street type: a US direction (Pennsylvania Avenue NW).
DIRECTION = re.compile(r"\s(?:NE|NW|SE|SW|N|S|E|W)\b(?!['’-])")
