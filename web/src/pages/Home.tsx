import { WeekTable } from "../components/WeekTable";
import { DepartmentStatus } from "../components/DepartmentStatus";
import type { SiteConfig } from "../config";
import type { DepartmentHours } from "../useAllHours";
import { useI18n } from "../i18n";
import { Link } from "../router";
import { zoneName } from "../time/format";

export function Home({ config, hours, now, zone, reload }: { config: SiteConfig; hours: Record<string, DepartmentHours>; now: number; zone: string; reload: () => void }) {
  const { lang, t } = useI18n();
  const centerZone = config.departments[0]?.timeZone ?? "UTC";
  return (
    <>
      <h1 className="title" tabIndex={-1}>
        {t("hoursTitle")}
      </h1>
      <p className="subtitle">{t("hoursIntro")}</p>
      <p className="zone-note">{t("yourZone", { zone: zoneName(zone, lang, now), center: zoneName(centerZone, lang, now) })}</p>
      <div className="columns is-multiline">
        {config.departments.map((department) => {
          const state = hours[department.id];
          const label = department.label[lang];
          return (
            <section key={department.id} className="column is-one-third-desktop is-full-tablet" aria-labelledby={`dept-${department.id}`}>
              <div className="box">
                <h2 className="title is-4" id={`dept-${department.id}`}>
                  {label}
                </h2>
                {state?.hours ? (
                  <>
                    <DepartmentStatus department={department} hours={state.hours} now={now} zone={zone} />
                    <details>
                      <summary>{t("weekTable", { department: label })}</summary>
                      <WeekTable title={t("weekTable", { department: label })} hours={state.hours} now={now} zone={zone} />
                    </details>
                  </>
                ) : state?.error ? (
                  <div className="notification is-warning" role="alert">
                    <p>{t("hoursError", { detail: state.error.problem.detail || state.error.problem.title })}</p>
                    <button type="button" className="button is-small" onClick={reload}>
                      {t("retry")}
                    </button>
                  </div>
                ) : (
                  <p className="hours-loading">{t("loading")}</p>
                )}
                <p className="mt-3">
                  <Link className="button is-link" href={`/call?department=${department.id}`}>
                    {t("getCall")}
                  </Link>
                </p>
              </div>
            </section>
          );
        })}
      </div>
    </>
  );
}
