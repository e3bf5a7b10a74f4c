"""Support stories written in Spanish, German, French or Portuguese; the summary must still be English.

Each carries a correction (a delivery date first promised, then changed), so the forbidden claim is the
superseded date, and the facts are listed in English with the values as the source writes them
(European decimal commas included). Filler is per language, neutral like the English pools.
"""

from __future__ import annotations

import random

from summarization_common import REFUND, REPLACE, Claim, Fact, Money, Story, Turn, day, later

MONTHS = {
    "es": [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ],
    "de": [
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ],
    "fr": [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
    "pt": [
        "janeiro",
        "fevereiro",
        "março",
        "abril",
        "maio",
        "junho",
        "julho",
        "agosto",
        "setembro",
        "outubro",
        "novembro",
        "dezembro",
    ],
}
ROLES = {"es": ("Cliente", "Agente"), "de": ("Kunde", "Mitarbeiter"), "fr": ("Client", "Conseiller"),
         "pt": ("Cliente", "Atendente")}  # fmt: skip
PRODUCTS = {
    "es": ["zapatillas de running", "cafetera", "silla de oficina", "auriculares", "chaqueta impermeable"],
    "de": ["Kaffeemaschine", "Laufschuhe", "Bürostuhl", "Kopfhörer", "Regenjacke"],
    "fr": ["machine à café", "chaussures de course", "chaise de bureau", "casque audio", "veste imperméable"],
    "pt": ["máquina de café", "ténis de corrida", "cadeira de escritório", "auscultadores", "casaco impermeável"],
}
TEXT = {
    "es": {
        "problem": [
            "Hola, el pedido {order} ({product}) llegó roto y pagué {total}.",
            "Buenas, el pedido {order} ({product}) me ha llegado con un golpe enorme. Costó {total}.",
        ],
        "refund": [
            "Te devolvemos {refund} a la tarjeta, lo verás en unos días.",
            "He tramitado un reembolso de {refund} a tu método de pago.",
        ],
        "first": ["Te enviamos un reemplazo que llegará el {d1}."],
        "fix": [
            "Perdona, corrijo: el almacén no tiene stock hasta más tarde, así que el reemplazo llega el {d2}, "
            "no el {d1}.",
            "Actualización: el envío del {d1} se ha cancelado; el reemplazo llegará el {d2}.",
        ],
        "keep": ["No hace falta devolver el producto dañado, puedes reciclarlo."],
        "filler": [
            "Gracias por tu paciencia.",
            "¿Me confirmas el correo de la cuenta, por favor?",
            "Vale, ya lo veo en el sistema.",
            "Un momento, lo consulto con mi compañera.",
            "Entiendo perfectamente la molestia.",
            "Sí, es ese correo.",
            "Vale, gracias.",
            "¿Hay algo más en lo que te pueda ayudar?",
            "Nada más, gracias por todo.",
            "Te llegará un correo de confirmación en breve.",
            "Disculpa la espera, hay mucha demanda hoy.",
            "Ya había escrito ayer pero nadie me contestó.",
            "Lo siento mucho, no debería haber pasado.",
            "He dejado una nota en tu ficha para que cualquier compañero lo vea.",
            "Perfecto, entonces quedo a la espera.",
            "Que tengas un buen día.",
        ],
    },
    "de": {
        "problem": [
            "Hallo, die Lieferung zu Bestellung {order} ({product}) kam beschädigt an. Ich habe {total} bezahlt.",
            "Guten Tag, meine Bestellung {order} ({product}) ist kaputt angekommen, Preis {total}.",
        ],
        "refund": ["Ich erstatte Ihnen {refund} auf Ihre Karte.", "Sie erhalten eine Erstattung von {refund}."],
        "first": ["Wir schicken Ihnen Ersatz, Lieferung am {d1}."],
        "fix": [
            "Korrektur: Das Lager hat erst später Ware, der Ersatz kommt am {d2}, nicht am {d1}.",
            "Kleine Änderung: Die Lieferung am {d1} wurde storniert, der Ersatz kommt am {d2}.",
        ],
        "keep": ["Sie müssen das beschädigte Gerät nicht zurückschicken."],
        "filler": [
            "Vielen Dank für Ihre Geduld.",
            "Können Sie mir bitte Ihre E-Mail-Adresse bestätigen?",
            "Einen Moment, ich schaue im System nach.",
            "Das tut mir wirklich leid.",
            "Ja, genau die.",
            "Ich habe eine Notiz im Kundenkonto hinterlegt.",
            "Kann ich sonst noch etwas für Sie tun?",
            "Nein, das war alles, danke.",
            "Sie bekommen gleich eine Bestätigung per E-Mail.",
            "Entschuldigen Sie die Wartezeit, heute ist viel los.",
            "Ich hatte gestern schon geschrieben.",
            "Alles klar, dann warte ich.",
            "Schönen Tag noch!",
            "Ich frage kurz bei einer Kollegin nach.",
            "Verstehe, das ist ärgerlich.",
            "Okay, danke.",
        ],
    },
    "fr": {
        "problem": [
            "Bonjour, le colis de la commande {order} ({product}) est arrivé cassé. Je l'ai payé {total}.",
            "Bonsoir, ma commande {order} ({product}) est arrivée abîmée, elle coûtait {total}.",
        ],
        "refund": ["Je vous rembourse {refund} sur votre carte.", "J'ai validé un remboursement de {refund}."],
        "first": ["Nous vous envoyons un remplacement, livraison le {d1}."],
        "fix": [
            "Je corrige : l'entrepôt n'a pas de stock avant plus tard, le remplacement arrive le {d2}, pas le {d1}.",
            "Mise à jour : l'envoi du {d1} est annulé, le remplacement arrivera le {d2}.",
        ],
        "keep": ["Vous n'avez pas besoin de renvoyer l'article abîmé."],
        "filler": [
            "Merci pour votre patience.",
            "Pouvez-vous me confirmer l'adresse e-mail du compte ?",
            "Un instant, je regarde dans le système.",
            "Je comprends tout à fait.",
            "Oui, c'est bien celle-là.",
            "J'ai ajouté une note à votre dossier.",
            "Puis-je vous aider pour autre chose ?",
            "Non, c'est tout, merci.",
            "Vous allez recevoir un e-mail de confirmation.",
            "Désolé pour l'attente, il y a beaucoup de demandes aujourd'hui.",
            "J'avais déjà écrit hier.",
            "D'accord, j'attends alors.",
            "Bonne journée !",
            "Je vérifie avec une collègue.",
            "C'est vraiment agaçant, je sais.",
            "D'accord, merci.",
        ],
    },
    "pt": {
        "problem": [
            "Olá, a encomenda {order} ({product}) chegou partida. Paguei {total}.",
            "Boa tarde, a minha encomenda {order} ({product}) chegou danificada, custou {total}.",
        ],
        "refund": ["Vou reembolsar {refund} no seu cartão.", "Fiz um reembolso de {refund} para o seu cartão."],
        "first": ["Vamos enviar uma substituição, entrega no dia {d1}."],
        "fix": [
            "Correção: o armazém só tem stock mais tarde, a substituição chega no dia {d2}, não no dia {d1}.",
            "Atualização: o envio do dia {d1} foi cancelado, a substituição chega no dia {d2}.",
        ],
        "keep": ["Não precisa de devolver o artigo danificado."],
        "filler": [
            "Obrigado pela paciência.",
            "Pode confirmar o e-mail da conta, por favor?",
            "Um momento, estou a verificar no sistema.",
            "Compreendo perfeitamente.",
            "Sim, é esse.",
            "Deixei uma nota na sua ficha.",
            "Posso ajudar em mais alguma coisa?",
            "Não, é tudo, obrigado.",
            "Vai receber um e-mail de confirmação.",
            "Desculpe a espera, hoje há muitos pedidos.",
            "Já tinha escrito ontem.",
            "Está bem, fico a aguardar.",
            "Bom dia!",
            "Vou confirmar com uma colega.",
            "Sei que é chato.",
            "Ok, obrigado.",
        ],
    },
}
SYMBOL = {"es": "€", "de": "€", "fr": "€", "pt": "€"}


def _date(lang: str, d: int, m: int) -> str:
    name = MONTHS[lang][m - 1]
    if lang == "de":
        return f"{d}. {name}"
    if lang in ("es", "pt"):
        return f"{d} de {name}"
    return f"{d} {name}"


def foreign(rng: random.Random, lang: str, order: str, month: int) -> Story:
    """A damaged-item conversation in `lang`: refund, a replacement date changed once, nothing to return."""
    text = TEXT[lang]
    cust, agent = ROLES[lang]
    product = rng.choice(PRODUCTS[lang])
    total = Money(round(rng.uniform(40, 400), 2), SYMBOL[lang], european=True)
    refund = Money(round(total.amount * rng.choice([0.1, 0.15, 0.2]), 2), SYMBOL[lang], european=True)
    d1 = day(rng, month, 3, 14)
    d2 = later(d1, rng.choice([4, 6, 9]))
    slots = {"order": order, "product": product, "total": total.text(), "refund": refund.text(),
             "d1": _date(lang, d1.day, d1.month), "d2": _date(lang, d2.day, d2.month)}  # fmt: skip
    turns = [
        Turn(cust, rng.choice(text["problem"]).format(**slots), core=True),
        Turn(agent, rng.choice(text["first"]).format(**slots), core=True),
        Turn(agent, rng.choice(text["refund"]).format(**slots), core=True),
        Turn(agent, rng.choice(text["fix"]).format(**slots), core=True),
        Turn(agent, rng.choice(text["keep"]).format(**slots), core=True),
    ]
    facts = [
        Fact(f"Refund of {refund.text()} for damaged order {order}", (refund.alts(), tuple(REFUND))),
        Fact(f"Replacement arrives {d2.text()}", ((*tuple(REPLACE), "new"), d2.alts())),
        Fact(
            "No need to return the damaged item",
            (
                (
                    "no need",
                    "not need",
                    "don't need",
                    "doesn't need",
                    "no return",
                    "not have to",
                    "keep",
                    "keeps",
                    "not required",
                ),
            ),
        ),
    ]
    forbidden = [
        Claim(f"Replacement arrives {d1.text()}", d1.alts()),
        Claim(f"Refund of {total.text()}", total.alts(), (tuple(REFUND),)),
    ]
    return Story("damaged_item", ["damaged_item"], turns, facts, forbidden, slots={"product": product}, language=lang)


def filler(rng: random.Random, lang: str) -> str:
    return rng.choice(TEXT[lang]["filler"])
