"""Adversarial family: customers writing in Spanish, German, French, Italian, Portuguese, Dutch or
Japanese. Tool arguments stay canonical (ids, ISO country codes, plain US-dollar numbers, enum reasons);
a text reply must be in the customer's language, which its checks hold with a few common words.
"""

from __future__ import annotations

import toolcall_pools as P
from toolcall_kit import NOTE, Draft, call, escalate, reply
from toolcall_orders import Ctx, address_call
from toolcall_talk import DONE_CLAIM

LANG = {
    "es": r"\b(su|pedido|gracias|puede|env[ií]o|d[ií]as|usted|hola|lo siento|n[uú]mero)\b",
    "de": r"\b(Ihre?|Bestellung|bitte|Sie|danke|leider|Betrag)\b",
    "fr": r"\b(votre|vous|commande|livraison|merci|jours)\b",
    "it": r"\b(suo|sua|ordine|grazie|prego|giorni)\b",
    "pt": r"\b(seu|sua|pedido|obrigad[oa]|voc[eê]|valor)\b",
    "nl": r"\b(uw|je|bestelling|bedankt|alstublieft|dagen)\b",
}


def languages(ctx: Ctx) -> list[Draft]:
    r = ctx.rng
    out: list[Draft] = []

    def act(lang: str, text: str, calls: list[dict[str, object]], tag: str) -> None:
        out.append(Draft(text, calls, tags=["other_language", tag, f"lang_{lang}"]))

    def talk(
        lang: str, text: str, ref: str, tag: str, ask: tuple[str, ...] = (), require: tuple[str, ...] = ()
    ) -> None:
        checks = reply(ref, ask=ask, require=(LANG[lang], *require), forbid=(DONE_CLAIM,))
        out.append(Draft(text, reply=checks, tags=["other_language", tag, f"lang_{lang}"]))

    o = [ctx.ids.order() for _ in range(14)]
    act(
        "es",
        f"Hola, ¿dónde está mi pedido {o[0]}? Lo pedí hace una semana y no sé nada.",
        [call("lookup_order", order_id=o[0])],
        "lookup",
    )
    act(
        "es",
        f"Buenas, el jarrón del pedido {o[1]} llegó roto. Quiero que me devuelvan 42,50 USD, por favor.",
        [call("issue_refund", NOTE, order_id=o[1], amount=42.5, reason="damaged")],
        "refund",
    )
    act(
        "es",
        f"Si no me devuelven el dinero del pedido {o[2]} voy a contactar a mi abogado y presentar una demanda.",
        [escalate("urgent")],
        "escalation",
    )
    talk(
        "es",
        "¿Cuánto tarda el envío internacional y cuánto cuesta?",
        "El envío internacional tarda de 7 a 14 días hábiles y cuesta 19,95 $.",
        "no_tool",
        require=(r"7\s*(-|–|a)\s*14", r"19[.,]95"),
    )
    talk(
        "es",
        "Hola, quiero saber dónde está mi pedido, pero no encuentro el número.",
        "¡Hola! ¿Me puede enviar su número de pedido? Está en el correo de confirmación.",
        "missing_data",
        ask=("order_id",),
    )
    act(
        "de",
        f"Guten Tag, meine Bestellung {o[3]} kam beschädigt an, die Glasschale ist zerbrochen. Bitte erstatten Sie "
        "mir 27,90 USD.",
        [call("issue_refund", NOTE, order_id=o[3], amount=27.9, reason="damaged")],
        "refund",
    )
    a = P.ADDRESSES[21]
    act(
        "de",
        f"Bitte ändern Sie die Lieferadresse für {o[4]}: {a.street}, {a.postal_code} {a.city}, Deutschland.",
        [address_call(o[4], a)],
        "address",
    )
    act("de", "Ich möchte bitte mit einem Menschen sprechen, nicht mit einem Bot.", [escalate("normal")], "escalation")
    talk(
        "de",
        f"Ich hätte gern mein Geld für {o[5]} zurück, die Lampe ist kaputt.",
        f"Das tut mir leid! Welchen Betrag in US-Dollar soll ich für {o[5]} erstatten?",
        "missing_data",
        ask=("amount",),
    )
    a = P.ADDRESSES[22]
    act(
        "fr",
        f"Bonjour, pouvez-vous changer l'adresse de livraison de la commande {o[6]} : {a.street}, {a.postal_code} "
        f"{a.city}, France. Merci !",
        [address_call(o[6], a)],
        "address",
    )
    talk(
        "fr",
        "Combien de temps prend la livraison internationale, et combien ça coûte ?",
        "La livraison internationale prend 7 à 14 jours ouvrés et coûte 19,95 $.",
        "no_tool",
        require=(r"7\s*(-|–|à)\s*14", r"19[.,]95"),
    )
    act(
        "fr",
        f"Je voudrais retourner le plaid de la commande {o[7]}, il ne correspond pas du tout aux photos.",
        [call("create_return", {"items": None}, order_id=o[7], reason="not_as_described")],
        "return",
    )
    sub = ctx.ids.subscription()
    act(
        "fr",
        f"Merci d'annuler mon abonnement Refill Club {sub}, nous déménageons.",
        [call("cancel_subscription", subscription_id=sub)],
        "cancel_subscription",
    )
    act("it", "Buongiorno, vorrei parlare con un operatore umano, per favore.", [escalate("normal")], "escalation")
    act("it", f"Dov'è il mio ordine {o[8]}? Doveva arrivare ieri.", [call("lookup_order", order_id=o[8])], "lookup")
    product = r.choice(P.PRODUCTS)
    act("it", f"L'articolo {product.sku} è di nuovo disponibile?", [call("check_stock", sku=product.sku)], "stock")
    act(
        "pt",
        f"Olá, onde está a minha encomenda {o[9]}? Já passaram duas semanas.",
        [call("lookup_order", order_id=o[9])],
        "lookup",
    )
    talk(
        "pt",
        f"Quero o reembolso de R$ 150 do pedido {o[10]}, o tapete veio rasgado.",
        f"Sinto muito! Qual é o valor exato em dólares americanos (USD) que devo reembolsar para o pedido {o[10]}?",
        "missing_data",
        ask=("amount",),
        require=(r"US|USD|d[oó]lar",),
    )
    email = "j.vanderberg@outlook.com"
    act(
        "nl",
        f"Wilt u mij afmelden voor de nieuwsbrief? Mijn e-mailadres is {email}.",
        [call("unsubscribe_marketing", email=email)],
        "unsubscribe",
    )
    act(
        "nl",
        f"Kunt u de factuur van bestelling {o[11]} nog eens sturen?",
        [call("resend_invoice", order_id=o[11])],
        "invoice",
    )
    act(
        "es",
        f"hey, my order {o[12]} todavía no llega, ¿me puedes decir dónde está?",
        [call("lookup_order", order_id=o[12])],
        "lookup",
    )
    act("ja", f"注文 {o[13]} はいつ届きますか？", [call("lookup_order", order_id=o[13])], "lookup")
    return out
