"""Requests written in other languages (Spanish, German, French, Portuguese, Italian): the same families as
in English, their rules written by a colleague in their own language. Identifiers stay English, as
they do in real code bases; the reference and the hidden tests come from the same parameters as the
English families, so only the language of the request changes."""

from __future__ import annotations

import random
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import coding_fn_dates as dates
import coding_fn_money as money
import coding_fn_parsing as parsing
import coding_fn_rules as rules_mod
from coding_kit import Call, Family, FnTask, bullets, example_pairs, half_even, pick, run_reference, separating
from coding_voice import PEOPLE

_OPEN = {
    "es": ("Hola, necesito una función para {what}.", "Buenas: tarea para {what}.", "Petición del equipo: {what}."),
    "de": ("Hallo zusammen, wir brauchen eine Funktion für {what}.", "Aufgabe: {what}.", "Kurze Bitte: {what}."),
    "fr": ("Bonjour, il nous faut une fonction pour {what}.", "Demande : {what}.", "Salut, petite tâche : {what}."),
    "pt": ("Olá, precisamos de uma função para {what}.", "Pedido da equipa: {what}.", "Tarefa: {what}."),
    "it": ("Ciao, ci serve una funzione per {what}.", "Richiesta: {what}.", "Compito veloce: {what}."),
}
_CLOSE = {
    "es": ("Gracias.", "Un saludo, {who}", "El nombre de la función y de los parámetros se queda en inglés."),
    "de": ("Danke!", "Viele Grüße\n{who}", "Funktions- und Parameternamen bleiben Englisch."),
    "fr": ("Merci !", "Bonne journée, {who}", "Les noms de la fonction et des paramètres restent en anglais."),
    "pt": ("Obrigado!", "Abraço, {who}", "Os nomes da função e dos parâmetros ficam em inglês."),
    "it": ("Grazie!", "Saluti, {who}", "I nomi della funzione e dei parametri restano in inglese."),
}
_EXAMPLES = {"es": "Ejemplos:", "de": "Beispiele:", "fr": "Exemples :", "pt": "Exemplos:", "it": "Esempi:"}
_SIG = {"es": "Firma:", "de": "Signatur:", "fr": "Signature :", "pt": "Assinatura:", "it": "Firma:"}


def _compose(rng: random.Random, lang: str, what: str, sig: str, rules: list[str], pairs: list[tuple[str, str]]) -> str:
    parts = [pick(rng, _OPEN[lang]).format(what=what), f"{_SIG[lang]} `{sig}`", bullets(rng, rules)]
    if pairs:
        parts.append(_EXAMPLES[lang] + "\n" + "\n".join(f"- {a} -> {b}" for a, b in pairs))
    parts.append(pick(rng, _CLOSE[lang]).format(who=pick(rng, PEOPLE)))
    return "\n\n".join(parts)


# --------------------------------------------------------------------------------------------------
# parse_amount in de / fr / es / it


