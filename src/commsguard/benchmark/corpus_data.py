"""Word lists and sentence templates for the benchmark corpus.

Templates hold ``{x}`` where the planted value (or decoy) goes; other fields (``{first}``,
``{suburb}`` …) are filled from the lists here. Written by hand to read like real posts, chats,
texts and emails from staff of a Victorian public body: not derived from any detector's patterns.
"""

from __future__ import annotations

FIRST = (
    "Sarah", "James", "Priya", "Tom", "Mei", "Liam", "Aisha", "Jack", "Olivia", "Noah", "Zara",
    "Ethan", "Chloe", "Mohammed", "Grace", "Lachlan", "Ngoc", "Harper", "Raj", "Isla", "Dimitri",
    "Fatima", "Oscar", "Ruby", "Kwame", "Matilda", "Hamish", "Leila", "Bronwyn", "Cooper",
)
LAST = (
    "Nguyen", "Smith", "Papadopoulos", "Williams", "Singh", "Brown", "Chen", "Kelly", "Wilson",
    "Ali", "Taylor", "O'Brien", "Rossi", "Martin", "Tran", "Anderson", "Kaur", "Walker", "Murphy",
    "Lee", "Thompson", "Costa", "White", "Harris", "Patel", "Clarke", "Young", "Mitchell",
)
#: (suburb, state, postcode)
SUBURBS = (
    ("Richmond", "VIC", "3121"), ("Footscray", "VIC", "3011"), ("Brunswick", "VIC", "3056"),
    ("Box Hill", "VIC", "3128"), ("Geelong West", "VIC", "3218"), ("Ballarat Central", "VIC",
    "3350"), ("Dandenong", "VIC", "3175"), ("Coburg", "VIC", "3058"), ("Werribee", "VIC", "3030"),
    ("Bendigo", "VIC", "3550"), ("Frankston", "VIC", "3199"), ("St Kilda", "VIC", "3182"),
    ("Parramatta", "NSW", "2150"), ("Newtown", "NSW", "2042"), ("Fortitude Valley", "QLD",
    "4006"), ("Glenelg", "SA", "5045"), ("Fremantle", "WA", "6160"), ("Sandy Bay", "TAS", "7005"),
)
STREETS = (
    "Smith", "Wattle", "High", "Church", "Station", "Victoria", "Albert", "Banksia", "Lygon",
    "Sydney", "Glenferrie", "Waratah", "Bridge", "Queens", "Elgin", "Kooyong", "Acacia", "Hope",
)
STREET_TYPES = (
    ("Street", "St"), ("Road", "Rd"), ("Avenue", "Ave"), ("Court", "Ct"), ("Parade", "Pde"),
    ("Crescent", "Cres"), ("Drive", "Dr"), ("Place", "Pl"), ("Grove", "Gr"), ("Lane", "Ln"),
)
EMAIL_DOMAINS = (
    "gmail.com", "outlook.com", "hotmail.com", "bigpond.com", "yahoo.com.au", "icloud.com",
    "optusnet.com.au", "internode.on.net", "live.com.au", "proton.me",
)
CHANNELS: dict[str, tuple[int, int]] = {  # channel -> (min, max) length in characters
    "sms": (40, 160),
    "twitter": (40, 280),
    "teams": (40, 320),
    "slack": (40, 320),
    "instagram": (40, 400),
    "facebook": (60, 600),
    "linkedin": (80, 600),
    "email": (100, 600),
}
CHANNEL_WEIGHTS = (14, 18, 16, 8, 6, 16, 8, 14)

PROFILES = (
    "", "", "", "",
    "Dog dad. Coffee snob. Views my own.",
    "Investigator at the Victorian Ombudsman. Opinions mine.",
    "Public servant, Melbourne. Runner, reader, bad golfer.",
    "Mum of 3 | netball coach | Geelong",
    "Complaints officer @ VO. Tweets are my own.",
    "Policy nerd. Carlton tragic.",
)

