// The agent desktop on the local runtime: state, offers with the screen pop, the contact's
// controls. It follows the agent's event channel (long poll) and re-reads the agent view on
// every event, so what it shows is always the runtime's state, never a guess.

import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { SiteConfig } from "../config";
import { useI18n } from "../i18n";
import { useSession } from "../session";
import { embedCcp } from "./ccp";
import { type AgentView, type DeskContact, DeskError, LocalDesk } from "./desk";
import { AfterContactWork } from "./desk/AfterContactWork";
import { useRing } from "./desk/ring";
import { ContactTimers, useRuntimeNow } from "./desk/timers";
import { agentStateLabel } from "./labels";
import { ScreenPop } from "./ScreenPop";
import { staffText, type StaffKey } from "./text";

function useAgent(desk: LocalDesk | null, username: string) {
  const [view, setView] = useState<AgentView | null>(null);
  const [error, setError] = useState<DeskError | null>(null);
  useEffect(() => {
    if (!desk || !username) return;
    const abort = new AbortController();
    let after = 0;
    const follow = async () => {
      while (!abort.signal.aborted) {
        try {
          const current = await desk.agent(username);
          setView(current);
          setError(null);
          after = Math.max(after, current.last);
          await desk.events(username, after, 25, abort.signal);
        } catch (caught) {
          if (abort.signal.aborted) return;
          setError(caught instanceof DeskError ? caught : new DeskError(0, "network", String(caught)));
          await new Promise((resolve) => setTimeout(resolve, 2000));
        }
      }
    };
    void follow();
    return () => abort.abort();
  }, [desk, username]);
  return { view, setView, error, setError };
}

/** Presence: heartbeats while the desk is open, sign-out when the page goes away (sign-out, tab closed). */
const HEARTBEAT_MS = 10_000;
function useDeskPresence(desk: LocalDesk | null, username: string) {
  useEffect(() => {
    if (!desk || !username) return;
    const beat = () => void desk.heartbeat(username).catch(() => undefined);
    beat();
    const timer = setInterval(beat, HEARTBEAT_MS);
    const leave = () => desk.signOutBeacon(username);
    window.addEventListener("pagehide", leave);
    return () => {
      clearInterval(timer);
      window.removeEventListener("pagehide", leave);
    };
  }, [desk, username]);
}