def _amount_text(lang: str, p: dict[str, Any]) -> tuple[str, list[str]]:
    d, t = p["dec"], p["thou"]
    tn = {
        "de": {".": "Punkt", " ": "Leerzeichen", "": ""},
        "fr": {".": "point", " ": "espace", "": ""},
        "es": {".": "punto", " ": "espacio", "": ""},
        "it": {".": "punto", " ": "spazio", "": ""},
    }[lang][t]
    neg = p["neg"]
    if lang == "de":
        what = "das Einlesen von Geldbeträgen aus dem Bankexport"
        r = [
            "Leerzeichen am Anfang und Ende ignorieren",
            "Dezimaltrennzeichen ist das Komma; davor muss mindestens eine Ziffer stehen",
            (
                f"Tausendergruppen optional mit {tn}: erste Gruppe 1–3 Ziffern, jede weitere genau 3 "
                f"(`12{t}345{d}50` gültig, `1{t}23{d}00` nicht)"
            )
            if t
            else "Es gibt kein Tausendertrennzeichen",
            "Höchstens zwei Nachkommastellen" if p["out"] == "cents" else "Nach einem Komma mindestens eine Ziffer",
            {
                "minus": "Ein Minus ganz vorne macht den Betrag negativ",
                "parens": "Ein Betrag in Klammern ist negativ (`(7,25)`); Minuszeichen sind ungültig",
                "trailing": "Negative Beträge haben ein nachgestelltes Minus (`7,25-`); ein vorangestelltes Minus ist "
                "ungültig",
            }[neg],
            "Leerer Text oder nur Leerzeichen: None zurückgeben"
            if p["blank"] == "none"
            else "Leerer Text oder nur Leerzeichen: ValueError",
            "Ergebnis als int in Cent"
            if p["out"] == "cents"
            else "Ergebnis als Decimal mit genau dem geschriebenen Wert",
            "Alles andere: ValueError",
        ]
    elif lang == "fr":
        what = "lire les montants du relevé bancaire"
        r = [
            "Ignorer les espaces au début et à la fin",
            "Le séparateur décimal est la virgule, précédée d'au moins un chiffre",
            (
                f"Milliers groupés avec un {tn} (optionnel) : premier groupe de 1 à 3 chiffres, "
                f"les suivants exactement 3 (`12{t}345{d}50` valide, `1{t}23{d}00` non)"
            )
            if t
            else "Pas de séparateur de milliers",
            "Au plus deux décimales" if p["out"] == "cents" else "Après la virgule, au moins un chiffre",
            {
                "minus": "Un signe moins tout au début rend le montant négatif",
                "parens": "Un montant entre parenthèses est négatif (`(7,25)`) ; le signe moins est invalide",
                "trailing": "Les montants négatifs ont un moins à la fin (`7,25-`) ; un moins au début est invalide",
            }[neg],
            "Texte vide ou seulement des espaces : renvoyer None"
            if p["blank"] == "none"
            else "Texte vide ou seulement des espaces : ValueError",
            "Renvoyer un int en centimes"
            if p["out"] == "cents"
            else "Renvoyer un Decimal avec exactement la valeur écrite",
            "Tout le reste lève ValueError",
        ]
    elif lang == "es":
        what = "leer importes del extracto bancario"
        r = [
            "Ignorar los espacios al principio y al final",
            "El separador decimal es la coma, con al menos una cifra delante",
            (
                f"Miles agrupados opcionalmente con {tn}: primer grupo de 1 a 3 cifras, los demás exactamente 3 "
                f"(`12{t}345{d}50` válido, `1{t}23{d}00` no)"
            )
            if t
            else "No hay separador de miles",
            "Como máximo dos decimales" if p["out"] == "cents" else "Tras la coma, al menos una cifra",
            {
                "minus": "Un signo menos al principio hace el importe negativo",
                "parens": "Un importe entre paréntesis es negativo (`(7,25)`); el signo menos no es válido",
                "trailing": "Los importes negativos llevan el menos al final (`7,25-`); un menos al principio no es "
                "válido",
            }[neg],
            "Texto vacío o solo espacios: devolver None"
            if p["blank"] == "none"
            else "Texto vacío o solo espacios: ValueError",
            "Devolver un int en céntimos"
            if p["out"] == "cents"
            else "Devolver un Decimal con exactamente el valor escrito",
            "Cualquier otra cosa: ValueError",
        ]
    else:
        what = "leggere gli importi dall'estratto conto"
        r = [
            "Ignorare gli spazi all'inizio e alla fine",
            "Il separatore decimale è la virgola, preceduta da almeno una cifra",
            (
                f"Migliaia raggruppate facoltativamente con {tn}: primo gruppo da 1 a 3 cifre, gli altri esattamente 3 "
                f"(`12{t}345{d}50` valido, `1{t}23{d}00` no)"
            )
            if t
            else "Non c'è separatore delle migliaia",
            "Al massimo due decimali" if p["out"] == "cents" else "Dopo la virgola almeno una cifra",
            {
                "minus": "Un segno meno all'inizio rende l'importo negativo",
                "parens": "Un importo tra parentesi è negativo (`(7,25)`); il segno meno non è valido",
                "trailing": "Gli importi negativi hanno il meno alla fine (`7,25-`); un meno all'inizio non è valido",
            }[neg],
            "Testo vuoto o solo spazi: restituire None"
            if p["blank"] == "none"
            else "Testo vuoto o solo spazi: ValueError",
            "Restituire un int in centesimi"
            if p["out"] == "cents"
            else "Restituire un Decimal con esattamente il valore scritto",
            "Tutto il resto: ValueError",
        ]
    return what, r


