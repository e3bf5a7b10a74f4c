"""What surrounds the request in a real ticket: greetings, sign-offs, signatures, the earlier reply the
customer hit "reply" on, a forwarded shop email, small talk, venting, a PS with an idea, a request the
customer takes back, a fallback.

None of it changes the gold label, and each piece says which prompt rule makes that so (signatures,
quoted and forwarded text are context, rule 1; withdrawn requests and fallbacks, rule 1; venting does not
make a request a complaint and a PS idea does not make a problem a feature request, rule 6). Much of it
carries the words a keyword router keys on (refund, cancel, password, tracking, solicitor, fraud,
manager), because real signatures, auto-replies and shop emails do.
"""

from __future__ import annotations

EMAIL_OPENERS = (
    "Hi,", "Hello,", "Hi there,", "Dear Larkspur,", "Dear Sir or Madam,", "Hello Larkspur team,", "Good morning,",
    "Hey,", "To whom it may concern,", "Hi team,", "Afternoon,", "Dear Customer Services,", "Hiya,", "Morning!",
)  # fmt: skip
CHAT_OPENERS = ("hi", "hello", "hey there", "hi!!", "hiya", "good evening")
CLOSERS = (
    "Thanks,", "Thank you.", "Many thanks,", "Cheers,", "Kind regards,", "Best,", "Regards,", "Thanks in advance!",
    "Appreciate your help.", "Thx", "Best wishes,", "Thanks so much,", "Warm regards,", "Ta,",
)  # fmt: skip

PLAIN_SIGNATURES = (
    "{first}", "{full}", "{full}\n{phone}", "{first}\n\nSent from my iPhone", "--\n{first}\nSent from Outlook for "
    "Android", "{full}\nGet Outlook for iOS", "{first} x", "{full}\nPlease consider the environment before "
    "printing this email.", "{first} ({email})", "{full}\nMob: {phone}", "Sent from my Galaxy\n{first}",
)  # fmt: skip

BAIT_SIGNATURES = (
    "{full} | Senior Associate | Hartwell & Price LLP\nThis email and any attachments are confidential and may be "
    "legally privileged. If you are not the intended recipient, please notify the sender and delete it.",
    "{full}\nSolicitor\nBrennan Mahoney Solicitors\nT: {phone}",
    "{full}, Esq.\nAttorney at Law\nThe {first} Law Office",
    "{full}\nParalegal | Litigation Support Team",
    "{full}\nLegal Counsel, Arbor Health Trust",
    "Dr {full}\nConsultant Paediatrician\nSt Anne's Hospital",
    "{full}, RN\nCharge Nurse, Emergency Department - replies may be delayed",
    "{full}\nFire Safety Officer | Westshire Fire & Rescue Service",
    "{full}\nHealth & Safety Manager | Halden Construction",
    "{full}\nFraud Analyst, Meridian Bank\nMeridian Bank will never ask for your PIN or password.",
    "{full}\nHuman Resources Business Partner",
    "{full}\nCustomer Service Manager, Beacon Hotels",
    "{full}\nCourt Clerk, County Court at {city}",
    "{full}\nProcurement Officer\n\nCONFIDENTIALITY NOTICE: This message is intended only for the addressee. Any "
    "unauthorised use, disclosure or copying is strictly prohibited. If received in error, notify the sender.",
    "Dr. {full}, PhD\nClaims Adjuster | Northgate Insurance",
    "{full}\nPharmacist Manager, Greenway Pharmacy",
)  # fmt: skip
"""Job titles and footers with the words of escalate conditions in them: the prompt says a lawyer's title or
legal disclaimer in a signature is not a threat, and a signature is context, not the request."""

QUOTE_HEADERS = (
    "On {day}, {date} at {time}, Larkspur Customer Care <care@larkspur.example> wrote:",
    "-----Original Message-----\nFrom: Larkspur Support <support@larkspur.example>\nSent: {day}, {date} {time}\n"
    "To: {email}\nSubject: RE: Your enquiry",
    "________________________________\nFrom: Larkspur Help <help@larkspur.example>\nSent: {date}\nSubject: Re: "
    "Case {order2}",
    "On {date}, at {time}, support@larkspur.example wrote:",
)  # fmt: skip

