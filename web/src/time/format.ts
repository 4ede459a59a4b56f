// How times and durations read for the customer, in their language and their own zone.

export type Lang = "en" | "es";

const cache = new Map<string, Intl.DateTimeFormat>();

function formatter(lang: Lang, zone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${lang}|${zone}|${JSON.stringify(options)}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(lang === "es" ? "es-US" : "en-US", { timeZone: zone, ...options });
    cache.set(key, f);
  }
  return f;
}

export function clockTime(instant: number, lang: Lang, zone: string): string {
  return formatter(lang, zone, { hour: "numeric", minute: "2-digit" }).format(instant);
}

export function dayAndTime(instant: number, lang: Lang, zone: string): string {
  return formatter(lang, zone, { weekday: "long", hour: "numeric", minute: "2-digit" }).format(instant);
}

export function dayLabel(instant: number, lang: Lang, zone: string): string {
  return formatter(lang, zone, { weekday: "long", month: "short", day: "numeric" }).format(instant);
}

/** "Eastern Time" / "hora del este" style name of a zone, falling back to its id. */
export function zoneName(zone: string, lang: Lang, instant: number): string {
  const part = formatter(lang, zone, { timeZoneName: "long" })
    .formatToParts(instant)
    .find((p) => p.type === "timeZoneName");
  return part ? part.value : zone;
}

/** "2 h 10 min", "5 min 03 s", "1 d 4 h": coarse when far, to the second when close. */
export function duration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const days = Math.floor(total / 86400);
  const hours = Math.floor((total % 86400) / 3600);
  const mins = Math.floor((total % 3600) / 60);
  const secs = total % 60;
  if (days > 0) return `${days} d ${hours} h`;
  if (hours > 0) return `${hours} h ${mins} min`;
  if (mins >= 10) return `${mins} min`;
  return `${mins} min ${String(secs).padStart(2, "0")} s`;
}

/** The day offset of `instant` relative to `reference` in `zone` ("+1" for past midnight). */
export function daysAfter(instant: number, reference: number, zone: string): number {
  const day = (t: number) => {
    const [m, d, y] = formatter("en", zone, { year: "numeric", month: "numeric", day: "numeric" })
      .format(t)
      .split("/")
      .map(Number);
    return Date.UTC(y, m - 1, d) / 86400000;
  };
  return day(instant) - day(reference);
}
