// After-contact work: a disposition code (required) and notes, saved on the contact record with
// Connect's UpdateContactAttributes (DispositionCode, AgentNotes), then the agent is ready again.
// The record keeps them: the supervisor's record details show them as attributes.

import { type FormEvent, useState } from "react";
import { useI18n } from "../../i18n";
import { type DeskContact, DeskError, type LocalDesk, type RuntimeInfo } from "../desk";
import { DISPOSITIONS, dispositionLabel } from "../labels";
import { staffText, type StaffKey } from "../text";

export const NOTES_MAX = 1000;

export function AfterContactWork({ desk, contact, onDone }: { desk: LocalDesk; contact: DeskContact; onDone: () => Promise<void> }) {
  const { lang } = useI18n();
  const s = (key: StaffKey, vars?: Record<string, string | number>) => staffText(lang, key, vars);
  const [code, setCode] = useState(contact.attributes.DispositionCode ?? "");
  const [notes, setNotes] = useState(contact.attributes.AgentNotes ?? "");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [tried, setTried] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (!code) return;
    setBusy(true);
    setError(null);
    try {
      const info: RuntimeInfo = await desk.info();
      await desk.updateContactAttributes(info, contact.initialContactId ?? contact.contactId, { DispositionCode: code, AgentNotes: notes.trim() });
      await onDone();
    } catch (caught) {
      // Nothing is lost: the form keeps what the agent wrote, and the agent stays in after-contact work.
      setError(caught instanceof DeskError || caught instanceof Error ? caught.message : String(caught));
    } finally {
      setBusy(false);
    }
  };

  const missing = tried && !code;
  return (
    <form className="box" onSubmit={submit} noValidate aria-labelledby="acw-title" data-testid="acw-form">
      <h3 className="title is-5" id="acw-title">
        {s("acwTitle")}
      </h3>
      {error && (
        <p className="notification is-danger is-light" role="alert">
          {s("acwSaveFailed", { detail: error })}
        </p>
      )}
      <div className="field">
        <label className="label" htmlFor="disposition">
          {s("disposition")}
        </label>
        <div className="control">
          <div className={`select${missing ? " is-danger" : ""}`}>
            <select id="disposition" value={code} required aria-invalid={missing} aria-describedby={missing ? "disposition-missing" : undefined} onChange={(e) => setCode(e.target.value)}>
              <option value="">{s("chooseDisposition")}</option>
              {DISPOSITIONS.map((d) => (
                <option key={d} value={d}>
                  {dispositionLabel(d, lang)}
                </option>
              ))}
            </select>
          </div>
        </div>
        {missing && (
          <p className="help is-danger" id="disposition-missing">
            {s("dispositionMissing")}
          </p>
        )}
      </div>
      <div className="field">
        <label className="label" htmlFor="agent-notes">
          {s("agentNotes")}
        </label>
        <div className="control">
          <textarea id="agent-notes" className="textarea" rows={3} maxLength={NOTES_MAX} value={notes} onChange={(e) => setNotes(e.target.value)} />
        </div>
        <p className="help">
          {notes.length}/{NOTES_MAX}
        </p>
      </div>
      <button type="submit" className={`button is-link${busy ? " is-loading" : ""}`} disabled={busy}>
        {s("saveAndFinish")}
      </button>
    </form>
  );
}
