"""Hand-written pools the summarization generator composes sources from (data only).

Names, companies, products and the filler that makes real support traffic long: greetings,
verification, troubleshooting, hold messages, small talk, signatures, disclaimers, survey footers.
Filler never states an outcome (no refund, approval, date or amount), so a key fact can only come
from the beat the generator planted it in. Every entry is written once and reused with different
slots; the generator draws them with a seeded random.Random, so the output is reproducible.
"""

from __future__ import annotations

FIRST_NAMES = [
    "Hannah",
    "Amira",
    "Gareth",
    "Yasmin",
    "Tomasz",
    "Priya",
    "Mateo",
    "Olivia",
    "Kwame",
    "Ingrid",
    "Dmitri",
    "Aisha",
    "Connor",
    "Mei",
    "Rafael",
    "Leila",
    "Jonas",
    "Beatriz",
    "Samuel",
    "Chiara",
    "Oluwaseun",
    "Freya",
    "Hiroshi",
    "Nadia",
    "Patrick",
    "Sofia",
    "Emeka",
    "Greta",
    "Arjun",
    "Lucy",
    "Marek",
    "Fatima",
    "Declan",
    "Ana",
    "Thabo",
    "Elif",
    "Ruben",
    "Siobhan",
    "Kenji",
    "Maryam",
    "Felix",
    "Zanele",
    "Lars",
    "Camila",
    "Idris",
    "Rosa",
    "Viktor",
    "Noor",
    "Callum",
    "Paula",
    "Tariq",
    "Helena",
    "Ewan",
    "Yuki",
    "Bogdan",
    "Simone",
    "Andile",
    "Carmen",
    "Nikhil",
    "Astrid",
    "Hamza",
    "Eilidh",
    "Jorge",
    "Wen",
]

LAST_NAMES = [
    "Okafor",
    "Lindqvist",
    "Moreau",
    "Novak",
    "Brennan",
    "Haddad",
    "Kowalski",
    "Fitzgerald",
    "Achterberg",
    "Nakamura",
    "Ferreira",
    "Mensah",
    "Rossi",
    "Dubois",
    "Petrov",
    "Gallagher",
    "Castillo",
    "Sato",
    "Abara",
    "Johansson",
    "Whitfield",
    "Demir",
    "Varga",
    "Oyelaran",
    "Schmidt",
    "Nguyen",
    "Romero",
    "Kaur",
    "Jansen",
    "Mbeki",
    "O'Neill",
    "Hughes",
    "Costa",
    "Ibrahim",
    "Lambert",
    "Kristiansen",
    "Reyes",
    "Takahashi",
    "Walsh",
    "Horvat",
    "Bianchi",
    "Chowdhury",
    "Engel",
    "Duarte",
    "Sørensen",
    "Kaplan",
    "Osei",
    "McAllister",
    "Patel",
    "Quinn",
]

AGENT_NAMES = [
    "Luis",
    "Sven",
    "Min-jung",
    "Paula",
    "Ciaran",
    "Andrés",
    "Tobias",
    "Grace",
    "Omar",
    "Ines",
    "Ravi",
    "Kasia",
    "Dylan",
    "Marta",
    "Joel",
    "Anouk",
    "Bilal",
    "Hanna",
    "Stefan",
    "Chloe",
    "Kofi",
    "Leonie",
    "Mateus",
    "Jess",
    "Farid",
    "Ilse",
    "Nico",
    "Bea",
    "Tuan",
    "Greta",
    "Owen",
    "Selin",
    "Malik",
    "Renata",
]

COMPANIES = [
    ("Brightwell Home", "brightwellhome.com", "home goods"),
    ("Kestrel Outdoor", "kestrel-outdoor.co.uk", "outdoor gear"),
    ("Notely", "notely.app", "note-taking software"),
    ("Lumen Fitness", "lumenfit.com", "fitness equipment"),
    ("Harbourline Telecom", "harbourline.net", "broadband"),
    ("Quillstack", "quillstack.io", "project software"),
    ("Oakridge Furniture", "oakridgefurniture.com", "furniture"),
    ("Vantage Audio", "vantageaudio.com", "audio equipment"),
    ("Cobalt Cloud", "cobaltcloud.dev", "cloud hosting"),
    ("Marlow & Finch", "marlowfinch.com", "fashion"),
    ("Tessera Payments", "tesserapay.com", "payments"),
    ("Nimbus Bikes", "nimbusbikes.com", "e-bikes"),
    ("Pebble & Co", "pebbleandco.com", "kitchenware"),
    ("Arcwell Energy", "arcwell.energy", "energy supply"),
]