FILLER = (
    "Running about ten minutes late, the Frankston line is a mess again.",
    "Who's keen for coffee at 3?",
    "Great turnout at the netball this morning, so proud of the under 11s!",
    "Does anyone know if the printer on level 4 is fixed yet?",
    "Can't believe how cold it was this morning, proper Melbourne winter.",
    "Thanks everyone for the lovely farewell card, I'll miss you all.",
    "Just finished the quarterly training module, took way longer than it said.",
    "Reminder that the kitchen fridge gets cleaned out on Friday.",
    "Footy tipping comp is open, entries close Thursday night.",
    "Loved the new ramen place on Lygon St, highly recommend the tonkotsu.",
    "Kids are finally asleep so it's wine o'clock.",
    "Has anyone got a spare HDMI cable I can borrow for the meeting?",
    "Weekend plans: garden, footy, nap. In that order.",
    "Happy birthday to the best sister in the world, love you heaps!",
    "The new rostering system is actually not bad once you get used to it.",
    "Heading to Bright for the long weekend, any recommendations?",
    "Please remember to lock your screen when you step away.",
    "Morning tea in the boardroom at 10:30, bring a plate if you can.",
    "Traffic on the Monash is a car park, avoid if you can.",
    "Anyone else's laptop doing a massive update right now?",
    "So good to catch up with the old crew last night.",
    "My sourdough starter has officially given up on me.",
    "Massive congrats to Priya on the new role!",
    "Parking at the hospital is daylight robbery.",
    "The dog ate my headphones. Again.",
    "Does the team want to do the Run for the Kids this year?",
    "Our street party is on again this Saturday, everyone welcome.",
    "Sorry I missed your call, I was in back-to-back meetings.",
    "Let me know if that works for you, happy to move things around.",
    "Looking forward to the conference in Sydney next month.",
    "I'll send through the updated spreadsheet after lunch.",
    "Can we push the catch-up to Wednesday? Something came up.",
    "Selling my old bike, barely used, message me if interested.",
    "Lost a black umbrella near Flinders St station, long shot but any leads?",
    "First swim of the season at Brighton, absolutely freezing.",
    "New laptop day! Now to spend three hours setting it up.",
    "Shout out to the IT team for sorting my login so quickly.",
    "Going to the Bulldogs game on Sunday if anyone wants to come.",
    "Enrolment closes soon, make sure your details are up to date before polling day.",
    "Council finally fixed the potholes on our street, only took two years.",
    "Watched the Premier's press conference, long day for everyone in the briefing room.",
    "Inclusion training this afternoon was genuinely useful.",
    "Happy Diwali to everyone celebrating!",
    "Voting is compulsory so check your enrolment, folks.",
    "Can someone cover my shift on the front counter tomorrow?",
    "The air con on our floor is either arctic or sahara, no in between.",
    "Booked the venue for the end of year party, details to come.",
    "Reading group this month is doing a crime novel, all welcome.",
    "Heads up, the lifts are being serviced on Thursday.",
    "Honestly the best pie I've had in years, from the bakery in Daylesford.",
)
OPENERS: dict[str, tuple[str, ...]] = {
    "email": ("Hi {first},", "Hello all,", "Dear {first},", "Hey team,", "Hi there,"),
    "teams": ("@{first}", "hey", "Quick one:", ""),
    "slack": ("@{first}", "hey all", ""),
    "sms": ("", "Hey", "Hi {first}"),
}
CLOSERS: dict[str, tuple[str, ...]] = {
    "email": ("Cheers, {first}", "Thanks, {first}", "Kind regards, {first} {last}", "Thanks!"),
    "twitter": ("#melbourne", "#auspol", "#weekend", ""),
    "instagram": ("#blessed", "#melbournelife", "#weekendvibes", ""),
}

