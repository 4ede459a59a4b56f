import { useI18n } from "../i18n";
import { clockTime, dayLabel, daysAfter } from "../time/format";
import { type Hours, week } from "../time/schedule";

/** The next seven days of one department, in the customer's zone, with holiday overrides named. */
export function WeekTable({ title, hours, now, zone }: { title: string; hours: Hours; now: number; zone: string }) {
  const { lang, t } = useI18n();
  return (
    <table className="table is-fullwidth is-narrow week-table">
      <caption>{title}</caption>
      <thead>
        <tr>
          <th scope="col">{t("day")}</th>
          <th scope="col">{t("hours")}</th>
          <th scope="col">{t("note")}</th>
        </tr>
      </thead>
      <tbody>
        {week(hours, now).map((plan, index) => {
          // Label the day by its noon in the center's zone, read in the customer's language.
          const noon = plan.intervals[0]?.[0] ?? Date.UTC(plan.date.year, plan.date.month - 1, plan.date.day, 17);
          return (
            <tr key={index} className={index === 0 ? "is-today" : undefined}>
              <th scope="row">{index === 0 ? `${t("today")}, ${dayLabel(noon, lang, hours.timeZone)}` : dayLabel(noon, lang, hours.timeZone)}</th>
              <td>
                {plan.intervals.length
                  ? plan.intervals.map(([start, end]) => {
                      const spill = daysAfter(end, start, zone) > 0 ? ` ${t("nextDay")}` : "";
                      return <div key={start}>{`${clockTime(start, lang, zone)} – ${clockTime(end, lang, zone)}${spill}`}</div>;
                    })
                  : t("closedAllDay")}
              </td>
              <td>{plan.overrides.map((o) => o.name).join(", ")}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