def amount_other_language(rng: random.Random, mode: str) -> FnTask:
    lang = pick(rng, ("de", "fr", "es", "it"))
    p: dict[str, Any] = {
        "dec": ",",
        "thou": pick(rng, (".", " ", "")),
        "neg": pick(rng, ("minus", "parens", "trailing")),
        "markers": [],
        "out": pick(rng, ("decimal", "cents")),
        "blank": pick(rng, ("error", "none")),
        "placeholders": False,
        "nbsp": False,
        "name": pick(rng, ("parse_amount", "to_cents", "read_amount")),
    }
    if p["out"] == "cents":
        p["name"] = "to_cents"
    elif p["name"] == "to_cents":
        p["name"] = "parse_amount"
    what, r = _amount_text(lang, p)
    reference = parsing._amount_ref(p)
    calls = parsing._amount_inputs(rng, p)
    fn = run_reference(reference, p["name"])
    pairs = example_pairs(fn, calls, 3, lambda c: f"{p['name']}({c.args[0]!r})")
    ret = ("int" if p["out"] == "cents" else "Decimal") + (" | None" if p["blank"] == "none" else "")
    text = _compose(rng, lang, what, f"{p['name']}(text: str) -> {ret}", r, pairs)
    return FnTask("parse_amount", "parsing", p["name"], text, reference, calls, kind=mode, extra_tags=("money",))


# --------------------------------------------------------------------------------------------------
# add_business_days in es / pt / it / de


def business_days_other_language(rng: random.Random, mode: str) -> FnTask:
    lang = pick(rng, ("es", "pt", "it", "de"))
    p: dict[str, Any] = {
        "weekend": (5, 6),
        "negative": rng.random() < 0.5,
        "zero": pick(rng, ("same", "roll")),
        "missing": False,
        "name": pick(rng, ("add_business_days", "add_working_days")),
    }
    neg, zero = p["negative"], p["zero"] == "same"
    text_rules = {
        "es": [
            "Días hábiles: todos menos sábado, domingo y las fechas de `holidays`",
            "Avanzar `days` días hábiles desde `start`; `start` nunca cuenta",
            "Con `days` negativo se retrocede igual" if neg else "`days` negativo lanza ValueError",
            "Con `days == 0` se devuelve `start` tal cual, aunque no sea hábil"
            if zero
            else "Con `days == 0` se devuelve `start` si es hábil; si no, el siguiente día hábil",
            "Devolver un date",
        ],
        "pt": [
            "Dias úteis: todos exceto sábado, domingo e as datas em `holidays`",
            "Avançar `days` dias úteis a partir de `start`; `start` nunca conta",
            "Com `days` negativo recua-se da mesma forma" if neg else "`days` negativo levanta ValueError",
            "Com `days == 0` devolve-se `start` sem alterações, mesmo que não seja dia útil"
            if zero
            else "Com `days == 0` devolve-se `start` se for dia útil; senão, o dia útil seguinte",
            "Devolver um date",
        ],
        "it": [
            "Giorni lavorativi: tutti tranne sabato, domenica e le date in `holidays`",
            "Avanzare di `days` giorni lavorativi da `start`; `start` non conta mai",
            "Con `days` negativo si torna indietro allo stesso modo" if neg else "`days` negativo solleva ValueError",
            "Con `days == 0` si restituisce `start` così com'è, anche se non è lavorativo"
            if zero
            else "Con `days == 0` si restituisce `start` se è lavorativo, altrimenti il giorno lavorativo successivo",
            "Restituire un date",
        ],
        "de": [
            "Werktage sind alle Tage außer Samstag, Sonntag und den Daten in `holidays`",
            "Von `start` aus `days` Werktage weiterzählen; `start` selbst zählt nie",
            "Negative `days` zählen genauso rückwärts" if neg else "Negative `days`: ValueError",
            "`days == 0` gibt `start` unverändert zurück, auch wenn es kein Werktag ist"
            if zero
            else "`days == 0` gibt `start` zurück, wenn es ein Werktag ist, sonst den nächsten Werktag",
            "Rückgabe: ein date",
        ],
    }[lang]
    what = {
        "es": "sumar días hábiles a una fecha",
        "pt": "somar dias úteis a uma data",
        "it": "aggiungere giorni lavorativi a una data",
        "de": "das Addieren von Werktagen",
    }[lang]
    reference = dates._bd_ref(p)
    calls = dates._bd_inputs(rng, p)
    fn = run_reference(reference, p["name"])
    pairs = example_pairs(
        fn,
        calls[6:8],
        2,
        lambda c: (
            f"{p['name']}({c.args[0]!r}, {c.args[1]}, holidays)"
            f"  # holidays: {', '.join(h.isoformat() for h in sorted(c.args[2]) if abs((h - c.args[0]).days) < 9)}"
        ),
    )
    text = _compose(
        rng, lang, what, f"{p['name']}(start: date, days: int, holidays: set[date]) -> date", text_rules, pairs
    )
    return FnTask("add_business_days", "dates", p["name"], text, reference, calls, kind=mode, short=True)


