// "Get a call": department → issue → optional note → language → the verified number → Call me now.
// One Idempotency-Key per distinct request: a double click or a retry of the same form cannot
// place two calls; changing the form makes a new request with a new key.

import { type FormEvent, useEffect, useMemo, useRef, useState } from "react";
import { ApiError, requestCall } from "../api";
import { useClock } from "../clock";
import { CallStatusView, isFinished, useContactStatus } from "../components/CallStatus";
import { SignInGate } from "../components/SignInGate";
import type { SiteConfig } from "../config";
import type { DepartmentHours } from "../hours";
import { isMessageKey, type Translate, useI18n } from "../i18n";
import { Link } from "../router";
import { useSession } from "../session";
import { dayAndTime, duration } from "../time/format";
import { statusAt } from "../time/schedule";

const NOTE_MAX = 500;

function newKey(): string {
  return typeof crypto !== "undefined" && "randomUUID" in crypto ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

/** The customer-facing sentence for an API error, in the UI language. */
export function errorMessage(error: ApiError, t: Translate, retryIn: number | null): string {
  const kind = error.problem.status === 401 ? "unauthorized" : error.kind;
  const key = `error.${kind}`;
  const vars = {
    time: duration((retryIn ?? error.retryAfterSeconds ?? 0) * 1000),
    detail: error.problem.detail || error.problem.title,
    status: error.problem.status,
  };
  return isMessageKey(key) ? t(key, vars) : t("error.default", vars);
}

function Sent({ config, contactId, phoneNumber, onAgain, fetcher }: { config: SiteConfig; contactId: string; phoneNumber: string; onAgain: () => void; fetcher: typeof fetch }) {
  const { t } = useI18n();
  const session = useSession();
  const status = useContactStatus(config.apiBase, session.idToken, contactId, fetcher);
  // After "Call me now" the form is gone: focus goes to the status, which a screen reader reads.
  const statusRef = useRef<HTMLDivElement>(null);
  useEffect(() => statusRef.current?.focus(), []);
  return (
    <>
      <CallStatusView status={status} contactId={contactId} phoneNumber={phoneNumber} statusRef={statusRef} />
      {/* Another call only once this one is over: two live calls to one phone help nobody. */}
      {isFinished(status) && (
        <button type="button" className="button" onClick={onAgain}>
          {t("newRequest")}
        </button>
      )}
    </>
  );
}

type GetCallProps = { config: SiteConfig; hours: Record<string, DepartmentHours>; now: number; zone: string; fetcher?: typeof fetch };

export function GetCall(props: GetCallProps) {
  return (
    // The return address keeps ?department=…: a preset survives the trip to the sign-in page.
    <SignInGate title="callTitle" prompt="signInToCall" returnTo={`/call${window.location.search}`}>
      <CallForm {...props} />
    </SignInGate>
  );
}

function CallForm({ config, hours, now, zone, fetcher = fetch }: GetCallProps) {
  const { lang, t } = useI18n();
  const session = useSession();
  const clock = useClock();
  const preset = new URLSearchParams(window.location.search).get("department");
  const [department, setDepartment] = useState(config.departments.find((d) => d.id === preset)?.id ?? config.departments[0]?.id ?? "");
  const [issue, setIssue] = useState("");
  const [note, setNote] = useState("");
  const [callLanguage, setCallLanguage] = useState<"en-US" | "es-US">(lang === "es" ? "es-US" : "en-US");
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [retryUntil, setRetryUntil] = useState<number | null>(null);
  const [contactId, setContactId] = useState<string | null>(null);
  const key = useRef(newKey());
  const pending = useRef(false);
  const errorRef = useRef<HTMLDivElement>(null);

  const chosen = config.departments.find((d) => d.id === department);
  const requestShape = useMemo(() => JSON.stringify([department, issue, note, callLanguage]), [department, issue, note, callLanguage]);
  useEffect(() => {
    key.current = newKey();
  }, [requestShape]);
  useEffect(() => {
    if (error) errorRef.current?.focus();
  }, [error]);

  const schedule = chosen ? hours[chosen.id]?.hours : null;
  const status = schedule ? statusAt(schedule, now) : null;
  const closed = status !== null && !status.isOpen;
  const waiting = retryUntil !== null && retryUntil > now;
  const retryIn = waiting ? Math.ceil((retryUntil - now) / 1000) : null;

  if (contactId) {
    return (
      <>
        <h1 className="title" tabIndex={-1}>
          {t("callTitle")}
        </h1>
        <Sent config={config} contactId={contactId} phoneNumber={session.phoneNumber ?? ""} onAgain={() => setContactId(null)} fetcher={fetcher} />
      </>
    );
  }

  const submit = async (event: FormEvent, callWhenOpen = false) => {
    event.preventDefault();
    if (pending.current || !chosen || !issue || !session.idToken || !session.phoneNumber) return;
    pending.current = true; // set synchronously: a second click in the same tick is ignored
    setSubmitting(true);
    setError(null);
    try {
      const answer = await requestCall(
        config.apiBase,
        session.idToken,
        key.current,
        {
          destinationPhoneNumber: session.phoneNumber,
          contactFlowId: config.webIngressContactFlowId,
          attributes: { department: chosen.id, issue, language: callLanguage, ...(note.trim() ? { note: note.trim() } : {}) },
          ...(callWhenOpen ? { callWhenOpen: true } : {}),
        },
        fetcher,
      );
      key.current = newKey();
      setContactId(answer.contactId);
    } catch (caught) {
      const problem = caught instanceof ApiError ? caught : new ApiError({ type: "network", title: String(caught), status: 0 }, null);
      setError(problem);
      setRetryUntil(problem.retryAfterSeconds ? clock.now() + problem.retryAfterSeconds * 1000 : null);
    } finally {
      pending.current = false;
      setSubmitting(false);
    }
  };

  const needsVerification = !session.phoneNumber || !session.phoneVerified;
  return (
    <>
      <h1 className="title" tabIndex={-1}>
        {t("callTitle")}
      </h1>
      <p className="subtitle">{t("callIntro")}</p>
      {error && (
        <div className="notification is-danger is-light" role="alert" tabIndex={-1} ref={errorRef} data-testid="call-error">
          <p>
            <strong>{t("errorTitle")}</strong>
          </p>
          <p>{error.retryAfterSeconds && !waiting ? t("retryNow") : errorMessage(error, t, retryIn)}</p>
          {error.problem.status === 401 && (
            <button type="button" className="button is-small mt-2" onClick={() => session.signIn(`/call${window.location.search}`)}>
              {t("signIn")}
            </button>
          )}
        </div>
      )}
      <form onSubmit={submit} noValidate className="box call-form">
        <fieldset className="field">
          <legend className="label">{t("department")}</legend>
          <div className="control radio-list">
            {config.departments.map((d) => (
              <label className="radio" key={d.id}>
                <input
                  type="radio"
                  name="department"
                  value={d.id}
                  checked={department === d.id}
                  onChange={() => {
                    setDepartment(d.id);
                    setIssue("");
                  }}
                />{" "}
                {d.label[lang]}
              </label>
            ))}
          </div>
        </fieldset>
        <div className="field">
          <label className="label" htmlFor="issue">
            {t("issue")}
          </label>
          <div className="control">
            <div className="select is-fullwidth">
              <select id="issue" value={issue} required onChange={(e) => setIssue(e.target.value)}>
                <option value="">{t("chooseIssue")}</option>
                {chosen?.issues.map((i) => (
                  <option key={i.id} value={i.id}>
                    {i.label[lang]}
                  </option>
                ))}
              </select>
            </div>
          </div>
        </div>
        <div className="field">
          <label className="label" htmlFor="note">
            {t("noteLabel")}
          </label>
          <div className="control">
            <textarea id="note" className="textarea" rows={3} maxLength={NOTE_MAX} value={note} aria-describedby="note-hint" onChange={(e) => setNote(e.target.value)} />
          </div>
          <p className="help" id="note-hint">
            {t("noteHint", { max: NOTE_MAX })} ({note.length}/{NOTE_MAX})
          </p>
        </div>
        <fieldset className="field">
          <legend className="label">{t("callLanguage")}</legend>
          <div className="control radio-list">
            <label className="radio">
              <input type="radio" name="language" value="en-US" checked={callLanguage === "en-US"} onChange={() => setCallLanguage("en-US")} /> <span lang="en">{t("english")}</span>
            </label>
            <label className="radio">
              <input type="radio" name="language" value="es-US" checked={callLanguage === "es-US"} onChange={() => setCallLanguage("es-US")} /> <span lang="es">{t("spanish")}</span>
            </label>
          </div>
        </fieldset>
        <div className="field">
          <label className="label" htmlFor="phone">
            {t("yourNumber")}
          </label>
          <div className="control">
            <input id="phone" className="input" type="tel" readOnly value={session.phoneNumber && session.phoneVerified ? session.phoneNumber : ""} />
          </div>
          {needsVerification && (
            <p className="help is-danger">
              {t("noVerifiedNumber")} <Link href="/verify">{t("verifyNow")}</Link>
            </p>
          )}
        </div>
        {closed && chosen && (
          <p className="notification is-warning is-light" data-testid="closed-notice">
            {status?.nextOpen
              ? t("closedNow", { department: chosen.label[lang], when: dayAndTime(status.nextOpen, lang, zone), time: duration(status.nextOpen - now) })
              : t("noOpening")}
          </p>
        )}
        {waiting && <p className="help">{t("retryIn", { time: duration((retryIn ?? 0) * 1000) })}</p>}
        <div className="field">
          <div className="control">
            <button type="submit" className={`button is-link is-medium${submitting ? " is-loading" : ""}`} disabled={submitting || closed || needsVerification || waiting || !issue} aria-describedby={!issue ? "choose-hint" : undefined}>
              {submitting ? t("calling") : t("callMe")}
            </button>
          </div>
          {closed && chosen && status?.nextOpen ? (
            <div className="control mt-3">
              <button
                type="button"
                className={`button is-link is-light${submitting ? " is-loading" : ""}`}
                disabled={submitting || needsVerification || waiting || !issue}
                aria-describedby="call-when-open-hint"
                onClick={(event) => void submit(event, true)}
              >
                {t("callWhenOpen")}
              </button>
              <p className="help" id="call-when-open-hint">
                {t("callWhenOpenHint", { department: chosen.label[lang] })}
              </p>
            </div>
          ) : null}
          {!issue && (
            <p className="help" id="choose-hint">
              {t("chooseDepartmentIssue")}
            </p>
          )}
        </div>
      </form>
    </>
  );
}