QUOTED_REPLIES = (
    "Hi {first},\nThanks for your patience. I've processed a refund of {amount} to your original payment method; "
    "it can take 5-10 working days to show.\nKind regards,\n{agent}, Larkspur Customer Care",
    "Hi {first},\nI'm sorry your {product} arrived damaged. I've arranged a replacement, which should be with you "
    "in 3-5 working days. There's no need to send the original back.\nBest wishes,\n{agent}",
    "Hello {first},\nYour Larkspur Plus membership renewed on {date}. You can cancel at any time under Account > "
    "Membership and we'll refund any unused months.\n{agent} | Larkspur",
    "Hi {first},\nAs requested, I've updated the delivery address on your order. Anything else, just reply to this "
    "email.\n{agent}",
    "Hi {first},\nI've sent a password reset link to your email address. If it doesn't arrive within 10 minutes, "
    "please check your spam folder.\nThanks,\n{agent}",
    "Dear {first},\nThank you for your feedback about our packaging. I've passed it on to the team responsible.\n"
    "Kind regards,\n{agent}, Customer Care",
    "Hi {first},\nYour order was dispatched with {carrier} today. Your tracking number is {tracking}.\n{agent}",
    "Hi {first},\nI can confirm that order {order2} has been cancelled and you haven't been charged for it.\n"
    "Regards,\n{agent}",
    "Hello,\nThanks for contacting Larkspur. We aim to reply within 24 hours. In the meantime you may find an "
    "answer in our help centre: where is my order? | returns and refunds | cancelling an order | resetting your "
    "password.\nThis is an automated message.",
    "Hi {first},\nPlease find your VAT invoice attached. Let us know if you need anything else.\n{agent}",
)  # fmt: skip
"""Earlier replies from Larkspur on a settled matter: context (rule 1), full of other labels' words."""

FORWARD_HEADER = (
    "---------- Forwarded message ---------\nFrom: Larkspur <{sender}@larkspur.example>\nDate: {day}, {date}\n"
)
FORWARD_FOOTER = (
    "\n\nHelp centre · Track an order · Returns & refunds · Cancel an order · Contact us\nYou're receiving this "
    "email because you shopped at Larkspur. Unsubscribe from marketing emails · Privacy policy"
)
FORWARDS: dict[str, tuple[str, str]] = {
    "order_confirmation": (
        "orders",
        "Subject: Thanks for your order {order}!\n\nHi {first}, we've got your order and we're getting it ready.\n\n"
        "Your items ... {amount}\nDelivery ... {fee}\n\nChanged your mind? You can cancel within 1 hour from Your "
        "orders.",
    ),
    "shipping": (
        "dispatch",
        "Subject: Your order is on its way\n\nGood news! Order {order} has been dispatched with {carrier}.\nTracking "
        "number: {tracking}\nEstimated delivery: {date}",
    ),
    "delivered": (
        "dispatch",
        "Subject: Delivered: your Larkspur parcel\n\nYour parcel was delivered today at {time}.\nLeft in: safe "
        "place\nNot received it? Let us know within 48 hours.",
    ),
    "receipt": (
        "payments",
        "Subject: Your Larkspur receipt\n\nPayment received: {amount}\nCard ending {last4}\nOrder: {order}\nThis is "
        "not a VAT invoice.",
    ),
    "password_reset": (
        "accounts",
        "Subject: Reset your Larkspur password\n\nWe received a request to reset the password for your account. The "
        "link below expires in 30 minutes.\n[Reset password]\nIf you didn't ask for this, you can ignore this email.",
    ),
    "plus_renewal": (
        "membership",
        "Subject: Your Larkspur Plus membership renews soon\n\nYour membership renews on {date} for {plusfee}. To "
        "cancel, go to Account > Membership before then.",
    ),
    "return_label": (
        "returns",
        "Subject: Your return label\n\nPrint the label below and drop the parcel at any {carrier} point. We'll "
        "refund you within 5 days of receiving it.",
    ),
}  # fmt: skip
FORWARD_FOR: dict[str, tuple[str, ...]] = {
    "order_status": ("order_confirmation", "shipping"),
    "refund_request": ("receipt", "return_label", "order_confirmation"),
    "product_defect": ("order_confirmation", "delivered"),
    "cancel_order": ("order_confirmation",),
    "change_address": ("order_confirmation", "shipping"),
    "account_access": ("password_reset",),
    "billing_question": ("receipt", "order_confirmation", "plus_renewal"),
    "complaint": ("delivered",),
}
"""Which shop emails a customer with this request would plausibly forward."""
FORWARD_LEADS = ("See below.", "Forwarding this so you have the details.", "Details below.", "FYI, email below.")

CONTEXT = (
    "I've shopped with you for years and this is the first time I've had to get in touch.",
    "Sorry if this is the wrong place to ask.",
    "I did try the help centre first but couldn't find an answer.",
    "I ordered it on {day} using the app.",
    "It was meant to be a present for my mum.",
    "I'm writing on behalf of my dad, who isn't great with computers.",
    "Not sure if you're the right people for this.",
    "I'm a Plus member, if that makes any difference.",
    "I've attached a screenshot.",
    "My number is {phone} if it's easier to call.",
    "Apologies for the long message.",
    "Last year you refunded a broken toaster for me without any fuss, so I'm hoping you can help again.",
    "I know you're busy at this time of year.",
    "I also bought a {product2} in the same order, and that's fine.",
    "My partner placed the order but it's on my account.",
    "I've already looked at the tracking page and the FAQs.",
    "We only moved in last month, so everything is a bit chaotic.",
    "First time ordering from you, so I'm not sure how this works.",
    "I'm on holiday at the moment, so replying from my phone.",
    "Your colleague on the phone said to email in.",
)  # fmt: skip
"""Small talk and background: not a request (rule 1), some of it with other labels' words."""

