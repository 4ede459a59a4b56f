import type { SiteConfig } from "../config";
import { useI18n } from "../i18n";
import { type DeskContact, verifiedBy } from "./desk";
import { languageLabel, methodLabel, outcomeLabel } from "./labels";
import { staffText, type StaffKey } from "./text";

/** The customer record popped for a contact: who, VIP, verified, issue, language, history. */
export function ScreenPop({ contact, config }: { contact: DeskContact; config: SiteConfig }) {
  const { lang } = useI18n();
  const s = (key: StaffKey) => staffText(lang, key);
  const pop = contact.screenPop;
  // The runtime says how (verifiedBy); else read the attributes; a bare `verified` is the website's.
  const how = pop.verifiedBy ?? verifiedBy(contact.attributes) ?? (pop.verified === "true" ? "website" : null);
  // The lookup's FirstName/LastName, else the name the API put on a website call (CustomerName).
  const name = [pop.firstName, pop.lastName].filter(Boolean).join(" ") || contact.attributes.CustomerName || s("unknownCustomer");
  const department = config.departments.find((d) => d.id === contact.attributes.department);
  const issue = department?.issues.find((i) => i.id === pop.issue);
  const issueText = [department?.label[lang] ?? contact.attributes.department, issue?.label[lang] ?? pop.issue].filter(Boolean).join(" / ") || "—";
  const when = (epoch: number) => new Intl.DateTimeFormat(lang === "es" ? "es-US" : "en-US", { dateStyle: "medium", timeStyle: "short" }).format(epoch * 1000);
  return (
    <section className="box screen-pop" aria-labelledby="pop-name" data-testid="screen-pop">
      <h3 className="title is-4" id="pop-name">
        {name}{" "}
        {pop.vip === "true" && <span className="tag is-warning">{s("vip")}</span>}{" "}
        <span className={`tag ${how ? "is-success" : "is-light"}`} data-testid="verified">
          {how === "pin"
            ? s("verifiedPin")
            : how === "code"
              ? s("verifiedCode")
              : how === "website"
                ? s("verified")
                : s("notVerified")}
        </span>
      </h3>
      <dl className="pop-fields">
        <dt>{s("customer")}</dt>
        <dd>{pop.phoneNumber ?? contact.customerNumber}</dd>
        <dt>{s("issue")}</dt>
        <dd>{issueText}</dd>
        <dt>{s("language")}</dt>
        <dd>{languageLabel(pop.language, lang)}</dd>
        <dt>{s("queue")}</dt>
        <dd>{contact.queueName ?? "—"}</dd>
        <dt>{s("method")}</dt>
        <dd>{methodLabel(contact.initiationMethod, lang)}</dd>
        {contact.attributes.note && (
          <>
            <dt>{s("comment")}</dt>
            <dd>{contact.attributes.note}</dd>
          </>
        )}
      </dl>
      <h4 className="title is-6">{s("history")}</h4>
      {pop.previousContacts.length ? (
        <table className="table is-narrow is-fullwidth">
          <thead>
            <tr>
              <th scope="col">{s("when")}</th>
              <th scope="col">{s("method")}</th>
              <th scope="col">{s("agent")}</th>
              <th scope="col">{s("outcome")}</th>
            </tr>
          </thead>
          <tbody>
            {pop.previousContacts.map((c) => (
              <tr key={c.contactId}>
                <td>{when(c.initiatedAt)}</td>
                <td>{methodLabel(c.initiationMethod, lang)}</td>
                <td>{c.agent ?? "—"}</td>
                <td>{outcomeLabel(c.disconnectReason, lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>{s("noHistory")}</p>
      )}
    </section>
  );
}