# --------------------------------------------------------------------------------------------------
# split_amount in fr / de / pt


def split_other_language(rng: random.Random, mode: str) -> FnTask:
    lang = pick(rng, ("fr", "de", "pt", "es"))
    p: dict[str, Any] = {
        "unit": "decimal",
        "by": "count",
        "rest": pick(rng, ("first", "last")),
        "negative": rng.random() < 0.5,
        "name": pick(rng, ("split_amount", "split_bill")),
    }
    first = p["rest"] == "first"
    neg = p["negative"]
    text_rules = {
        "fr": [
            "`total` est un Decimal avec au plus deux décimales ; plus de deux décimales lève ValueError",
            "`parts` est le nombre de parts égales ; moins de 1 lève ValueError",
            "La somme des parts doit être exactement `total` : chaque part est d'abord arrondie au centime inférieur",
            "puis les centimes restants sont distribués un par un en commençant par la "
            + ("première part" if first else "DERNIÈRE part et en remontant"),
            "Un total négatif (remboursement) se partage comme sa valeur absolue, puis chaque part est rendue négative"
            if neg
            else "Un total négatif lève ValueError",
            "Renvoyer une liste de Decimal avec exactement deux décimales, dans l'ordre",
        ],
        "de": [
            "`total` ist ein Decimal mit höchstens zwei Nachkommastellen; mehr Stellen: ValueError",
            "`parts` ist die Anzahl gleicher Anteile; weniger als 1: ValueError",
            "Die Anteile müssen genau `total` ergeben: jeder Anteil wird zuerst auf volle Cent abgerundet",
            "danach werden die übrigen Cent einzeln verteilt, beginnend beim "
            + ("ersten Anteil" if first else "LETZTEN Anteil und dann rückwärts"),
            "Ein negativer Betrag (Erstattung) wird wie sein Betrag aufgeteilt, danach wird jeder Anteil negiert"
            if neg
            else "Ein negativer Betrag: ValueError",
            "Rückgabe: Liste von Decimals mit genau zwei Nachkommastellen, in Reihenfolge",
        ],
        "pt": [
            "`total` é um Decimal com no máximo duas casas decimais; mais casas levantam ValueError",
            "`parts` é o número de partes iguais; menos de 1 levanta ValueError",
            "As partes têm de somar exatamente `total`: cada parte é primeiro arredondada para baixo ao cêntimo",
            "depois os cêntimos que sobram são distribuídos um a um, começando pela "
            + ("primeira parte" if first else "ÚLTIMA parte e andando para trás"),
            "Um total negativo (reembolso) divide-se como o seu valor absoluto e depois cada parte fica negativa"
            if neg
            else "Um total negativo levanta ValueError",
            "Devolver uma lista de Decimal com exatamente duas casas decimais, por ordem",
        ],
        "es": [
            "`total` es un Decimal con como mucho dos decimales; más decimales lanzan ValueError",
            "`parts` es el número de partes iguales; menos de 1 lanza ValueError",
            "Las partes deben sumar exactamente `total`: cada parte se redondea primero al céntimo hacia abajo",
            "después los céntimos sobrantes se reparten de uno en uno empezando por la "
            + ("primera parte" if first else "ÚLTIMA parte y yendo hacia atrás"),
            "Un total negativo (reembolso) se reparte como su valor absoluto y luego cada parte se hace negativa"
            if neg
            else "Un total negativo lanza ValueError",
            "Devolver una lista de Decimal con exactamente dos decimales, en orden",
        ],
    }[lang]
    what = {
        "fr": "partager une addition entre plusieurs cartes",
        "de": "das Aufteilen einer Rechnung",
        "pt": "dividir uma conta por vários cartões",
        "es": "repartir un importe entre varias tarjetas",
    }[lang]
    reference = money._split_ref(p)
    calls = money._split_inputs(rng, p)
    fn = run_reference(reference, p["name"])
    pairs = example_pairs(fn, calls[6:], 2, lambda c: f"{p['name']}({c.args[0]!r}, {c.args[1]})")
    text = _compose(rng, lang, what, f"{p['name']}(total: Decimal, parts: int) -> list[Decimal]", text_rules, pairs)
    return FnTask("split_amount", "money", p["name"], text, reference, calls, kind=mode, exact_decimals=True)


