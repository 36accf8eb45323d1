const minute = 60_000;
export const hour = 60 * minute;
const day = 24 * hour;

/** "4 min", "3 h", "2 d": how long a customer has waited, at a glance. */
export function ago(iso: string, now = Date.now()): string {
  const elapsed = Math.max(0, now - Date.parse(iso));
  if (elapsed < minute) return 'now';
  if (elapsed < hour) return `${Math.floor(elapsed / minute)} min`;
  if (elapsed < day) return `${Math.floor(elapsed / hour)} h`;
  return `${Math.floor(elapsed / day)} d`;
}

/** "45 min", "21 h", "3.5 d": a length of time in the unit people would say it in. */
export function duration(milliseconds: number): string {
  if (milliseconds < hour) return `${Math.round(milliseconds / minute)} min`;
  if (milliseconds < 2 * day) return `${Math.round((milliseconds / hour) * 10) / 10} h`;
  return `${Math.round((milliseconds / day) * 10) / 10} d`;
}

export function dateTime(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** "1 voice", "3 voices". */
export const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

export function money(value: number): string {
  return new Intl.NumberFormat(undefined, { style: 'currency', currency: 'USD', maximumFractionDigits: 0 }).format(value);
}

export const priorityColor: Record<string, string> = { urgent: 'red', high: 'orange', normal: 'blue', low: 'gray' };
export const categoryColor: Record<string, string> = { new: 'grape', open: 'blue', pending: 'orange', on_hold: 'gray', solved: 'green', closed: 'gray' };
