"""Tickets not written in English: the prompt says to classify them the same way.

Each is written natively (not translated word for word from an English situation), with the product
named in the customer's own language, so an English keyword list finds nothing to key on; a few switch
languages mid-ticket, the way bilingual customers write. Labels follow the same rules as the English
situations; the tags name the language (ISO 639-1) and, for escalate, the reason.
"""

from __future__ import annotations

from classification_situations import Situation

_RAW: list[tuple[str, str, str, tuple[str, ...]]] = [
    # Spanish
    ("es", "order_status", "Hola, hice un pedido hace dos semanas ({order}) y todavía no me ha llegado. ¿Me pueden "
     "decir dónde está?", ()),
    ("es", "refund_request", "Buenas tardes. Devolví la batidora hace un mes y aún no me han devuelto el dinero. "
     "¿Cuándo lo voy a recibir?", ("refund_status",)),
    ("es", "cancel_order", "Quiero cancelar el pedido {order}, lo hice dos veces sin querer. Gracias.", ()),
    ("es", "product_defect", "La tetera llegó con la tapa rota. ¿Me pueden enviar una tapa nueva?", ("replace",)),
    ("es", "account_access", "No puedo entrar en mi cuenta. Me dice que la contraseña es incorrecta aunque la "
     "acabo de cambiar.", ()),
    ("es", "escalate", "El cargador que me vendieron se calentó muchísimo y empezó a salir humo mientras mi hijo "
     "dormía al lado. ¡Esto es peligroso!", ("safety",)),
    ("es", "billing_question", "¿Me pueden mandar una factura con mi NIF para el pedido {order}? La necesito para la "
     "empresa.", ()),
    ("es", "complaint", "Solo quería decirles que el repartidor fue muy maleducado con mi madre. No es forma de "
     "tratar a nadie.", ()),
    ("es", "change_address", "Me equivoqué con el número de la calle en el pedido {order}: es el 14, no el 41. ¿Lo "
     "pueden corregir antes de enviarlo?", ("replace",)),
    ("es", "feature_request", "Estaría genial que la web estuviera también en español. A mis padres les costaría "
     "mucho menos comprar.", ()),
    ("es", "technical_issue", "La aplicación se cierra sola cada vez que intento abrir la cesta.", ()),
    ("es", "escalate", "Quiero hablar con una persona de verdad, no con un robot. Llevo una semana esperando.",
     ("human",)),
    ("es", "order_status", "Buen día, mi paquete aparece 'en tránsito' desde hace diez días. ¿Saben algo?", ()),
    ("es", "escalate", "¿Me puedes escribir un poema bonito para el cumpleaños de mi madre? Que rime, por favor.",
     ("out_of_scope",)),
    # German
    ("de", "cancel_order", "Guten Tag, bitte stornieren Sie meine Bestellung {order}. Ich habe versehentlich "
     "zweimal bestellt. Vielen Dank", ()),
    ("de", "order_status", "Meine Sendung hängt seit einer Woche im Verteilzentrum fest. Können Sie nachsehen, wo "
     "sie ist?", ()),
    ("de", "refund_request", "Der Toaster kam mit einem Riss im Gehäuse an. Ich möchte keinen Ersatz, sondern mein "
     "Geld zurück.", ("mix:defect+refund",)),
    ("de", "account_access", "Ich bekomme keinen Bestätigungscode per SMS mehr und komme deshalb nicht in mein "
     "Kundenkonto.", ()),
    ("de", "product_defect", "Die Kaffeemaschine tropft seit gestern unten heraus, obwohl alles richtig eingesetzt "
     "ist. Was kann ich tun?", ()),
    ("de", "billing_question", "Warum wurden mir {amount} Versandkosten berechnet? Ich dachte, ab 50 Euro ist der "
     "Versand kostenlos.", ()),
    ("de", "escalate", "Wenn ich bis Freitag nichts von Ihnen höre, schalte ich meinen Anwalt ein.", ("legal",)),
    ("de", "technical_issue", "Auf Ihrer Webseite laden keine Produktbilder, nur graue Kästchen. Ich habe es mit "
     "zwei Browsern versucht.", ()),
    ("de", "change_address", "Bitte liefern Sie die Bestellung {order} an meine Büroadresse: Hauptstraße 12, 50667 "
     "Köln.", ("replace",)),
    ("de", "complaint", "Die Verpackung war völlig übertrieben - ein riesiger Karton für eine einzige Tasse. Das "
     "wollte ich nur einmal loswerden.", ()),
    ("de", "feature_request", "Es wäre schön, wenn man bei Ihnen auch per Rechnung bezahlen könnte.", ()),
    ("de", "escalate", "Ich möchte bitte mit einem Menschen sprechen, nicht mit einem Chatbot.", ("human",)),
    # French
    ("fr", "account_access", "Bonjour, je n'arrive plus à me connecter à mon compte : le code de vérification "
     "n'arrive jamais par SMS. Pouvez-vous m'aider ?", ()),
    ("fr", "order_status", "Bonjour, ma commande {order} devait arriver lundi et je n'ai toujours rien reçu. Où en "
     "est-elle ?", ()),
    ("fr", "refund_request", "J'ai renvoyé l'aspirateur il y a trois semaines. Quand vais-je être remboursée ?",
     ("refund_status",)),
    ("fr", "cancel_order", "Je souhaite résilier mon abonnement Larkspur Plus avant son renouvellement.", ()),
    ("fr", "product_defect", "Il manque les vis pour monter l'étagère. Pourriez-vous me les envoyer ?",
     ("replace",)),
    ("fr", "escalate", "Il y a une commande de {amount} sur mon compte que je n'ai jamais passée. Quelqu'un a "
     "utilisé ma carte.", ("fraud",)),
    ("fr", "billing_question", "Pourriez-vous m'envoyer une facture avec la TVA pour la commande {order} ?", ()),
    ("fr", "complaint", "Livraison avec dix jours de retard et aucun message de votre part. Très déçue du "
     "service.", ()),
    ("fr", "technical_issue", "Le bouton « Ajouter au panier » ne réagit pas sur votre site mobile.", ()),
    ("fr", "feature_request", "Ce serait bien de pouvoir choisir un créneau de livraison.", ()),
    ("fr", "change_address", "Pouvez-vous changer l'adresse de livraison de la commande {order} ? Nous "
     "déménageons le 15 au 8 rue des Lilas, 69003 Lyon.", ("replace",)),
    ("fr", "escalate", "Sans réponse de votre part sous huit jours, je saisis le tribunal.", ("legal",)),
    # Italian
    ("it", "refund_request", "Buongiorno, il tostapane che ho ricevuto (ordine {order}) non è quello della foto. "
     "Vorrei il rimborso completo, grazie.", ("mix:defect+refund",)),
    ("it", "order_status", "Salve, il mio pacco risulta consegnato ma io non l'ho mai ricevuto. Potete "
     "verificare?", ()),
    ("it", "cancel_order", "Vorrei annullare l'ordine {order}, non mi serve più.", ()),
    ("it", "product_defect", "Il frullatore fa un rumore fortissimo e non trita più niente. L'ho da una "
     "settimana.", ()),
    ("it", "escalate", "La stufetta ha fatto scintille appena l'ho accesa. Per fortuna nessuno si è fatto male, "
     "ma che paura.", ("safety",)),
    ("it", "account_access", "Non riesco ad accedere al mio account: il link per reimpostare la password risulta "
     "sempre scaduto.", ()),
    ("it", "complaint", "Il corriere è stato scortese e ha lasciato il pacco sotto la pioggia. Volevo solo "
     "segnalarlo.", ()),
    ("it", "feature_request", "Sarebbe utile poter pagare anche con Satispay.", ()),
    # Portuguese
    ("pt", "product_defect", "Olá! A chaleira que comprei chegou com a tampa partida. Podem enviar uma tampa "
     "nova? Obrigada", ("replace",)),
    ("pt", "order_status", "Boa tarde, a minha encomenda {order} ainda não chegou. Podem dizer-me quando chega?",
     ()),
    ("pt", "refund_request", "Oi, devolvi o liquidificador faz um mês e até agora não recebi o reembolso. Podem "
     "verificar?", ("refund_status",)),
    ("pt", "cancel_order", "Quero cancelar minha assinatura do Larkspur Plus, por favor.", ()),
    ("pt", "escalate", "Preciso falar com um atendente humano, por favor. Já tentei o chat três vezes.",
     ("human",)),
    ("pt", "technical_issue", "O aplicativo trava toda vez que abro a lista de desejos.", ()),
    ("pt", "billing_question", "A fatura da encomenda {order} saiu com o NIF errado. Podem emitir outra?", ()),
    # Dutch
    ("nl", "order_status", "Hallo, mijn bestelling {order} is nog steeds niet aangekomen. Kunt u kijken waar het "
     "pakket is?", ()),
    ("nl", "change_address", "Ik heb het verkeerde huisnummer opgegeven bij bestelling {order}. Het moet 23 zijn "
     "in plaats van 32.", ("replace",)),
    ("nl", "refund_request", "Ik wil graag mijn geld terug voor de dekbedhoes, de kleur is heel anders dan op de "
     "foto.", ("mix:defect+refund",)),
    ("nl", "account_access", "Ik kan niet inloggen, ik krijg steeds de melding dat mijn account geblokkeerd is.",
     ()),
    ("nl", "complaint", "De bezorger heeft het pakket gewoon over het hek gegooid. Niet netjes.", ()),
    # Polish, Swedish, Japanese, Chinese, Turkish
    ("pl", "order_status", "Dzień dobry, moje zamówienie {order} jeszcze nie dotarło. Kiedy mogę się go "
     "spodziewać?", ()),
    ("pl", "product_defect", "Czajnik przecieka od spodu. Czy mogą Państwo przysłać nowy?", ("replace",)),
    ("pl", "cancel_order", "Proszę anulować zamówienie {order}, zamówiłem je przez pomyłkę.", ()),
    ("sv", "refund_request", "Hej! Jag skickade tillbaka lampan för tre veckor sedan men har inte fått några pengar "
     "tillbaka. När kommer återbetalningen?", ("refund_status",)),
    ("sv", "account_access", "Jag kan inte logga in, länken för att återställa lösenordet fungerar inte.", ()),
    ("ja", "change_address", "注文番号{order}の配送先住所を変更したいです。"
     "新しい住所は東京都世田谷区三軒茶屋2-14-5です。", ("replace",)),
    ("ja", "order_status", "先週注文した商品がまだ届きません。配送状況を教えていただけますか。", ()),
    ("zh", "product_defect", "你好，我收到的电水壶底座坏了，插上电没有任何反应。能给我换一个新的吗？", ("replace",)),
    ("zh", "refund_request", "我退回的台灯已经签收两周了，退款还没到账，请帮我查一下。", ("refund_status",)),
    ("tr", "cancel_order", "Merhaba, {order} numaralı siparişimi iptal etmek istiyorum. Yanlışlıkla iki kez "
     "sipariş verdim.", ()),
    # Switching languages mid-ticket
    ("es", "order_status", "Hi, mi pedido {order} dice delivered pero no hay nada en la puerta. Can you check "
     "where it is? Gracias", ("code_switch",)),
    ("de", "account_access", "Hallo, my password reset email kommt einfach nicht an. Spam-Ordner habe ich schon "
     "gecheckt.", ("code_switch",)),
    ("fr", "cancel_order", "Bonjour, I'd like to cancel ma commande {order} s'il vous plaît, je l'ai passée deux "
     "fois.", ("code_switch",)),
]  # fmt: skip

FOREIGN: list[Situation] = [
    Situation(f"{lang}-{label}-{i:02d}", label, text, (lang, *tags))
    for i, (lang, label, text, tags) in enumerate(_RAW, start=1)
]
