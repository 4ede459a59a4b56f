import type { DepartmentConfig } from "../config";
import { useI18n } from "../i18n";
import { clockTime, dayAndTime, daysAfter, duration } from "../time/format";
import { dayPlan, type Hours, statusAt } from "../time/schedule";
import { localDateAt } from "../time/zoned";

/** Open/closed badge, live countdown and today's hours for one department. */
export function DepartmentStatus({ department, hours, now, zone }: { department: DepartmentConfig; hours: Hours; now: number; zone: string }) {
  const { lang, t } = useI18n();
  const status = statusAt(hours, now);
  const today = dayPlan(localDateAt(now, hours.timeZone), hours);
  const todayText = today.intervals.length
    ? t("todayHours", { hours: today.intervals.map(([s, e]) => `${clockTime(s, lang, zone)} – ${clockTime(e, lang, zone)}${daysAfter(e, s, zone) > 0 ? ` ${t("nextDay")}` : ""}`).join(", ") })
    : t("closedToday");
  let countdown: string;
  if (status.isOpen && status.nextClose !== null) countdown = `${t("closesIn", { time: duration(status.nextClose - now) })} (${t("closesAt", { when: clockTime(status.nextClose, lang, zone) })})`;
  else if (!status.isOpen && status.nextOpen !== null) countdown = `${t("opensIn", { time: duration(status.nextOpen - now) })} · ${t("opensAt", { when: dayAndTime(status.nextOpen, lang, zone) })}`;
  else countdown = t("noOpening");
  return (
    <div className="department-status">
      <p>
        <span className={`tag is-medium ${status.isOpen ? "is-open" : "is-closed"}`} data-testid={`badge-${department.id}`}>
          {status.isOpen ? t("open") : t("closed")}
        </span>
      </p>
      <p className="countdown" data-testid={`countdown-${department.id}`}>
        {countdown}
      </p>
      <p>{todayText}</p>
    </div>
  );
}