#: entity -> sentence templates; {x} is where the planted value goes.
ENTITY_TEMPLATES: dict[str, tuple[str, ...]] = {
    "PHONE_NUMBER": (
        "Call me on {x} if you're running late.",
        "My new number is {x}, old one is disconnected.",
        "Text {first} on {x} to RSVP.",
        "You can reach me on {x} after 5.",
        "mob {x}",
        "Ring the landlord on {x} about the leak.",
        "{first}'s number is {x} if you need a lift.",
    ),
    "EMAIL_ADDRESS": (
        "Send the photos to {x} please.",
        "My personal email is {x}.",
        "Email {first} at {x} for the roster.",
        "flick it to {x} when you're done",
        "Contact: {x}",
    ),
    "AU_TFN": (
        "My TFN is {x} if payroll needs it.",
        "tax file number {x}, can you fix my super form?",
        "Put TFN {x} on the form for me?",
        "Her tax file no. is {x}.",
    ),
    "AU_MEDICARE": (
        "Medicare card number {x}, can you book me in?",
        "My medicare no is {x}.",
        "The clinic needs his Medicare number: {x}.",
        "medicare {x} exp 04/27",
    ),
    "AU_ABN": (
        "Invoice from ABN {x} is attached.",
        "My ABN is {x} for the invoice.",
        "Sole trader, ABN: {x}.",
        "Please quote ABN {x} on the payment.",
    ),
    "AU_ACN": (
        "The company is registered under ACN {x}.",
        "{last} Pty Ltd (ACN {x}) sent the quote.",
        "ACN: {x}",
        "Their Australian Company Number is {x}.",
    ),
    "CREDIT_CARD": (
        "Use my card {x} for the team lunch booking.",
        "card no {x} exp 09/27",
        "Can you put the deposit on {x}?",
        "Credit card: {x}",
        "my visa is {x}, cvv on the back",
    ),
    "STREET_ADDRESS": (
        "I've moved to {x}, come over anytime.",
        "Party is at {x} from 7.",
        "Send the parcel to {x}.",
        "We live at {x} now.",
        "Drop the keys at {x} tomorrow.",
    ),
    "DATE_OF_BIRTH": (
        "DOB {x}, can you update my record?",
        "I was born on {x}.",
        "Date of birth: {x}",
        "His date of birth is {x} according to the form.",
        "born {x} in Ballarat",
        "d.o.b. {x}",
    ),
    "DRIVER_LICENCE": (
        "My driver's licence number is {x}.",
        "Licence no. {x}, can you hire the car?",
        "driver licence {x} expires next year",
        "Put my licence number {x} on the rental form.",
    ),
    "PASSPORT": (
        "My passport number is {x} for the booking.",
        "passport no. {x}, expires 2031",
        "Passport: {x}",
        "Can you check passport {x} for the visa form?",
    ),
    "BANK_ACCOUNT": (
        "Pay me back into {x}.",
        "My bank details: {x}.",
        "Deposit to {x} thanks!",
        "Transfer the bond to {x}.",
    ),
}

#: decoy kind -> templates: look-alikes that are not personal information.
DECOY_TEMPLATES: dict[str, tuple[str, ...]] = {
    "ORDER_NUMBER": (
        "My order number is {x} and it still hasn't arrived.",
        "Order #{x} shipped today apparently.",
        "Reference for the order: {x}.",
        "Tracking says order no. {x} is in Sydney.",
    ),
    "ISBN": (
        "Book club pick is ISBN {x}, grab a copy.",
        "The library has it, ISBN: {x}.",
    ),
    "VERSION": (
        "Updated to version {x} and now nothing works.",
        "Running {x} on the test server.",
        "Is everyone on build {x} yet?",
    ),
    "PRICE": (
        "Tickets are {x} each.",
        "Paid {x} for a coffee and a muffin, unbelievable.",
        "The quote came in at {x}.",
    ),
    "TIME": (
        "Meeting moved to {x}.",
        "Train leaves at {x}.",
        "See you at {x} sharp.",
    ),
    "SERVICE_NUMBER": (
        "Call {x} for the helpline.",
        "I was on hold with {x} for an hour.",
        "The number on the website is {x}.",
    ),
    "DATE": (
        "Submissions are due {x}.",
        "The roster starts on {x}.",
        "Leave booked from {x}.",
    ),
}