PRODUCTS = {
    "home goods": ["stand mixer", "robot vacuum", "air purifier", "duvet set", "espresso machine", "cordless kettle"],
    "outdoor gear": ["2-person tent", "hiking boots", "down jacket", "trekking poles", "sleeping bag", "rain shell"],
    "fitness equipment": ["rowing machine", "adjustable dumbbells", "treadmill", "spin bike", "yoga mat bundle"],
    "furniture": ["oak dining table", "corner sofa", "bookcase", "office chair", "bed frame", "sideboard"],
    "audio equipment": [
        "noise-cancelling headphones",
        "soundbar",
        "turntable",
        "wireless earbuds",
        "bookshelf speakers",
    ],
    "fashion": ["wool coat", "leather boots", "linen suit", "trainers", "cashmere scarf", "denim jacket"],
    "kitchenware": ["cast-iron casserole", "knife set", "blender", "pan set", "coffee grinder"],
    "e-bikes": ["commuter e-bike", "cargo e-bike", "folding e-bike", "replacement battery"],
}

SOFTWARE_PLANS = ["Starter", "Team", "Pro", "Business", "Growth", "Scale", "Plus"]

SERVICE_DOMAINS = frozenset({"note-taking software", "project software", "cloud hosting", "payments", "broadband",
                             "energy supply"})  # fmt: skip
"""Companies whose customers pay for a service (billing, cancellations, accounts, SLAs), not for goods."""

CARRIERS = ["DPD", "UPS", "DHL", "Evri", "FedEx", "Royal Mail", "PostNL", "GLS", "Australia Post", "Canada Post"]

CITIES = [
    "Leeds", "Rotterdam", "Lyon", "Porto", "Denver", "Glasgow", "Cork", "Gdańsk", "Austin", "Bristol",
    "Utrecht", "Valencia", "Malmö", "Toronto", "Melbourne", "Nantes", "Graz", "Cardiff", "Aarhus", "Sheffield",
]  # fmt: skip

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]  # fmt: skip

TEAMS = ["billing", "logistics", "tier-2 support", "the warehouse team", "fraud review", "the returns desk",
         "account security", "technical support", "quality assurance", "the partner team"]  # fmt: skip

# --------------------------------------------------------------------------------------------------
# Conversation filler: neutral lines, slots {customer} {agent} {company} {product} {order} {city}

CUSTOMER_OPENERS = [
    "Hi, I'm writing about my order {order}.",
    "hello, hoping someone can help me with something",
    "Good morning. I've been trying to sort this out for a few days now.",
    "Hi there, quick question (well, maybe not so quick) about {order}",
    "Hey, I need help with an order please",
    "Hello {company} team,",
    "Hi, first time contacting you so bear with me.",
    "Evening. I've already tried the help centre but it didn't cover my situation.",
    "Hi, my partner placed this order but it's in my name, hope that's ok.",
    "Hello, I'm following up on a problem I mentioned to your colleague on the phone.",
    "hiya, got a problem with the {product}",
    "Dear Sir or Madam, I am writing regarding a recent purchase.",
]