# --------------------------------------------------------------------------------------------------
# refund_amount in es / fr / de


def refund_other_language(rng: random.Random, mode: str) -> FnTask:
    lang = pick(rng, ("es", "fr", "de", "it"))
    full = pick(rng, (14, 30))
    p: dict[str, Any] = {
        "full": full,
        "partial": full + pick(rng, (16, 30)),
        "fee": pick(rng, (10, 15, 20)),
        "missing": False,
        "name": pick(rng, ("refund_amount", "return_credit")),
    }
    f, pa, fee = p["full"], p["partial"], p["fee"]
    text_rules = {
        "es": [
            f"Devuelto dentro de los {f} días desde la entrega (día {f} incluido): reembolso completo de `price`",
            f"Días {f + 1} a {pa}: `price` menos una comisión de reposición del {fee}%",
            f"Después del día {pa}: nada (0.00)",
            f"Condición `damaged`: nunca hay comisión; `used`: siempre hay comisión, incluso en los primeros {f} días; "
            "`new` sigue los plazos anteriores",
            "Artículos rebajados (`on_sale=True`): solo se reembolsan dentro del plazo completo; después, 0.00",
            "`returned` anterior a `delivered` o una condición desconocida lanza ValueError",
            "Redondeo half-up a céntimos; devolver un Decimal con dos decimales",
        ],
        "fr": [
            f"Retour dans les {f} jours suivant la livraison (jour {f} inclus) : remboursement complet de `price`",
            f"Jours {f + 1} à {pa} : `price` moins des frais de remise en stock de {fee} %",
            f"Après le jour {pa} : rien (0.00)",
            f"État `damaged` : jamais de frais ; `used` : toujours des frais, même dans les {f} premiers jours ; "
            "`new` suit les délais ci-dessus",
            "Articles soldés (`on_sale=True`) : remboursés seulement pendant le délai complet ; ensuite 0.00",
            "`returned` avant `delivered` ou un état inconnu lève ValueError",
            "Arrondi half-up au centime ; renvoyer un Decimal à deux décimales",
        ],
        "de": [
            f"Rückgabe innerhalb von {f} Tagen nach Lieferung (Tag {f} eingeschlossen): volle Erstattung von `price`",
            f"Tag {f + 1} bis {pa}: `price` abzüglich {fee} % Wiedereinlagerungsgebühr",
            f"Nach Tag {pa}: keine Erstattung (0.00)",
            f"Zustand `damaged`: nie eine Gebühr; `used`: immer die Gebühr, auch in den ersten {f} Tagen; "
            "`new` folgt den Fristen oben",
            "Reduzierte Artikel (`on_sale=True`) nur innerhalb der Frist für volle Erstattung; danach 0.00",
            "`returned` vor `delivered` oder ein unbekannter Zustand: ValueError",
            "Kaufmännisch (half-up) auf Cent runden; Decimal mit zwei Nachkommastellen zurückgeben",
        ],
        "it": [
            f"Reso entro {f} giorni dalla consegna (giorno {f} incluso): rimborso completo di `price`",
            f"Giorni da {f + 1} a {pa}: `price` meno una commissione di rientro del {fee}%",
            f"Dopo il giorno {pa}: niente (0.00)",
            f"Condizione `damaged`: mai commissione; `used`: sempre la commissione, anche nei primi {f} giorni; "
            "`new` segue le finestre sopra",
            "Articoli in saldo (`on_sale=True`): rimborsabili solo entro la finestra completa; dopo, 0.00",
            "`returned` prima di `delivered` o una condizione sconosciuta solleva ValueError",
            "Arrotondamento half-up al centesimo; restituire un Decimal con due decimali",
        ],
    }[lang]
    what = {
        "es": "calcular el reembolso de una devolución",
        "fr": "calculer le remboursement d'un retour",
        "de": "die Erstattung bei Rücksendungen",
        "it": "calcolare il rimborso di un reso",
    }[lang]
    reference = rules_mod._refund_ref(p)
    import datetime as dt

    d0 = dt.date(2025, rng.randint(1, 12), rng.randint(1, 28))
    calls = []
    for days in (0, f, f + 1, pa, pa + 1):
        for cond, sale in (("new", False), ("used", False), ("damaged", False), ("new", True)):
            calls.append(
                Call((Decimal(rng.randint(100, 99999)) / 100, d0, d0 + dt.timedelta(days=days), cond, sale), "windows")
            )
    calls += [
        Call((Decimal("10.00"), d0, d0 - dt.timedelta(days=1), "new", False), "invalid"),
        Call((Decimal("10.00"), d0, d0, "broken", False), "invalid"),
    ]
    halves = (Call((Decimal(c) / 100, d0, d0, "used", False), "half_up") for c in range(1, 5000))
    # the request says half-up: test it where banker's rounding would differ (when no input can, the rule
    # changes no result)
    ties = separating(reference, p["name"], half_even(reference), halves, 2)
    calls += ties
    fn = run_reference(reference, p["name"])
    pairs = example_pairs(fn, calls[4:6], 2, lambda c: f"{p['name']}{c.args!r}")
    sig = f"{p['name']}(price: Decimal, delivered: date, returned: date, condition: str, on_sale: bool) -> Decimal"
    text = _compose(rng, lang, what, sig, text_rules, pairs)
    return FnTask(
        "refund_amount",
        "business_rules",
        p["name"],
        text,
        reference,
        calls,
        kind=mode,
        exact_decimals=True,
        extra_tags=("money",),
    )


MAKERS: tuple[Callable[[random.Random, str], FnTask], ...] = (
    amount_other_language,
    business_days_other_language,
    split_other_language,
    refund_other_language,
)
FAMILIES = [
    Family("parse_amount_i18n", "parsing", amount_other_language, ("other_language",)),
    Family("add_business_days_i18n", "dates", business_days_other_language, ("other_language",)),
    Family("split_amount_i18n", "money", split_other_language, ("other_language",)),
    Family("refund_amount_i18n", "business_rules", refund_other_language, ("other_language",)),
]