VENT = (
    "This is really frustrating.", "Honestly, not impressed.", "I expected better from you.",
    "Third time something like this has happened this year.", "I'm pretty fed up, to be honest.",
    "Not the experience I was hoping for.", "Disappointing, to say the least.", "Really poor.",
    "I'm not happy about any of this.", "What a faff.",
)  # fmt: skip
"""Dissatisfaction next to a concrete request: complaint only when there is no request (rule 6)."""

SUGGESTIONS = (
    "PS it would be great if you sent text updates rather than emails.",
    "Also, a dark mode in the app would be lovely one day.",
    "Side note: a live chat in the app would make this sort of thing much easier.",
    "You really should let people choose a delivery day.",
    "By the way, it would help if you stocked spare parts for things like this.",
    "PS: please think about offering Apple Pay, it'd make checkout quicker.",
)  # fmt: skip
"""An idea next to a current problem: feature_request only when there is no problem (rule 6)."""

WITHDRAWN_ACTIONS: dict[str, tuple[str, ...]] = {
    "cancel_order": ("cancel the order", "cancel my Plus membership", "cancel the {product2}"),
    "refund_request": ("refund me", "give me my money back", "refund the delivery fee"),
    "change_address": ("change the delivery address", "send it to my office instead"),
    "order_status": ("chase the delivery", "find out where my parcel was"),
    "account_access": ("reset my password", "unlock my account"),
    "product_defect": ("send a replacement {product2}",),
    "billing_question": ("send me a VAT invoice", "explain a charge on my statement"),
}
WITHDRAWN = (
    "I was going to ask you to {action}, but {reason}, so ignore that.",
    "Originally I wanted you to {action} - never mind, {reason}.",
    "Please ignore my last message asking you to {action}; {reason}.",
    "Scratch my earlier email about wanting you to {action}, {reason}.",
    "I nearly asked you to {action}, but {reason}. Instead:",
    "Forget what I said on the phone about wanting you to {action}. {reason_cap}.",
)  # fmt: skip
WITHDRAWN_REASONS = (
    "I've sorted that part out myself", "my partner talked me out of it", "that turned out fine in the end",
    "I found what I needed in my emails", "that's not needed any more",
)  # fmt: skip

FALLBACKS: dict[str, tuple[tuple[str, str], ...]] = {
    "product_defect": (
        ("If you can't send one, I'll take a refund instead.", "refund_request"),
        ("If that's not possible, just cancel the rest of the order.", "cancel_order"),
    ),
    "change_address": (
        ("If it's too late to change it, please cancel the order instead.", "cancel_order"),
        ("If you can't change it, I'd rather have my money back.", "refund_request"),
    ),
}
"""`If you can't do X, then Y`: classified by X (rule 1)."""

ESCALATION_ADDONS: dict[str, tuple[str, ...]] = {
    "legal": (
        "If this isn't sorted by Friday I'll be speaking to my solicitor.",
        "I'm fully prepared to take this to the small claims court.",
        "My next step is a complaint to the consumer protection authority.",
        "I'll be reporting this to the ombudsman otherwise.",
    ),
    "human": (
        "Can I please speak to a real person about this?",
        "I'd like a manager to look at this, please.",
        "Please get a supervisor to call me.",
    ),
    "fraud": (
        "If I don't hear back today I'll just do a chargeback.",
        "Otherwise I'm disputing it with my bank.",
    ),
    "safety": (
        "Also, the plug got hot enough to scorch the socket.",
        "It also gave off a burning smell and a bit of smoke before I unplugged it.",
    ),
}
"""Any escalate condition wins over the rest of the ticket (rule 3)."""

SECOND_PROBLEMS: dict[str, tuple[str, ...]] = {
    "order_status": (
        "Separately, my other order {order2} still hasn't arrived and the tracking hasn't moved in a week.",
        "Also, where is order {order2}? It's a week late now.",
    ),
    "account_access": (
        "On top of that, I can't log into my account - it says my password is wrong.",
        "Also, the verification code never arrives when I try to sign in.",
    ),
    "technical_issue": (
        "Also, your app crashes every time I open my basket.",
        "And the website's search has been giving me an error all week.",
    ),
    "billing_question": (
        "And could someone explain the {fee} 'service fee' on my last receipt?",
        "Also, why was I charged {fee} for delivery on my previous order?",
    ),
    "product_defect": (
        "Also, the {appliance} from my previous order has stopped turning on.",
        "And the {homeware} from my last order came apart in the first wash.",
    ),
    "change_address": (
        "Also, I need the delivery address on {order2} changed to {new_address}.",
        "And please update my saved address to {new_address}.",
    ),
}
"""A second, unrelated problem: two problems and no rule picks one -> escalate (rule 6)."""

SUBJECTS = (
    "Order {order}", "Question about my order", "Help please", "Query", "(no subject)", "Urgent", "Account",
    "Larkspur", "Hello", "My recent purchase", "Re: Your Larkspur order {order}", "Quick question", "Issue",
)  # fmt: skip
FORM_TOPICS = ("General enquiry", "My order", "Other", "Account & orders", "Something else")