CUSTOMER_FILLER = [
    "I've been a customer for years and this is the first time something like this has happened.",
    "Honestly I'm a bit fed up, I had to take time off work for this.",
    "I did look at the FAQ page but it just sent me round in circles.",
    "Sorry if this is the wrong place to ask.",
    "My neighbour had the same thing happen last month, so I'm guessing it's not just me.",
    "I tried calling first but the queue said 40 minutes so I gave up.",
    "Just so you know I'm at work until six so replies might be slow.",
    "I'd rather not have to go through all of this again with someone else.",
    "Can you please not send me the generic help article again, I've read it.",
    "The app kept logging me out while I was trying to check this, by the way.",
    "I hope this makes sense, it's been a long week.",
    "I have screenshots if that helps, just tell me where to send them.",
    "I'm not very technical so please keep it simple.",
    "My email is the one on the account, the old one doesn't work anymore.",
    "I live in {city} if that makes any difference.",
    "we've got family staying this week so it's all a bit chaotic here",
    "I already gave all this information to the chatbot earlier.",
    "Is there a reference number I should be quoting?",
    "ok",
    "right",
    "mm ok",
    "sure",
    "one sec",
    "hang on, let me find it",
    "Sorry, the dog was barking, what did you say?",
    "I just want this sorted, to be honest.",
    "That's fine, go ahead.",
    "Thanks for looking into it.",
]

AGENT_FILLER = [
    "Thanks for reaching out to {company}, {customer}. I'm {agent} and I'll be looking after this for you.",
    "I'm sorry for the trouble this has caused, let me take a proper look.",
    "Before I go any further, could you confirm the email address on the account?",
    "Perfect, that matches what I have here.",
    "I'm just reading through the notes from the previous contact so you don't have to repeat yourself.",
    "Thanks for your patience while I checked that.",
    "That's really helpful, thank you for the detail.",
    "I completely understand why that's frustrating.",
    "I'm going to put you on a short hold while I check with a colleague, is that okay?",
    "Thanks for holding.",
    "Just so I have the full picture, when did you first notice this?",
    "I'll add a note to the account so anyone who picks this up later can see what we discussed.",
    "I appreciate you bearing with me, our systems are a little slow this afternoon.",
    "Apologies for the wait, it's been a busy morning here.",
    "I've read through everything you've sent, thank you.",
    "Let me double-check one thing so I don't give you wrong information.",
    "That's no problem at all.",
    "You're very welcome.",
    "I'll stay on the line while the page loads.",
    "Can I just check I've got the right account: is it the one ending in your surname?",
    "I'm noting all of this on the ticket as we go.",
]

RETAIL_CUSTOMER_FILLER = [
    "The {product} was meant to be a present, which is why I'm a bit stressed about it.",
    "To be fair the delivery driver was very polite, it's not his fault.",
    "I kept all the packaging, just in case.",
    "It's the second thing I've ordered from you this year.",
]
RETAIL_AGENT_FILLER = [
    "Thanks. And for security, can you confirm the first line of the delivery address?",
    "Give me a moment while I pull up the order history.",
    "I can see the order on my screen now.",
    "Could you tell me roughly when the order was placed?",
]
ACCOUNT_CUSTOMER_FILLER = [
    "I'm the admin on the account, the owner is on leave this week.",
    "We have about forty people using it every day, so this matters.",
    "Our finance team closes the month on Friday, that's why I'm chasing.",
    "I've attached the screenshot from the billing page.",
    "Can you copy my colleague in on the reply? She handles the invoices.",
]
ACCOUNT_AGENT_FILLER = [
    "I can see the workspace and the billing contact on my side.",
    "Let me check the plan history on the account.",
    "For security, could you confirm the billing email on the account?",
    "I've found the account, thanks for the details.",
]

CUSTOMER_CLOSINGS = [
    "ok thanks, that's all for now", "Great, appreciate the help.", "fine. thanks I guess",
    "Thanks {agent}, you've been really helpful.", "Ok. I'll keep an eye on my emails.", "cheers",
    "Thank you, have a good evening.", "That's everything, thanks.", "Alright, bye.", "thank u",
    "Will do. Thanks again.", "Ok, I'll wait to hear from you.",
]  # fmt: skip

AGENT_CLOSINGS = [
    "Is there anything else I can help you with today?",
    "Thanks for your patience today, {customer}. Have a lovely rest of your day.",
    "You'll get a copy of this conversation by email shortly.",
    "If anything else comes up, just reply to this email and it will come straight back to me.",
    "Take care, and thanks for choosing {company}.",
    "Thanks for chatting with us today.",
    "I hope the rest of your week is a bit calmer!",
    "Feel free to get back in touch any time, we're here 8am to 8pm.",
]

