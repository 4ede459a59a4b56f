import { lazy, Suspense, useEffect, useRef, useState } from "react";
import type { SiteConfig } from "./config";
import { useAllHours } from "./hours";
import { type MessageKey, savedLang, type Translate, useI18n } from "./i18n";
import { GetCall } from "./pages/GetCall";
import { Home } from "./pages/Home";
import { VerifyPhone } from "./pages/VerifyPhone";
import { Link, useRoute } from "./router";
import { useSession } from "./session";
import { useNow } from "./clock";
import { browserZone } from "./time/zoned";

// Staff pages are their own chunks: customers never download them.
const AgentDesktop = lazy(() => import("./staff/AgentDesktop"));
const Supervisor = lazy(() => import("./staff/Supervisor"));

function Nav() {
  const { lang, setLang, t } = useI18n();
  const session = useSession();
  const { path } = useRoute();
  // Below Bulma's desktop breakpoint the links fold into a menu behind the burger button.
  const [open, setOpen] = useState(false);
  useEffect(() => setOpen(false), [path]);
  const staff = session.groups.includes("agent") || session.groups.includes("supervisor");
  const link = (href: string, label: string) => (
    <Link className={`navbar-item${path === href ? " is-active" : ""}`} href={href} aria-current={path === href ? "page" : undefined}>
      {label}
    </Link>
  );
  return (
    <nav className="navbar is-dark" aria-label="main">
      <div className="navbar-brand">
        <Link className="navbar-item brand" href="/">
          {t("brand")}
        </Link>
        {/* The language switch sits outside the folding menu: it stays visible on every screen. */}
        <div className="navbar-item language-switch">
          <button type="button" className="button is-small is-light" lang={lang === "en" ? "es" : "en"} aria-label={t("otherLanguageLabel")} onClick={() => setLang(lang === "en" ? "es" : "en")}>
            {t("otherLanguage")}
          </button>
        </div>
        <button type="button" className={`navbar-burger${open ? " is-active" : ""}`} aria-label={t("menu")} aria-expanded={open} aria-controls="main-menu" onClick={() => setOpen(!open)}>
          <span aria-hidden="true" />
          <span aria-hidden="true" />
          <span aria-hidden="true" />
          <span aria-hidden="true" />
        </button>
      </div>
      <div id="main-menu" className={`navbar-menu${open ? " is-active" : ""}`}>
        <div className="navbar-start">
          {link("/", t("home"))}
          {link("/call", t("getCall"))}
          {staff && link("/agent", t("agent"))}
          {session.groups.includes("supervisor") && link("/supervisor", t("supervisor"))}
        </div>
        <div className="navbar-end">
          {session.signedIn ? (
            <>
              <span className="navbar-item signed-in">{t("signedInAs", { name: session.name || session.username })}</span>
              <div className="navbar-item">
                <button type="button" className="button is-small is-light" onClick={session.signOut}>
                  {t("signOut")}
                </button>
              </div>
            </>
          ) : (
            <div className="navbar-item">
              <button type="button" className="button is-small is-primary" onClick={() => session.signIn()}>
                {t("signIn")}
              </button>
            </div>
          )}
        </div>
      </div>
    </nav>
  );
}

/** Each page's own document title (WCAG 2.4.2): "<page> · JAM Contact Center". */
const TITLES: Record<string, MessageKey> = {
  "/": "home",
  "/call": "callTitle",
  "/verify": "verifyTitle",
  "/agent": "agent",
  "/supervisor": "supervisor",
};

export function pageTitle(path: string, t: Translate): string {
  return `${t(TITLES[path] ?? "notFound")} · ${t("brand")}`;
}

export function App({ config, zone = browserZone() }: { config: SiteConfig; zone?: string }) {
  const { t, lang, setLang } = useI18n();
  const session = useSession();

  // A signed-in customer's profile language applies until they pick one on the site.
  useEffect(() => {
    const preferred = session.locale?.slice(0, 2);
    if ((preferred === "es" || preferred === "en") && preferred !== lang && savedLang() === null) setLang(preferred, false);
    // Only when the profile changes: a later choice on the site wins.
  }, [session.locale]);
  const { path } = useRoute();
  useEffect(() => {
    document.title = pageTitle(path, t);
  }, [path, t]);
  const { byId, reload } = useAllHours(config);
  const now = useNow();
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);

  // After a client-side navigation, move focus to the new page's heading (as a page load would).
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.querySelector<HTMLElement>("h1")?.focus();
  }, [path]);

  let page;
  if (path === "/") page = <Home config={config} hours={byId} now={now} zone={zone} reload={reload} />;
  else if (path === "/call") page = <GetCall config={config} hours={byId} now={now} zone={zone} />;
  else if (path === "/verify") page = <VerifyPhone config={config} />;
  else if (path === "/agent") page = <AgentDesktop config={config} />;
  else if (path === "/supervisor") page = <Supervisor config={config} />;
  else
    page = (
      <h1 className="title" tabIndex={-1}>
        {t("notFound")}
      </h1>
    );

  return (
    <>
      <a className="skip-link" href="#main">
        {t("skip")}
      </a>
      <Nav />
      <main id="main" ref={main} className="section">
        <div className="container">
          {session.error && (
            <div className="notification is-danger is-light" role="alert" data-testid="sign-in-error">
              {t("signInError", { detail: session.error })}
            </div>
          )}
          <Suspense fallback={<p>{t("loading")}</p>}>{page}</Suspense>
        </div>
      </main>
    </>
  );
}
