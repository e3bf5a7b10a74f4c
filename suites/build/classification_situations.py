"""The ticket situations: what the customer actually wants, one hand-written item per distinct case source.

Each entry is one customer's request written the way customers write (terse or rambling, polite or
cross, with or without the obvious keyword), with slots the generator fills per case. The gold label of
a situation follows from the suite prompt's LABELS and RULES and nothing else: mixed requests are written
so one rule decides them (cancel + refund -> cancel_order by rule 4; defect + money back -> refund_request
by rule 5; any escalate condition wins by rule 3), and the tags after the text name which rule did, so the
tests can check every such case against the rule it relies on.

Deliberately absent, because the prompt's rules do not decide them: a promo code the checkout rejects
(billing or a checkout bug?), a price rise the customer both questions and resents (billing or complaint?),
"it doesn't work" with no object (defect or app bug?), a missing item from a set (defect or split
shipment?), a return with no word on what should happen next. Safety words (smoke, sparks, burn, shock,
melt) appear only in escalate situations.

A situation is used by at most two cases; cases built on the same situation share a `cluster`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Situation:
    key: str
    """`<label>-<nn>`: the cluster of every case built on it."""
    label: str
    text: str
    tags: tuple[str, ...] = ()
    """Why the label holds when more than one reading is possible (`mix:...`, the escalate reason), and
    `replace` for a request for a replacement or correction, which may take a fallback."""


def _pool(label: str, items: list[tuple[str, ...] | str]) -> list[Situation]:
    out = []
    for i, item in enumerate(items, start=1):
        text, *tags = (item,) if isinstance(item, str) else item
        out.append(Situation(f"{label}-{i:02d}", label, text, tuple(tags)))
    return out


ORDER_STATUS = _pool("order_status", [
    "My order {order} still hasn't turned up. The confirmation said {days} working days and it's been nearly two "
    "weeks. Can you check what's going on?",
    "The {carrier} tracking for {order} has said 'label created' since {day}. Has it actually left your warehouse?",
    "The app says my parcel was delivered yesterday at 2:14pm but there's nothing here - not at the door, not with "
    "the neighbours. Can you find out where it went?",
    "Only the {product} from order {order} has arrived so far. The {product2} wasn't in the box - is it being sent "
    "separately?",
    "Any idea when the {furniture} will be delivered? I ordered it on {day} and I need it before my parents visit "
    "on the {nth}.",
    "Tracking number {tracking} hasn't moved in {days} days. It's just sitting in {city}. Is it lost?",
    "Could you tell me whether order {order} has shipped yet? I paid for express and haven't had a dispatch email.",
    "I'm going away on {day} for a week. Will my {product} get here before then, or should I ask a neighbour to "
    "look out for it?",
    "{carrier} left a card saying they tried to deliver, but I was in all day. Where is the parcel now and when "
    "will they try again?",
    "My {product} has been 'held at customs' for ten days according to the tracking. Is it ever going to get "
    "here?",
    "The website said it would be here by the {nth}. It's now {days} days past that and nobody has told me "
    "anything. What's happening with it?",
    "Just checking in on order {order}. The confirmation came through fine but I haven't heard a peep since.",
    "I ordered a {product} for my daughter's birthday, which is on Saturday. The order page still says "
    "'processing'. Will it make it in time?",
    "Half my order came on Monday (the {product}) but the rest still says 'partially shipped'. When is the rest "
    "due?",
    "My parcel is showing as delivered in {city2}. I've never lived there. Where has it actually gone?",
    "I was told last week my order would be dispatched 'within 48 hours'. That's come and gone. Is there an "
    "actual date?",
    "Do you know if the courier has my package yet? Nothing has changed on my end since the order was confirmed.",
    "The tracking page says 'delivery attempted' but I've got a doorbell camera and nobody came near the house. "
    "What's the real status?",
    "Where's my stuff?? Order {order}, placed {weeks} weeks ago.",
    "We were booked in for two-person delivery of the {furniture} on {day}. Nobody showed up and we both took the "
    "day off work. When is it coming now?",
    "I placed an order on the {nth} and got a confirmation email but nothing else. Has it been dispatched? "
    "Ref {order}.",
    "my package has been stuck at the depot in {city} for like a week now.. whats going on with it",
    "Hello, I am waiting for order {order} with the {product}. Please can you tell me when it will arrive? Thank "
    "you.",
    "The {product} went out of stock after I'd ordered it. Is my order still going to be sent, and if so when?",
    "Tracking {tracking} now says 'returned to sender'. I didn't refuse anything. Is it coming back to me?",
    "It's been three working days since it said 'out for delivery'. Has the parcel gone missing?",
    "My mum ordered a {product} through my account and keeps asking me when it'll arrive. Can you give me an "
    "update on {order}?",
    "Two of the three boxes for order {order} are here. The third (the legs for the {furniture}, I think) has had "
    "no tracking update for a week.",
    "Next-day delivery, ordered Monday, and it's Thursday. Could I get an update on where the {product} is?",
    "Will my order be held up by the postal strikes? I saw something on the news about backlogs.",
    "Nothing in the letterbox, nothing at the post office, and {carrier} say it's still with you. Who actually has "
    "my parcel?",
    "Could you check the delivery status of my order? I checked out as a guest so there's no account, but the "
    "number is {order}.",
    "The tracking shows my parcel going back and forth between two depots for days. Will it ever reach me?",
    "The dispatch email came {days} days ago but {carrier} don't recognise the tracking number yet. Is that "
    "normal? When can I expect it?",
    "It says 'handed to reception' but I live in a terraced house. There's no reception. Where did it go?",
    "When will the pre-ordered {product} ship? The product page said mid-month and we're well past that.",
    "I'm trying to plan my week around the {furniture} delivery. Is there a date yet?",
    "Order {order} - status has said 'preparing your order' for eight days. Is something wrong with it?",
    "Hi, I haven't received my order. Could you look into it please?",
    "It's the {nth} today and the {product} I ordered on the 2nd is still not here. Has it even been posted?",
    "My neighbour got a text saying my parcel was left with her, but she hasn't got it. Can you find out who "
    "signed for it?",
    "Could you let me know roughly when order {order} will arrive? No rush, just want to know if I need to be in.",
])  # fmt: skip

REFUND_REQUEST = _pool("refund_request", [
    ("I sent the {product} back {weeks} weeks ago and {carrier} confirmed you got it on {date}. I still haven't "
     "had my refund. When will it reach my card?", "refund_status"),
    ("The {product} arrived with a big crack down the side. I don't want a replacement, I'd just like my money "
     "back please.", "mix:defect+refund"),
    ("Please refund the delivery charge on {order}. I paid {fee} for next-day and it took five days.",
     "mix:late+refund"),
    ("I've been charged twice for order {order} - two payments of {amount} on my statement. Can you put one of "
     "them back on my card?", "mix:double_charge+refund"),
    "Can I get a refund for the {product}? It's nothing like the pictures and I'd rather not keep it.",
    ("The {appliance} stopped working after a week. I've lost faith in the brand, so please just refund it rather "
     "than sending another.", "mix:defect+refund"),
    ("I'd like my money back for order {order}. It arrived a week after the date I needed it for, so it's no use "
     "to me now.", "mix:late+refund"),
    "The price of the {product} dropped by {fee} two days after I bought it. Could you refund the difference?",
    ("I posted the {product} back with the prepaid label. When will the refund be processed?", "refund_status"),
    ("You refunded {amount} but I paid {amount2} for it. Where's the rest of my money?", "refund_status"),
    "I'd like to return the {product} for a full refund. It's unopened, still in the box. What do I need to do?",
    ("My promo code showed at checkout but wasn't taken off - I paid full price. Please refund the discount I "
     "should have had.", "mix:billing+refund"),
    ("Money back please. The {homeware} smells strongly of chemicals and after airing it for a week it's still "
     "awful.", "mix:defect+refund"),
    ("It's been 14 working days since you said the refund was approved. My bank says nothing has come in. Can you "
     "chase it?", "refund_status"),
    ("I want a refund for the {homeware}. The {colour} is completely different to the photos - more like a muddy "
     "brown.", "mix:defect+refund"),
    "I got a gift card as my refund instead of money on my card. I never asked for store credit - please put it "
    "back on my original payment method.",
    ("Order {order} was delivered damaged and I've already thrown the box away (sorry!). Can I still get my money "
     "back?", "mix:defect+refund"),
    ("Could I have my money back for the express shipping? The order came by standard post in the end.",
     "mix:late+refund"),
    ("I'm owed {amount} from a return in {month}. I've emailed twice. Please tell me when it'll be paid.",
     "refund_status"),
    "Requesting a refund on order {order}. Reason: not as described (it's plastic, not stainless steel).",
    "I've found the {product} cheaper locally and would like to send yours back for a refund. It's still sealed.",
    ("Just checking on the refund for the {product} I returned last month. Tracking says it reached your returns "
     "centre on the {nth}.", "refund_status"),
    ("Your courier left my parcel out in the rain and the {product} inside is ruined. I'm not interested in a "
     "replacement, please reimburse me.", "mix:defect+refund"),
    "I paid {fee} for assembly of the {furniture} and nobody assembled it - the driver just left the boxes. "
    "Please refund the assembly fee.",
    ("Please give me the money back for the {appliance}. It's the second one that's failed within a month.",
     "mix:defect+refund"),
    ("I cancelled my order within ten minutes and got an email confirming it, but the money has still left my "
     "account. When do I get it back?", "refund_status"),
    "I'd like the {fee} back that I paid for the extended warranty on the {appliance}. I didn't mean to add it.",
    ("The {kitchen} was listed with a matching lid, but only the pan came in the box. I'd rather have my money "
     "back than wait for the lid.", "mix:defect+refund"),
    ("The refund for my return went to a card I've since closed. How do I get the money now?", "refund_status"),
    ("Hello, I would like to have a reimbursement for the {electronics} because it is not working since the first "
     "day.", "mix:defect+refund"),
    "Is a partial refund possible? The {product} works but arrived with a dent in the side. I'd keep it for, say, "
    "{fee} back.",
    ("The {product} turned up two days after the birthday it was for. I'd like to send it back and be refunded.",
     "mix:late+refund"),
    ("I paid {fee} for Saturday delivery and it came on Monday. Please give me the delivery fee back.",
     "mix:late+refund"),
    ("Still waiting on my refund (return tracking {tracking}). Your site says 'refund issued' but my card shows "
     "nothing.", "refund_status"),
    "I bought the wrong size of {kitchen} by mistake - it's too big for my oven. It's unused. Can I return it for "
    "a refund?",
    ("My order was refused at the door because the box was smashed in, and the driver took it away. Where's my "
     "refund?", "refund_status"),
    "Could you refund me for the {product}? My daughter already bought me one, so I'd like to send this one back.",
])  # fmt: skip

PRODUCT_DEFECT = _pool("product_defect", [
    ("The {appliance} I got last week won't turn on. I've tried a different socket, nothing. Can you send a "
     "replacement?", "replace"),
    ("Two of the wine glasses in the set arrived broken. Could you send two more?", "replace"),
    ("I ordered the {size} duvet cover and got a single. Can you send the right size?", "replace"),
    ("The {furniture} is missing the bag of screws, so I can't put it together. Could you post the fixings?",
     "replace"),
    "My {appliance} keeps showing error E4 after about ten minutes. What does that mean and how do I fix it?",
    "The handle on the {kitchen} came loose after two uses. Is there a fix for that?",
    "The {electronics} won't pair with my phone any more. It was fine for the first few days and I've reset it "
    "twice.",
    ("The {homeware} I ordered in {colour} came in a completely different shade. Please send the right colour.",
     "replace"),
    "Got my saucepan set today. The outer box was perfect but the glass lid inside is in pieces.",
    "The display on the {appliance} flickers and then goes blank. Is that a known fault? It's only a month old.",
    ("The left earbud won't charge in the case, the right one is fine. Can it be repaired or swapped?", "replace"),
    ("The {product} arrived with a deep scratch across the front. I'd like a replacement please.", "replace"),
    ("The {part} for the {appliance} wasn't in the box. Everything else was there.", "replace"),
    "The smart plug's firmware update stopped halfway and now it just blinks red. Is there a way to recover it?",
    "The thermostat you sold me shows 'E-07' and stops heating the house. The manual says to contact the seller.",
    ("You've sent me a {product2} instead of the {product} I ordered. Could you swap it?", "replace"),
    "The stitching on the {homeware} came apart in the first wash. I washed it exactly as the label says.",
    "The {kitchen} is warped - it rocks on the hob and won't sit flat. I've only used it twice.",
    "The robot vacuum keeps stopping with 'wheel blocked' even when there's nothing in the wheels. Any "
    "troubleshooting tips?",
    ("One of the drawer runners on the chest of drawers is bent and the drawer won't close. Can you send a new runner?",
     "replace"),
    "The baby monitor's screen has a line of dead pixels down the middle. We bought it three weeks ago.",
    "The zip on the storage ottoman broke the first time we opened it.",
    "The {appliance} has started making a loud grinding noise. It didn't at first.",
    "The battery in the cordless vacuum lasts about four minutes now from a full charge. It used to do forty.",
    ("The kettle lid won't stay shut - it pops open every time it boils. Could you send a new lid?", "replace"),
    ("The bedding set came with pillowcases in a different colour to the sheet. Can you swap the pillowcases?",
     "replace"),
    "The lamp flickers constantly, with the bulb that came with it and with two others I tried. I think the "
    "switch is faulty.",
    "The cable in the box doesn't fit the {electronics} - it looks like it's for a different model.",
    "The mirror arrived with the backing board split and a crack in one corner of the glass. Photos attached.",
    "Since its last update the video doorbell won't connect to Wi-Fi - just a solid amber light. A factory reset "
    "didn't help.",
    "The kitchen scale shows 'Err' whenever I put anything over 500g on it.",
    "The coffee machine leaks water from underneath every time I make a coffee.",
    "The curtain rings in the pack don't fit the pole that was sold as the matching set.",
    ("The knife block set arrived with the tip of the chef's knife snapped off.", "replace"),
    "My food processor's blade doesn't turn even though the motor runs. The little plastic coupling looks chewed.",
    ("We received the wardrobe but one side panel has a big split along the grain. Can we get a replacement "
     "panel?", "replace"),
    "The {electronics} switches itself off after about a minute no matter how much charge it has.",
    ("The rug I ordered is 120 x 170, but the one that came is clearly smaller - about 80 x 150. Can you send the "
     "right one?", "replace"),
])  # fmt: skip

CANCEL_ORDER = _pool("cancel_order", [
    "Please cancel order {order}. I ordered it twice by mistake.",
    "I want to cancel my Larkspur Plus membership before it renews next month.",
    "Can I still cancel the {product}? Found it cheaper elsewhere, sorry!",
    "Could you stop order {order} before it ships? I no longer need it.",
    ("I've changed my mind about the {furniture}. It's not been delivered yet - please cancel it and refund my "
     "card.", "mix:cancel+refund"),
    "Please take the {product} off order {order} but keep the rest.",
    "Please end my water filter subscription - we've moved and the new place has a filter built in.",
    "The {product} may already have shipped, but I'd like to cancel it anyway. Do I just refuse the delivery?",
    "I was signed up to Larkspur Plus automatically with my first order. I don't want it - please cancel it.",
    ("Part of my order arrived broken (the {product2}) and I don't trust the rest now. Please cancel everything "
     "that hasn't shipped.", "mix:defect+cancel"),
    "Please don't send the rest of {order}. Cancel whatever is left.",
    "My partner already bought the same {product}, so we don't need ours. Can you cancel order {order}?",
    "I ordered the {size} instead of the {size2}. Please cancel the whole order and I'll reorder the right one "
    "myself.",
    "Cancel the replacement you're sending me please, the original turned up after all.",
    "I'd like to cancel the pre-order for the {product}. The release date keeps moving.",
    ("Can you cancel my order and refund me? It's been three weeks and it still hasn't shipped.",
     "mix:status+cancel"),
    "Please terminate my Plus membership with immediate effect.",
    "I'd like to turn off the auto-renewal on my membership so it ends at the end of this year.",
    "Order {order}, placed about an hour ago - I'd like to cancel it if it's not too late.",
    "My dad placed order {order} on my account by mistake. Please cancel it before it's dispatched.",
    "Could you cancel the {product} from my last order? The rest is fine.",
    "I've moved abroad so I won't use Larkspur Plus any more. How do I cancel it?",
    "The {furniture} won't fit through our front door after all, so please call off the delivery and cancel the "
    "order.",
    "Withdraw my order {order} please. I no longer need it.",
    "I don't want the {product} any more. The app says it hasn't been sent yet, so please just stop it.",
    "I ordered the same {product} on the app and on the website. Please cancel the website one, {order}.",
    "Our kitchen renovation has been pushed back a year, so I'd like to cancel the {appliance} and the {kitchen} "
    "on order {order}.",
    "I'd like to come off the subscription for replacement vacuum bags.",
    ("You've charged me {plusfee} for Plus again, but I thought I'd ended it in January. Please cancel it properly "
     "this time and refund the fee.", "mix:billing+cancel"),
    "Nope, don't want it. Cancel {order}.",
    ("The {appliance} in order {order} still hasn't been dispatched after a fortnight. Just cancel it, I'll buy one "
     "locally.", "mix:status+cancel"),
    "Please cancel my Plus trial before it turns into a paid membership.",
])  # fmt: skip

CHANGE_ADDRESS = _pool("change_address", [
    ("I typed the wrong house number on order {order}. It should be {num} {street}, not {num2}. Can you fix it "
     "before it ships?", "replace"),
    ("We're moving on the {nth}. Please send order {order} to {new_address} instead.", "replace"),
    ("Can you update the delivery address on my account? We've moved to {new_address}.", "replace"),
    ("Please deliver order {order} to my work instead: {new_address}.", "replace"),
    ("I forgot to put the flat number on my order - it's Flat {n}, {num} {street}. Otherwise the courier won't "
     "find it.", "replace"),
    ("Could the recipient on {order} be changed to my partner, {name}? They'll be in to sign for it.", "replace"),
    ("The postcode on my order is wrong, it should be {postcode}.", "replace"),
    ("Please send order {order} to my parents' place instead: {new_address}. It's a surprise for them.",
     "replace"),
    ("I've moved, so please update the saved shipping address on my account to {new_address}.", "replace"),
    ("Can my order be redirected to {new_address}? I'm staying with a friend for a couple of weeks.", "replace"),
    ("Wrong town on my order! I put {city} but I live in {city2}. Same street and postcode.", "replace"),
    ("I'd like the {furniture} delivered to our new house rather than the flat. New address: {new_address}.",
     "replace"),
    ("Please add 'c/o Reception, 4th floor' to the delivery address for {order}, otherwise it'll be sent back.",
     "replace"),
    ("I need to correct my address - the street is spelled {street}, I missed a letter.", "replace"),
    ("Can I change where my order is going? It's a present and I'd rather it went straight to my sister at "
     "{new_address}.", "replace"),
    ("Could order {order} go to my neighbour at number {num} instead? I'll be away until Sunday.", "replace"),
    ("Our building has been renamed, so the first line of my address should now be '{building}, {num} {street}'.",
     "replace"),
    ("The parcel needs to be addressed to 'Dr {name}, Reception, Ward 4 office' - the clinic's post room won't "
     "accept it otherwise. Can you change the recipient on {order}?", "replace"),
    ("I just realised my order is going to my old address. Can you change it to {new_address}?", "replace"),
    ("Can the unit number be added to order {order}? It's Unit {n}B.", "replace"),
    ("I left the apartment number off my delivery details - it's Apt {n}. Could you add it to {order}?",
     "replace"),
    ("The address on my account is still my old uni halls. I've graduated! Please change it to {new_address}.",
     "replace"),
    ("Order {order} is set to go to my billing address by mistake. It should go to {new_address}.", "replace"),
    ("Please change the name on the delivery from me to my flatmate, {name}, as they'll be the one at home.",
     "replace"),
])  # fmt: skip

ACCOUNT_ACCESS = _pool("account_access", [
    "I can't log into my account. It keeps saying my password is wrong, even straight after I reset it.",
    "The password reset email never arrives. I've checked spam and promotions, nothing.",
    "My account says it's locked after too many attempts. How do I unlock it?",
    "I don't get the verification code by text any more because I changed my phone number. How do I get back in?",
    "I'd like to change the email address I sign in with. The old one is my work email and I'm leaving the "
    "company.",
    "Every time I try to sign in on the app it throws me back to the login screen.",
    "The reset link says it has expired even when I click it the moment the email arrives.",
    "I think my account has been disabled? It says 'this account is not active' when I try to get in.",
    "I set up two-step verification and then lost my phone. Please help me get into my account.",
    "Can you change my username? It still has my maiden name in it and I use it to log in.",
    "I signed up with Google, but now the 'Continue with Google' button says my account doesn't exist.",
    "I can't get into my account on the website - it just spins after I enter my details. The app is fine.",
    "Each time I sign in it says 'session expired' and sends me back to the start.",
    "It says there's no account with my email, but I've ordered from you loads of times with it.",
    "I've forgotten my password and I can't get into the email address on the account any more. What can I do?",
    "The 'forgot password' link on the sign-in page doesn't seem to do anything when I press it.",
    "The 6-digit code arrives, but the site says it's invalid every single time.",
    "I'd like to switch my login from my old Hotmail address to {email}.",
    "Face ID sign-in on the app stopped working after the update, and I don't remember my actual password.",
    "It keeps asking me to verify my email before I can log in, but I verified it months ago.",
    "My daughter set up the account for me and I don't know the password. Can you help me get in? The email is "
    "{email}.",
    "I'm stuck in a loop: sign in, 'verify it's you', enter the code, and back to sign in again.",
    "My account got locked halfway through checking out and now I can't get back in.",
    "Is there a way to log in without the authenticator app? I deleted it by accident.",
    "'Sign in with Apple' says something went wrong every time I try to get into my Larkspur account.",
    "Please change my account email to {email}. I can still log in, I just don't use the old address.",
    "The new password 'doesn't meet the requirements', but it's 14 characters with numbers and symbols, so I "
    "can't finish resetting it.",
    "I get 'Too many attempts, try again later' every time I try to sign in, even the next day.",
    "Hi, I can't remember which email I used for my account, so I can't log in to see my orders.",
    "The sign-in page won't accept my password on my {device}, but the same password works on my laptop.",
])  # fmt: skip

TECHNICAL_ISSUE = _pool("technical_issue", [
    "The checkout page freezes when I press 'Pay now'. I've tried three times with two different cards.",
    "The app crashes as soon as I open my saved items.",
    "None of the product images are loading on your website, just grey boxes. I tried {browser} and {browser2}.",
    "The 'filter by price' option doesn't do anything - the same results come up whatever I pick.",
    "Your order confirmation emails come through blank, just the logo and nothing else.",
    "My basket empties itself every time I close the app.",
    "The size guide button on the product pages goes to a 404 page.",
    "The search bar says 'Something went wrong' for anything I type in.",
    "Not urgent - my order arrived fine - but the 'Track my order' page shows an error 500 every time I open it.",
    "The reviews section won't load on any product page in the app, just a spinning wheel forever.",
    "I added a photo to my review and it disappeared when I pressed submit.",
    "The app on my {device} has been stuck on the splash screen since the latest update.",
    "The 'Add to basket' button does nothing on the mobile site.",
    "The wishlist on the website shows things I deleted weeks ago, and the ones I added yesterday are gone.",
    "The live chat window on your site just says 'connecting...' and never connects.",
    "Zooming in on product photos doesn't work on my iPad.",
    "The postcode lookup at checkout can't find my address, so I can't finish placing the order.",
    "The store's gift guide page is completely blank in {browser}.",
    "The order history page in the app only shows my orders up to last year - everything since then is missing.",
    "In dark mode the app's product descriptions are black text on a black background.",
    "The 'see it in your room' camera feature crashes the app every time.",
    "Every notification from the app arrives three or four times.",
    "The gift message box at checkout cuts my message off after 20 characters without any warning.",
    "When I change the quantity in my basket the total doesn't update until I refresh the page.",
    "The 'compare products' page shows the same product in every column.",
    "The app's barcode scanner just shows a black screen, even though it has camera permission.",
])  # fmt: skip

BILLING_QUESTION = _pool("billing_question", [
    "Could you send me a VAT invoice for order {order}? I need it for my expenses.",
    "Why was I charged {fee} for delivery when my basket was over the free-delivery threshold?",
    "There's a charge from Larkspur for {amount} on my statement that I don't recognise. Can you tell me what it's "
    "for?",
    "When does my Plus membership renew, and how much will it be?",
    "Do you take PayPal? I couldn't see it as an option.",
    "The code {code} took off 10% rather than 15%. Which is it supposed to be?",
    "How do I use my gift card together with my credit card on one order?",
    "My receipt says {amount} but {amount2} came out of my bank. Why the difference?",
    "Does the price on the website include tax? I'm ordering from {abroad}.",
    "Can I pay for the {furniture} in instalments?",
    "I've got a gift card with {fee} left on it. Does it expire?",
    "Could I have a receipt with my company name on it for order {order}?",
    "The invoice for {order} shows my old address. Could you reissue it with my current one?",
    "I was charged in US dollars but I'm in Canada. Will there be a conversion fee?",
    "My bank shows {amount} pending and {amount2} charged for the same order. Which one is real?",
    "Why did the price of the {product} in my basket go up when I got to the payment page?",
    "I'm a Plus member - shouldn't delivery be free? I was charged {fee} for shipping on {order}.",
    "Could you split my invoice in two - one for the {product} and one for the {product2}? They come out of "
    "different budgets at work.",
    "Which card did I pay for order {order} with? I have two and need to know for my expenses.",
    "Do you charge extra for delivery to rural addresses?",
    "Is the {plusfee} Plus fee per year or per month? The page wasn't clear.",
    "I've been charged a 'service fee' of {fee} that I didn't see before. What is it for?",
    "How much does delivery to {abroad} cost?",
    "Why is there a pending hold of {amount} on my card when my order was only {amount2}?",
    "Does the student discount work on sale items too?",
    "Can you add my VAT number to the invoice for {order}? It's a business purchase.",
    "Do you price match? I've seen the same {product} for less elsewhere.",
    "I paid with Klarna - when is the first instalment due?",
    "Where can I download a receipt for my Larkspur Plus fee?",
])  # fmt: skip

FEATURE_REQUEST = _pool("feature_request", [
    "It would be great if you offered Apple Pay at checkout.",
    "Any chance you could start selling spare parts for the appliances you stock? It would save a lot of waste.",
    "Suggestion: let us pick a delivery slot. Even just morning or afternoon would help.",
    "Please add a dark mode to the app!",
    ("Would you consider plastic-free packaging? Everything comes wrapped in so much bubble wrap.",
     "mix:complaint+suggestion"),
    "Could you add a way to save several delivery addresses? I send a lot of gifts.",
    "I'd love a wishlist I can share with family before birthdays.",
    "Could you stock the {product} in {colour}? I'd buy it in a heartbeat.",
    "It'd be handy to be able to filter the kitchen range by 'dishwasher safe'.",
    "Have you thought about a repair service for small appliances? I'd happily pay for it.",
    "Idea: a 'buy it again' button in the order history.",
    "Please offer delivery to parcel lockers.",
    "It'd be nice if the app could remember my payment card.",
    "Could you bring back the recipe cards you used to put in the boxes? My kids loved them.",
    "Please show measurements in both cm and inches on the furniture pages.",
    "How about a price-drop alert for things on my wishlist?",
    "It would be brilliant if Plus members got early access to the sales.",
    "Could you do a trade-in scheme for old appliances?",
    "Please add an option to combine orders placed on the same day into one delivery.",
    "A Spanish-language version of the site would help my parents a lot.",
    "I'd like to see more left-handed kitchen tools in your range.",
    "It'd be great if you offered gift receipts that hide the prices.",
    "Please consider an option to choose recycled packaging only.",
    ("The constant delivery texts are a bit much. Could you let us choose email-only updates?",
     "mix:complaint+suggestion"),
])  # fmt: skip

COMPLAINT = _pool("complaint", [
    "I just want to say the courier who delivered today was really rude to my elderly mother. Not acceptable.",
    "Your packaging is ridiculous - a tiny {product} in a box big enough for a microwave.",
    "I've been a customer for years and the service has got so much worse lately. Very disappointed.",
    "The order did arrive in the end, but ten days late, and nobody told me anything. Poor communication.",
    "I was on hold for 45 minutes yesterday and then got cut off. Not good enough.",
    "The {product} dropped in price by {fee} the day after I ordered it. I know there's nothing you can do, I "
    "just want it on record.",
    "Your driver threw the parcel over our gate. The {product} survived, but that's not how you treat people's "
    "things.",
    "The agent I spoke to last week was dismissive and didn't listen to a word I said. I'd like that fed back.",
    "Honestly, your returns process is far too complicated. It took me an hour to work out.",
    "Three marketing emails from you today. Three. It's too much.",
    "The {furniture} is fine, but the instructions were awful. It took the two of us three hours.",
    "I'm writing to complain about how my last order was handled. Three emails, three different answers.",
    "Your 'next day' delivery is anything but. This is the third time.",
    "Very poor experience overall. I won't be ordering again.",
    "It's frustrating that every item comes in a separate box. So much cardboard.",
    "The courier left my parcel on the doorstep in full view of the street. It was fine this time, but I'm not "
    "happy about it.",
    "I'm disappointed that the {product} I bought last month is now half price. Feels like a slap in the face for "
    "loyal customers.",
    "No apology, no explanation, nothing, after you lost my first parcel. That's just not good enough.",
    "The driver was four hours late and didn't even knock. It was finally left at 9pm.",
    "Your chat bot is useless. Twenty minutes to get nowhere.",
    "Just letting you know I'm really let down. The {furniture} looked so much better online.",
    "Your courier partner is the worst I've dealt with. Every single delivery is a saga.",
    "I've had better service from market stalls. Shocking how long everything takes with you lot.",
    "Quite upset that I had to chase three times before anyone replied to me last month.",
])  # fmt: skip

ESCALATE = _pool("escalate", [
    ("If I don't get my refund for the {product} by Friday, I'm taking you to the small claims court.", "legal"),
    ("I've spoken to my solicitor and she's advised me to give you seven days to respond before we take this "
     "further.", "legal"),
    ("This is formal notice that I'm reporting Larkspur to Trading Standards over how my order has been handled.",
     "legal"),
    ("My lawyer will be in touch about the damaged {furniture} if this isn't sorted this week.", "legal"),
    ("I'm filing a complaint with the consumer protection authority about these delivery charges.", "legal"),
    ("Consider this a letter before action: repay the {amount} within 14 days or I will issue proceedings.",
     "legal"),
    ("You have until Monday, then my attorney files suit.", "legal"),
    ("The {appliance} started smoking while I was using it and tripped the fuse. I'm scared to plug it back in.",
     "safety"),
    ("My son cut his hand badly on the {kitchen} - the edge of the handle is razor sharp. We ended up in A&E.",
     "safety"),
    ("The power bank swelled up and got really hot overnight. It's out on the balcony now.", "safety"),
    ("I got an electric shock from the {appliance} when I touched the metal side.", "safety"),
    ("The {electronics} charger melted at the plug end. There's a scorch mark on the wall socket.", "safety"),
    ("The glass dish from the set shattered in the oven and sprayed glass across the kitchen.", "safety"),
    ("My daughter came out in a rash the same day she used the bamboo chopping board. What is it treated with?",
     "safety"),
    ("The bar stool collapsed while my husband was sitting on it and he's hurt his back.", "safety"),
    ("Sparks came out of the back of the {appliance} when I switched it on. I unplugged it straight away.",
     "safety"),
    ("The plug on the space heater got so hot it burned my fingers.", "safety"),
    ("The blind cord came without the wall cleat the instructions mention, and our toddler nearly got it round "
     "his neck.", "safety"),
    ("Honestly after this month I don't see the point of anything any more. I don't want to be here. Sorry, I "
     "know this is just about a refund.", "self_harm"),
    ("If that driver comes anywhere near my house again I swear I'll hurt him.", "violence"),
    ("I can't cope with all of this any more and I've been thinking about hurting myself.", "self_harm"),
    ("There's an order on my account for a {product} I didn't place. Someone has been in my account.", "fraud"),
    ("I didn't authorise this {amount} payment to Larkspur. Someone else must have used my card.", "fraud"),
    ("I got a text from 'Larkspur' asking me to pay a {fee} customs fee through a link. Is this a scam?", "fraud"),
    ("I've asked my bank to reverse the payment for {order} since you're not responding.", "fraud"),
    ("The email address on my account was changed and it wasn't me. Now I can't log in.", "fraud"),
    ("Someone has used my gift card balance - {amount} gone and I haven't bought anything.", "fraud"),
    ("I'm disputing the {amount} with my credit card company.", "fraud"),
    ("There are three orders heading to an address I don't know, paid with my saved card.", "fraud"),
    ("Someone rang claiming to be from Larkspur and asked for my card's security code. Was that really you?",
     "fraud"),
    ("Can I please speak to an actual person? I've been going back and forth with automated replies for days.",
     "human"),
    ("I want to talk to a manager about order {order}.", "human"),
    ("Please have a supervisor call me back on {phone}.", "human"),
    ("Stop sending me canned answers and put me through to a human.", "human"),
    ("Is there a real person I can talk to about my refund?", "human"),
    ("Can someone from your team ring me? Not a bot, a person.", "human"),
    ("Please pass this to a team leader or a manager, I'm done with the chat.", "human"),
    ("I'd rather discuss this with a human being, thanks.", "human"),
])  # fmt: skip

POOLS: dict[str, list[Situation]] = {
    s[0].label: s
    for s in (
        ORDER_STATUS, REFUND_REQUEST, PRODUCT_DEFECT, CANCEL_ORDER, CHANGE_ADDRESS, ACCOUNT_ACCESS,
        TECHNICAL_ISSUE, BILLING_QUESTION, FEATURE_REQUEST, COMPLAINT, ESCALATE,
    )
}  # fmt: skip