SMALL_TALK = [
    ("Customer", "Is it busy today? You must get loads of these."),
    ("Agent", "It's been steady! Mondays are always the busiest."),
    ("Customer", "Where are you based, out of interest?"),
    ("Agent", "Our team is spread out, I'm working from home today actually."),
    ("Customer", "The weather here is awful, been raining all week."),
    ("Agent", "Same here, I think the whole country is under one cloud."),
    ("Customer", "Sorry, my kids are shouting in the background."),
    ("Agent", "No worries at all, I can hear you fine."),
]

TROUBLESHOOTING: dict[str, list[tuple[str, list[str]]]] = {
    "device": [
        ("Could you try switching it off at the wall for thirty seconds and then back on?",
         ["ok doing it now... nope, same thing", "Tried that already, no change.", "Hang on... no, still the same."]),
        ("Is the light on the front solid or flashing at the moment?",
         ["It's flashing, I think. Orange?", "solid red", "There's no light at all."]),
        ("Can you check whether the firmware version under Settings, About shows anything unusual?",
         ["Not sure, how do I check that?", "It says up to date.", "I can't get into the settings at all."]),
        ("Does the same thing happen if you plug it into a different socket?",
         ["Yes, tried the kitchen and the hallway.", "Same in every socket.", "Didn't try that... yes, same."]),
        ("Have you been able to try it with the original cable that came in the box?",
         ["That's the only cable I have.", "Yes, original cable.", "I think so, it was in the box anyway."]),
    ],
    "account": [
        ("Could you try the link in a private browsing window?", ["Same error.", "ok... no, still says expired"]),
        ("Have you cleared the app cache recently? That sometimes helps with the login loop.",
         ["Yes I did that twice.", "Just did it, no change."]),
        ("Is the time on your phone set automatically? The codes depend on it.",
         ["Yes it's automatic.", "Not sure, how do I check that?"]),
        ("Which browser are you using when this happens?", ["Chrome, on a laptop.", "Safari on my phone."]),
        ("Can you tell me the exact error message you see, word for word if possible?",
         ["'Something went wrong, please try again later.'", "it just says invalid code"]),
    ],
    "delivery": [
        ("Could you check with your neighbours or building reception, just in case?",
         ["I checked, nobody has it.", "Reception hasn't seen anything."]),
        ("Is there anywhere around the property a driver might consider a safe place?",
         ["No, it's a flat with a shared entrance.", "Only the bin store, and it's not there."]),
        ("Did you receive any card through the door from the courier?", ["No card, nothing.", "No."]),
        ("Can you confirm the delivery address on the order is still correct?",
         ["yes that's still right", "Yes, same as always."]),
    ],
}  # fmt: skip

# --------------------------------------------------------------------------------------------------
# Email furniture

SIGNATURE_TITLES = ["Customer Care Specialist", "Support Advisor", "Customer Experience Team", "Senior Support Agent",
                    "Resolutions Team", "Technical Support Engineer", "Account Support"]  # fmt: skip

DISCLAIMERS = [
    "This email and any attachments are confidential and intended solely for the addressee. If you have received "
    "it in error, please notify the sender and delete it. Any views expressed are those of the individual sender.",
    "Please do not reply above this line. Our team aims to respond within one business day. For urgent matters "
    "outside office hours, visit our help centre, where most questions are answered in our guides.",
    "We'd love to hear how we did! Rate your experience by clicking one of the faces below. Your feedback helps us "
    "improve our service for every customer.",
    "Think before you print. This message was sent from a monitored mailbox; replies are logged for quality and "
    "training purposes in line with our privacy notice.",
    "Registered office: Unit 4, Meridian Park. Registered in England and Wales. VAT registration available on "
    "request. This communication does not form part of any contract unless expressly stated.",
    "You are receiving this message because you contacted our support team. To manage your communication "
    "preferences, log in to your account and open the notifications page.",
]

QUOTE_HEADERS = [
    "On {date}, {name} <{email}> wrote:",
    "-----Original Message-----\nFrom: {name} <{email}>\nSent: {date}",
    "From: {name}\nSent: {date}\nSubject: RE: {subject}",
    "On {date} {name} wrote:",
]