/** While connected: pick another queue (names from the runtime's queue list) and transfer to it. */
function TransferForm({ desk, contact, busy, onTransfer }: { desk: LocalDesk; contact: DeskContact; busy: boolean; onTransfer: (queue: { id: string; name: string }) => void }) {
  const { lang } = useI18n();
  const s = (key: StaffKey, vars?: Record<string, string | number>) => staffText(lang, key, vars);
  const [queues, setQueues] = useState<{ id: string; name: string }[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [choice, setChoice] = useState("");
  useEffect(() => {
    let stale = false;
    desk.queues().then(
      (answer) => {
        if (!stale) setQueues(answer.queues.map(({ id, name }) => ({ id, name })));
      },
      (caught: unknown) => {
        if (!stale) setLoadError(caught instanceof DeskError ? caught.message : String(caught));
      },
    );
    return () => {
      stale = true;
    };
  }, [desk, contact.contactId]);
  const others = (queues ?? []).filter((q) => q.id !== contact.queueId);
  const chosen = others.find((q) => q.id === choice);
  return (
    <form
      className="box"
      onSubmit={(event) => {
        event.preventDefault();
        if (chosen) onTransfer(chosen);
      }}
    >
      <label className="label" htmlFor="transfer-queue">
        {s("transferTitle")}
      </label>
      {loadError ? (
        <p className="notification is-danger is-light" role="alert">
          {s("queuesFailed", { detail: loadError })}
        </p>
      ) : queues && others.length === 0 ? (
        <p>{s("noOtherQueue")}</p>
      ) : (
        <div className="field has-addons">
          <div className="control">
            <div className="select">
              <select id="transfer-queue" value={choice} disabled={!queues} onChange={(event) => setChoice(event.target.value)}>
                <option value="">{s("chooseQueue")}</option>
                {others.map((q) => (
                  <option key={q.id} value={q.id}>
                    {q.name}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <div className="control">
            <button type="submit" className="button is-warning" disabled={busy || !chosen}>
              {s("transfer")}
            </button>
          </div>
        </div>
      )}
    </form>
  );
}

/** Outbound: the agent dials a number (E.164); the runtime rings that phone with an OUTBOUND contact. */
function DialForm({ busy, onDial }: { busy: boolean; onDial: (number: string) => void }) {
  const { lang } = useI18n();
  const s = (key: StaffKey) => staffText(lang, key);
  const [number, setNumber] = useState("");
  return (
    <form
      className="mt-4"
      onSubmit={(event) => {
        event.preventDefault();
        if (number.trim()) onDial(number.trim());
      }}
    >
      <label className="label" htmlFor="dial-number">
        {s("dialTitle")}
      </label>
      <div className="field has-addons">
        <div className="control is-expanded">
          <input id="dial-number" className="input" type="tel" inputMode="tel" autoComplete="off" value={number} aria-describedby="dial-help" onChange={(event) => setNumber(event.target.value)} />
        </div>
        <div className="control">
          <button type="submit" className="button is-success" disabled={busy || !number.trim()}>
            {s("dial")}
          </button>
        </div>
      </div>
      <p className="help" id="dial-help">
        {s("dialHelp")}
      </p>
    </form>
  );
}

/** The contact's timers on the runtime's clock (re-read whenever the agent's view changes). */
function DeskTimers({ desk, view }: { desk: LocalDesk; view: AgentView }) {
  const now = useRuntimeNow(desk, view.last);
  return <ContactTimers view={view} now={now} />;
}

/** AWS: the Amazon Connect CCP (calls, state, controls) beside our screen pop. */
function CcpDesktop({ config, ccpUrl }: { config: SiteConfig; ccpUrl: string }) {
  const { lang } = useI18n();
  const container = useRef<HTMLDivElement>(null);
  const [contact, setContact] = useState<DeskContact | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (container.current) embedCcp(container.current, ccpUrl, setContact).catch((e: unknown) => setError(String(e)));
  }, [ccpUrl]);
  return (
    <div className="columns">
      <div className="column is-two-fifths">
        <div ref={container} className="ccp" title="Amazon Connect CCP" />
        {error && (
          <p className="notification is-danger is-light" role="alert">
            {staffText(lang, "error", { detail: error })}
          </p>
        )}
      </div>
      <div className="column" role="status" aria-live="polite">
        {contact ? <ScreenPop contact={contact} config={config} /> : <p>{staffText(lang, "noContact")}</p>}
      </div>
    </div>
  );
}

export default function AgentDesktop({ config, fetcher }: { config: SiteConfig; fetcher?: typeof fetch }) {
  const { lang } = useI18n();
  const s = (key: StaffKey, vars?: Record<string, string | number>) => staffText(lang, key, vars);
  const session = useSession();
  const desk = useMemo(() => (config.localRuntime ? new LocalDesk(config.localRuntime, fetcher) : null), [config.localRuntime, fetcher]);
  const isStaff = session.groups.includes("agent") || session.groups.includes("supervisor");
  const { view, setView, error, setError } = useAgent(isStaff ? desk : null, session.username);
  useDeskPresence(isStaff ? desk : null, session.username);
  const [busy, setBusy] = useState(false);
  // The last transfer of this desk: where the contact went, or why it did not go.
  const [transfer, setTransfer] = useState<{ contactId: string; queue: string; error: DeskError | null } | null>(null);
  const [sound, setSound] = useState(() => localStorage.getItem("ringSound") !== "off");
  const ringing = view?.state === "Incoming" && Boolean(view.contact);
  useRing(ringing, sound);
  // The tab's title rings too, for an agent looking at another window.
  useEffect(() => {
    if (!ringing) return;
    const before = document.title;
    document.title = `${s("incoming")} · ${before}`;
    return () => {
      document.title = before;
    };
  }, [ringing]);

  const run = useCallback(
    async (work: () => Promise<AgentView>) => {
      setBusy(true);
      try {
        setView(await work());
        setError(null);
      } catch (caught) {
        setError(caught instanceof DeskError ? caught : new DeskError(0, "network", String(caught)));
      } finally {
        setBusy(false);
      }
    },
    [setView, setError],
  );

  const transferTo = useCallback(
    async (contactId: string, queue: { id: string; name: string }) => {
      if (!desk) return;
      setBusy(true);
      setTransfer(null);
      try {
        setView(await desk.transfer(session.username, contactId, queue.id));
        setTransfer({ contactId, queue: queue.name, error: null });
      } catch (caught) {
        setTransfer({ contactId, queue: queue.name, error: caught instanceof DeskError ? caught : new DeskError(0, "network", String(caught)) });
      } finally {
        setBusy(false);
      }
    },
    [desk, session.username, setView],
  );

  const heading = (
    <h1 className="title" tabIndex={-1}>
      {s("agentTitle")}
    </h1>
  );
  if (!session.signedIn || !isStaff) {
    return (
      <>
        {heading}
        <p>{s("notAgent")}</p>
      </>
    );
  }
  if (!desk) {
    return (
      <>
        {heading}
        {config.ccpUrl ? <CcpDesktop config={config} ccpUrl={config.ccpUrl} /> : <p className="notification is-warning is-light">{s("awsCcp")}</p>}
      </>
    );
  }

  const username = session.username;
  const contact = view?.contact ?? null;
  const toggleSound = (on: boolean) => {
    setSound(on);
    localStorage.setItem("ringSound", on ? "on" : "off");
  };
  const lastTransfer = transfer && contact && transfer.contactId === contact.contactId ? transfer : null;
  return (
    <>
      {heading}
      {error && (
        <p className="notification is-danger is-light" role="alert">
          {error.status === 404 ? s("unknownAgent", { username, detail: error.message }) : s("error", { detail: error.message })}
        </p>
      )}
      {view && (
        <div className="columns">
          <div className="column is-one-third">
            <section className="box" aria-labelledby="agent-state">
              <h2 className="title is-5" id="agent-state">
                {view.name}
              </h2>
              <p>
                {s("state")}: <strong data-testid="agent-state">{agentStateLabel(view.state, lang)}</strong>
              </p>
              {view.stateDetail && (view.state === "Missed" || view.state === "Offline") && (
                <p className="notification is-warning is-light mt-2" data-testid="agent-state-detail">
                  {view.stateDetail}
                </p>
              )}
              <div className="buttons mt-3">
                {(view.state === "Offline" || view.state === "Missed") && (
                  <button type="button" className="button is-success" disabled={busy} onClick={() => run(() => desk.setState(username, "Available"))}>
                    {s("goAvailable")}
                  </button>
                )}
                {view.state === "Available" && (
                  <button type="button" className="button" disabled={busy} onClick={() => run(() => desk.setState(username, "Offline"))}>
                    {s("goOffline")}
                  </button>
                )}
              </div>
              {["Available", "Offline", "Missed", "After contact work"].includes(view.state) && <DialForm busy={busy} onDial={(number) => void run(() => desk.dial(username, number))} />}
              <label className="checkbox mt-3">
                <input type="checkbox" checked={sound} onChange={(e) => toggleSound(e.target.checked)} /> {s("ringSound")}
              </label>
              <h3 className="title is-6 mt-3">{s("yourQueues")}</h3>
              <ul>
                {view.queues.map((q) => (
                  <li key={q.id}>{q.name}</li>
                ))}
              </ul>
            </section>
          </div>
          <div className="column">
            <div role="status" aria-live="assertive" className={`contact-banner${ringing ? " is-ringing" : ""}`} data-testid="contact-banner" data-ringing={ringing ? "true" : "false"}>
              {contact && view.state === "Incoming" && (
                <h2 className="title is-4">
                  <svg className="ring-bell" aria-hidden="true" viewBox="0 0 24 24" width="28" height="28">
                    <path fill="currentColor" d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1Z" />
                  </svg>{" "}
                  {s("incoming")}
                </h2>
              )}
              {contact && view.state === "On contact" && <h2 className="title is-4">{s("onContact")}</h2>}
              {view.state === "After contact work" && <h2 className="title is-4">{s("acw")}</h2>}
              {view.state === "After contact work" && lastTransfer && !lastTransfer.error && <p className="notification is-info is-light">{s("transferred", { queue: lastTransfer.queue })}</p>}
            </div>
            <DeskTimers desk={desk} view={view} />
            {lastTransfer?.error && (
              <p className="notification is-danger is-light" role="alert">
                {s("transferFailed", { queue: lastTransfer.queue, detail: lastTransfer.error.message })}
              </p>
            )}
            {view.state === "After contact work" &&
              (contact ? (
                <AfterContactWork key={contact.contactId} desk={desk} contact={contact} onDone={() => run(() => desk.completeAfterContactWork(username))} />
              ) : (
                <button type="button" className="button is-link" disabled={busy} onClick={() => run(() => desk.completeAfterContactWork(username))}>
                  {s("completeAcw")}
                </button>
              ))}
            {contact ? (
              <>
                <div className="buttons">
                  {view.state === "Incoming" && (
                    <>
                      <button type="button" className="button is-success is-medium" disabled={busy} onClick={() => run(() => desk.act(username, contact.contactId, "accept"))}>
                        {s("accept")}
                      </button>
                      <button type="button" className="button is-danger is-medium" disabled={busy} onClick={() => run(() => desk.act(username, contact.contactId, "reject"))}>
                        {s("reject")}
                      </button>
                    </>
                  )}
                  {view.state === "On contact" && (
                    <>
                      <button type="button" className="button" disabled={busy} onClick={() => run(() => desk.act(username, contact.contactId, contact.onHold ? "resume" : "hold"))}>
                        {contact.onHold ? s("resume") : s("hold")}
                      </button>
                      <button type="button" className="button is-danger" disabled={busy} onClick={() => run(() => desk.act(username, contact.contactId, "end"))}>
                        {s("end")}
                      </button>
                    </>
                  )}
                </div>
                {view.state === "On contact" && <TransferForm desk={desk} contact={contact} busy={busy} onTransfer={(queue) => void transferTo(contact.contactId, queue)} />}
                <ScreenPop contact={contact} config={config} />
              </>
            ) : view.state === "After contact work" ? null : (
              <p>{s("noContact")}</p>
            )}
            {view.state === "After contact work" && contact && (
              <div className="buttons mt-2">
                <button type="button" className="button is-success is-light" disabled={busy} onClick={() => run(() => desk.dial(username, contact.customerNumber))}>
                  {s("callBack", { number: contact.customerNumber })}
                </button>
              </div>
            )}
          </div>
        </div>
      )}
    </>
  );
}
