/**
 * Axis settings the reports share. Recharts drops category names that do not fit, so a bar chart of
 * eight agents named only three of them; counts got ticks such as 0.25 escalations.
 */

/**
 * Every category (agent, customer, week) named under its bars; beyond six, slanted so long names
 * fit beside each other (a slanted label needs the taller axis).
 */
export function categoryAxis(count: number) {
  return count > 6 ? ({ interval: 0, angle: -40, textAnchor: 'end', height: 96 } as const) : ({ interval: 0 } as const);
}

/** Whole numbers on a count's axis. */
export const countAxis = { allowDecimals: false } as const;

/**
 * A target drawn as a dashed line with its label in the chart's right margin (give the chart
 * `targetMargin`), so the label never sits on a bar, a tick or another label in either theme.
 */
export function targetLine(value: number, label: string) {
  return { y: value, label, labelPosition: 'right' as const, color: 'red.6', strokeDasharray: '6 4' };
}
export const targetMargin = { top: 12, right: 88 } as const;