SUBJECTS = {
    "damaged_item": ["Damaged item", "Problem with my order", "Broken on arrival", "Order arrived damaged"],
    "billing": ["Charged twice?", "Billing question", "Incorrect charge on my card", "Invoice query"],
    "delivery": ["Where is my parcel", "Missing delivery", "Order not received", "Delivery delay"],
    "subscription": ["Cancel my plan", "Plan change", "Subscription question", "Downgrade request"],
    "account_access": ["Can't log in", "Locked out of account", "2FA problem", "Account access"],
    "warranty": ["Warranty claim", "Fault with my device", "Repair request", "Product stopped working"],
    "sla": ["Service credit request", "Outage impact on our account", "Escalation: downtime", "SLA breach"],
}

HTML_NOISE = ["&nbsp;", "<br>", "<div>", "</div>", "<p>", "</p>", "&amp;", "<span style=\"font-size:11pt\">",
              "</span>", "<o:p></o:p>"]  # fmt: skip

SURVEY_FOOTERS = [
    "[System] The customer was sent the post-chat survey.",
    "[System] Chat transcript emailed to the customer.",
    "[System] Conversation marked as waiting on customer.",
    "[Bot] How would you rate this conversation? 1 = poor, 5 = excellent",
    "[System] Agent left the conversation.",
]

CHAT_BOT_INTRO = [
    ("Bot", "Hi! I'm the {company} virtual assistant. What can I help you with today?"),
    ("Bot", "I can help with orders, returns, billing and account questions. Please describe your issue."),
    ("Bot", "Thanks! I'm connecting you to a member of our team. Current wait time: about 4 minutes."),
    ("Bot", "While you wait: did you know you can track most orders from the Orders page of your account?"),
    ("System", "{agent} joined the conversation."),
]

CALL_OPENINGS = [
    "[IVR] Thank you for calling {company}. Calls may be recorded for quality and training purposes.",
    "[IVR] For orders and deliveries, press 1. For billing, press 2. For anything else, please hold.",
    "[Hold music, 03:12]",
    "Agent: Good afternoon, you're through to {company}, my name's {agent}, who am I speaking with?",
]

CALL_NOISE = ["[inaudible]", "[crosstalk]", "[pause]", "[typing]", "[line breaks up]", "um", "uh", "erm", "sorry,"]

MEETING_CHATTER = [
    "Can everyone see my screen? Shout if not.",
    "Sorry, I was on mute.",
    "Let's give people another minute to join.",
    "Quick reminder that the notes go in the shared folder afterwards.",
    "I'll keep this one short, we have a hard stop at the hour.",
    "Someone's got an echo, could you mute please?",
    "Are we recording this? Okay, good.",
    "I've dropped the link to the dashboard in the chat.",
    "Can we take the rest of that offline?",
    "Thanks all, good discussion.",
    "Sorry, my connection dropped for a second, can you repeat the last bit?",
    "Let's park that and come back to it if we have time.",
    "I think we're drifting a bit, let's move on.",
    "Just a heads up, I need to leave ten minutes early today.",
    "Does anyone have anything else before we close?",
    "Same time next week, I'll send the invite.",
]

INCIDENT_NOISE = [
    "PagerDuty: alert re-triggered (no change in state)",
    "Bot: reminder, please post updates in this channel rather than in DMs",
    "Grafana dashboard link shared in channel",
    "Status page draft reviewed by comms, awaiting incident commander",
    "On-call secondary acknowledged page",
    "Bot: incident channel created, roles: IC, comms, scribe",
    "Customer success asked for an ETA for their enterprise accounts",
    "Scribe: timeline being kept in this doc, please correct anything wrong",
    "Engineering manager joined the bridge",
    "Support reports a rising number of tickets mentioning the issue",
    "Someone asked whether the mobile apps are affected too; checking",
    "Graphs show error rate flat over the last 10 minutes",
    "Bridge call link re-posted for people joining late",
    "Bot: 30 minutes since last status page update",
]

