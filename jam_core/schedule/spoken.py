"""An instant said the way a caller hears it: "tomorrow at 8:00 AM Eastern time".

English and US Spanish, relative to now in the hours' own time zone: "today" / "tomorrow", the
weekday within the coming week, the date beyond it. The zone is named (Eastern, Central, ...)
because callers are not necessarily in the center's time zone.
"""

from __future__ import annotations

from datetime import datetime

LANGUAGES = ("en-US", "es-US")

_WEEKDAYS = {
    "en-US": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "es-US": ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
}
_MONTHS = {
    "en-US": (
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ),
    "es-US": (
        "enero", "febrero", "marzo", "abril", "mayo", "junio",
        "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre",
    ),
}  # fmt: skip
# US and territories' zones by their spoken name; any other zone is named after its city.
_ZONE_NAMES = {
    "America/New_York": ("Eastern time", "hora del Este"),
    "America/Detroit": ("Eastern time", "hora del Este"),
    "America/Indiana/Indianapolis": ("Eastern time", "hora del Este"),
    "America/Kentucky/Louisville": ("Eastern time", "hora del Este"),
    "US/Eastern": ("Eastern time", "hora del Este"),
    "America/Chicago": ("Central time", "hora del Centro"),
    "US/Central": ("Central time", "hora del Centro"),
    "America/Denver": ("Mountain time", "hora de la Montaña"),
    "America/Phoenix": ("Mountain time", "hora de la Montaña"),
    "America/Boise": ("Mountain time", "hora de la Montaña"),
    "US/Mountain": ("Mountain time", "hora de la Montaña"),
    "America/Los_Angeles": ("Pacific time", "hora del Pacífico"),
    "US/Pacific": ("Pacific time", "hora del Pacífico"),
    "America/Anchorage": ("Alaska time", "hora de Alaska"),
    "Pacific/Honolulu": ("Hawaii time", "hora de Hawái"),
    "America/Puerto_Rico": ("Atlantic time", "hora del Atlántico"),
}


def language_of(code: str) -> str:
    """en-US or es-US for a contact's language code (any Spanish is es-US; anything else English)."""
    return "es-US" if code.strip().lower().startswith("es") else "en-US"


def zone_name(key: str, language: str) -> str:
    names = _ZONE_NAMES.get(key)
    if names is not None:
        return names[0] if language == "en-US" else names[1]
    city = key.rsplit("/", 1)[-1].replace("_", " ")
    return f"{city} time" if language == "en-US" else f"hora de {city}"


def clock_time(moment: datetime, language: str) -> str:
    """8:00 AM / 8:00 a. m. (12-hour clock, as US callers say it in either language)."""
    hour = moment.hour % 12 or 12
    if language == "en-US":
        return f"{hour}:{moment.minute:02d} {'AM' if moment.hour < 12 else 'PM'}"
    return f"{hour}:{moment.minute:02d} {'a. m.' if moment.hour < 12 else 'p. m.'}"


def day_phrase(moment: datetime, now: datetime, language: str) -> str:
    """today / tomorrow / Monday / Monday, January 12 (and their Spanish), both in moment's zone."""
    days = (moment.date() - now.astimezone(moment.tzinfo).date()).days
    english = language == "en-US"
    if days <= 0:
        return "today" if english else "hoy"
    if days == 1:
        return "tomorrow" if english else "mañana"
    weekday = _WEEKDAYS[language][moment.weekday()]
    if days < 7:
        return weekday if english else f"el {weekday}"
    month = _MONTHS[language][moment.month - 1]
    return f"{weekday}, {month} {moment.day}" if english else f"el {weekday} {moment.day} de {month}"


def next_opening(moment: datetime, now: datetime, zone_key: str, language: str) -> str:
    """ "tomorrow at 8:00 AM Eastern time" / "mañana a las 8:00 a. m., hora del Este"."""
    language = language_of(language)
    day = day_phrase(moment, now, language)
    clock = clock_time(moment, language)
    if language == "en-US":
        return f"{day} at {clock} {zone_name(zone_key, language)}"
    article = "a la" if moment.hour % 12 == 1 else "a las"  # "a la 1:00 p. m.", "a las 2:00 p. m."
    return f"{day} {article} {clock}, {zone_name(zone_key, language)}"
