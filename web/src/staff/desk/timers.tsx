// Contact timers: offer, talk, hold and after-contact work, counted on the runtime's clock (which
// demos and tests may move), estimated between reads from GET /local/health's offset to the wall clock.

import { useEffect, useRef, useState } from "react";
import { useI18n } from "../../i18n";
import type { AgentView, LocalDesk } from "../desk";
import { staffText } from "../text";

/** 75 → "1:15"; 3725 → "1:02:05". */
export function clockText(seconds: number): string {
  const whole = Math.max(0, Math.floor(seconds));
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = String(whole % 60).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

/** The runtime's "now" in seconds, ticking every second; re-synchronised when `sync` changes. */
export function useRuntimeNow(desk: LocalDesk, sync: unknown): number {
  const [offset, setOffset] = useState(0);
  const [, tick] = useState(0);
  useEffect(() => {
    let stale = false;
    desk.health().then(
      (health) => {
        const offset = health.now - health.time;
        if (!stale && Number.isFinite(offset)) setOffset(offset);
      },
      () => undefined, // the desk's own polling reports an unreachable runtime
    );
    return () => {
      stale = true;
    };
  }, [desk, sync]);
  useEffect(() => {
    const timer = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(timer);
  }, []);
  return Date.now() / 1000 + offset;
}

interface HoldClock {
  contactId: string;
  since: number | null; // on hold since (runtime seconds), null when not on hold
  total: number; // seconds on hold before `since`
}

/** The runtime does not say when a hold began: the desk measures holds from when it saw them. */
function useHoldClock(view: AgentView, now: number): { current: number | null; total: number } {
  const hold = useRef<HoldClock | null>(null);
  const contact = view.contact;
  if (!contact) {
    hold.current = null;
    return { current: null, total: 0 };
  }
  if (hold.current?.contactId !== contact.contactId) hold.current = { contactId: contact.contactId, since: null, total: 0 };
  const clock = hold.current;
  if (contact.onHold && clock.since === null) clock.since = now;
  if (!contact.onHold && clock.since !== null) {
    clock.total += now - clock.since;
    clock.since = null;
  }
  const current = clock.since === null ? null : now - clock.since;
  return { current, total: clock.total + (current ?? 0) };
}

export function ContactTimers({ view, now }: { view: AgentView; now: number }) {
  const { lang } = useI18n();
  const s = (key: Parameters<typeof staffText>[1]) => staffText(lang, key);
  const hold = useHoldClock(view, now);
  const contact = view.contact;
  const rows: { key: string; label: string; value: number }[] = [];
  if (view.state === "Incoming") rows.push({ key: "offer", label: s("timerOffer"), value: now - view.stateSince });
  if (contact?.connectedAt && (view.state === "On contact" || view.state === "After contact work")) {
    // In after-contact work the talk time stops where the work began.
    const end = view.state === "After contact work" ? view.stateSince : now;
    rows.push({ key: "talk", label: s("timerTalk"), value: end - contact.connectedAt });
  }
  if (hold.current !== null || hold.total > 0) rows.push({ key: "hold", label: s(hold.current !== null ? "timerHold" : "timerHoldTotal"), value: hold.current ?? hold.total });
  if (view.state === "After contact work") rows.push({ key: "acw", label: s("timerAcw"), value: now - view.stateSince });
  if (!rows.length) return null;
  return (
    <dl className="contact-timers" data-testid="contact-timers">
      {rows.map((row) => (
        <div key={row.key} className="contact-timer">
          <dt>{row.label}</dt>
          <dd>
            <span role="timer" aria-label={row.label} data-testid={`timer-${row.key}`}>
              {clockText(row.value)}
            </span>
          </dd>
        </div>
      ))}
    </dl>
  );
}