MEETING_OPENING = [
    "Can everyone see my screen? Shout if not.",
    "Let's give people another minute to join.",
    "Are we recording this? Okay, good.",
    "Quick reminder that the notes go in the shared folder afterwards.",
    "I'll keep this one short, we have a hard stop at the hour.",
    "Just a heads up, I need to leave ten minutes early today.",
    "Morning all, how was everyone's weekend?",
    "I've dropped the agenda in the chat.",
]
MEETING_CLOSING = [
    "Does anyone have anything else before we close?",
    "Same time next week, I'll send the invite.",
    "Thanks all, good discussion.",
    "I'll tidy up the notes this afternoon.",
    "Bye all.",
    "Cheers, bye.",
]
MEETING_DISCUSSION = [
    "The backlog was a bit over three hundred tickets this morning, mostly email.",
    "Chat satisfaction dipped last week, and the comments are mostly about wait times.",
    "I spoke to the warehouse lead; they're short-staffed on Fridays again.",
    "The new macros are saving time, people like the refund one in particular.",
    "Weekend coverage was thin, two people called in sick on Saturday.",
    "We're still getting tickets about the old app version, about twenty a day.",
    "The quality scores for new starters are improving, slowly.",
    "Finance asked us to tag every goodwill gesture properly, the reports were a mess.",
    "Sorry, my connection dropped for a second, can you repeat the last bit?",
    "Someone's got an echo, could you mute please?",
    "I've dropped the link to the dashboard in the chat.",
    "Can we take the rest of that offline?",
    "Let's park that and come back to it if we have time.",
    "I think we're drifting a bit, let's move on.",
    "For context, the same thing came up in the leads meeting last month.",
    "I don't have the exact numbers in front of me, I'll check after.",
    "The phone queue is the real pain point, email is fine.",
    "Do we know how the other region handles this?",
    "The vendor's account manager changed again, that's the third one this year.",
    "Our training slots are booked solid until the end of the month.",
    "I'd like to see the trend over a few more weeks before we read too much into it.",
    "Just to be clear, this is separate from the budget conversation.",
    "The help centre article on returns is still getting lots of thumbs down.",
    "We had a couple of escalations from the same enterprise customer again.",
    "Sorry, I was on mute.",
    "That matches what I'm hearing from the team leads.",
    "It would help to have the ticket tags cleaned up first.",
    "The night shift says the tooling is slow after midnight.",
    "Let me share the spreadsheet, one second.",
    "I'm not sure the data is good enough to say.",
    "Is that the same issue as the one from the spring?",
    "We should loop in legal at some point, but not yet.",
]
INCIDENT_NOISE += [
    "Scribe: noting that the error graphs for the other regions look normal",
    "Comms: holding message posted to the status page",
    "DB on-call joined, checking replication lag",
    "Question in channel: is anyone seeing this in staging? Nobody so far",
    "Reminder from IC: one conversation at a time on the bridge please",
    "Latency p99 still elevated, error budget burning fast",
    "Support macro for affected customers drafted, waiting for approval",
    "Someone restarted a canary pod by mistake, no impact",
    "Vendor status page shows all green",
    "Traffic from the mobile apps dropped, probably users giving up",
    "Synthetic checks still failing from two of three locations",
    "IC asked for a summary of what has been ruled out so far",
    "Security on-call confirmed nothing suspicious in the access logs",
    "Load balancer health checks flapping for the affected pool",
    "Customer success lead asked for a summary they can forward",
    "Logs are noisy, someone is filtering them for the affected tenant",
]

ROUND_TABLE = [
    "Quick update from {team}: {n} tickets open, {m} of them over the response target.",
    "{team} had a quiet week, {n} escalations, nothing unusual in them.",
    "On {team}, average handling time is {n} minutes, up a little from last week.",
    "From {team}: we closed {n} tickets yesterday, a record for a Monday.",
    "{team} is still waiting on {m} replies from customers before we can close the old backlog.",
    "Nothing major from {team}; {n} tickets were reopened, mostly by the same two customers.",
    "For {team}, the survey response rate is around {m} percent, which is too low to read much into.",
    "{team} spent most of the week on the {n} tickets from the billing glitch.",
]
