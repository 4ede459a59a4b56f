// A line chart over time (uPlot: small, fast, maintained). The library is a chunk of its own,
// fetched when the first chart is drawn (never by customers, never where nothing can be drawn). The
// canvas is a picture for sighted users; the same numbers are in a table under it, and the figure
// is named, so nothing is only in the picture.

import "uplot/dist/uPlot.min.css";
import { useEffect, useRef } from "react";
import type uPlot from "uplot";

export interface Series {
  label: string;
  points: [number, number | null][]; // [ms since the epoch, value]
}

// Distinguishable for the common colour-vision deficiencies (Okabe–Ito), dark enough on white.
const COLORS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#8a6d00", "#56B4E9", "#000000"];

function canDraw(): boolean {
  try {
    // uPlot reads matchMedia when it loads; a DOM without it (jsdom) has no canvas either.
    return typeof window.matchMedia === "function" && typeof ResizeObserver !== "undefined" && document.createElement("canvas").getContext("2d") !== null;
  } catch {
    return false;
  }
}

/** The series on one shared time axis (seconds), as uPlot wants them: null where a series has no point. */
export function aligned(series: Series[]): uPlot.AlignedData {
  const times = [...new Set(series.flatMap((s) => s.points.map(([t]) => t)))].sort((a, b) => a - b);
  const index = new Map(times.map((t, i) => [t, i]));
  const columns = series.map((s) => {
    const column: (number | null)[] = new Array(times.length).fill(null);
    for (const [t, v] of s.points) column[index.get(t)!] = v;
    return column;
  });
  return [times.map((t) => t / 1000), ...columns];
}

export function TimeChart({ id, title, series, format, axisFormat = format, whole = false, timeFormat, emptyText, tableLabel, timeLabel }: { id: string; title: string; series: Series[]; format: (value: number) => string; axisFormat?: (value: number) => string; whole?: boolean; timeFormat: (ms: number) => string; emptyText: string; tableLabel: string; timeLabel: string }) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);
  const data = aligned(series);
  const hasPoints = data[0].length > 0;
  const shape = series.map((s) => s.label).join("|");
  const latest = useRef(series);
  latest.current = series;

  useEffect(() => {
    if (!box.current || !hasPoints || !canDraw()) return;
    const element = box.current;
    let stopped = false;
    let resize: ResizeObserver | null = null;
    void import("uplot").then(({ default: UPlot }) => {
      if (stopped) return;
      const options: uPlot.Options = {
        width: Math.max(280, element.clientWidth),
        height: 220,
        scales: { x: { time: true } },
        // Counts get whole-number ticks only (no "0, 0, 1, 1" from rounding 0.25 steps).
        axes: [{}, { values: (_u, ticks) => ticks.map((v) => axisFormat(v)), size: 60, ...(whole ? { incrs: [1, 2, 5, 10, 20, 50, 100] } : {}) }],
        series: [{}, ...series.map((s, i) => ({ label: s.label, stroke: COLORS[i % COLORS.length], width: 2, spanGaps: true, points: { show: true, size: 5 }, value: (_u: uPlot, v: number | null) => (v === null ? "—" : format(v)) }))],
        legend: { show: true, live: false },
      };
      chart.current = new UPlot(options, aligned(latest.current), element);
      resize = new ResizeObserver(() => chart.current?.setSize({ width: Math.max(280, element.clientWidth), height: 220 }));
      resize.observe(element);
    });
    return () => {
      stopped = true;
      resize?.disconnect();
      chart.current?.destroy();
      chart.current = null;
    };
    // A new chart only when the series change; new points go in with setData below.
  }, [shape, hasPoints]);

  useEffect(() => {
    chart.current?.setData(data);
  });

  const rows = Array.from(data[0], (t, i) => ({ t: t * 1000, values: series.map((_, s) => (data[s + 1][i] as number | null | undefined) ?? null) }));
  return (
    <figure className="time-chart" aria-labelledby={`${id}-title`} data-testid={id}>
      <figcaption className="title is-6" id={`${id}-title`}>
        {title}
      </figcaption>
      {hasPoints ? <div ref={box} className="time-chart-canvas" aria-hidden="true" /> : <p className="has-text-grey">{emptyText}</p>}
      {hasPoints && (
        <details>
          <summary>{tableLabel}</summary>
          <div className="table-container">
            <table className="table is-narrow is-fullwidth">
              <caption className="is-sr-only">{title}</caption>
              <thead>
                <tr>
                  <th scope="col">{timeLabel}</th>
                  {series.map((s) => (
                    <th scope="col" key={s.label}>
                      {s.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.slice(-60).map((row) => (
                  <tr key={row.t}>
                    <th scope="row">{timeFormat(row.t)}</th>
                    {row.values.map((v, i) => (
                      <td key={series[i].label}>{v === null ? "—" : format(v)}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      )}
    </figure>
  );
}
