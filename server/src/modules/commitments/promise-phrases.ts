import { addCalendarDays, zonedParts, zonedToInstant } from '../../lib/zoned-time.js';

/**
 * Finds promises with a due time in a reply ("I'll refund you within 3 days", "you'll hear from us by
 * Friday"), read in the workspace's time zone relative to an explicit `now`, so the same text always
 * gives the same answer. A sentence counts only if it both names a time and commits the business to
 * something: questions, requests to the customer and statements of fact ("we are closed tomorrow")
 * are not promises. Vague times ("soon", "shortly") have no due time and are not suggested.
 */
export interface SuggestedCommitment {
  /** The words that set the time, as written. */
  phrase: string;
  /** The sentence the promise is in, suitable as the commitment's description. */
  sentence: string;
  dueAt: string;
}

export interface PhraseContext {
  now: Date;
  timeZone: string;
}

/** Business hours end at 17:00: "by Friday" means before Friday's close, not Friday midnight. */
const endOfBusinessHour = 17;
const dayPartHours: Record<string, number> = { morning: 12, afternoon: 17, evening: 20, night: 22, tonight: 22 };
const weekdayNames: Record<string, number> = { sun: 0, sunday: 0, mon: 1, monday: 1, tue: 2, tues: 2, tuesday: 2, wed: 3, wednesday: 3, thu: 4, thur: 4, thurs: 4, thursday: 4, fri: 5, friday: 5, sat: 6, saturday: 6 };
const monthNames: Record<string, number> = { jan: 1, january: 1, feb: 2, february: 2, mar: 3, march: 3, apr: 4, april: 4, may: 5, jun: 6, june: 6, jul: 7, july: 7, aug: 8, august: 8, sep: 9, sept: 9, september: 9, oct: 10, october: 10, nov: 11, november: 11, dec: 12, december: 12 };
const numberWords: Record<string, number> = { a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12, fourteen: 14, fifteen: 15, twenty: 20, thirty: 30, 'twenty-four': 24, 'forty-eight': 48, 'seventy-two': 72, 'a couple of': 2, 'a couple': 2, 'a few': 3, 'a day or two': 2 };

const weekday = '(sun(?:day)?|mon(?:day)?|tue(?:s|sday)?|wed(?:nesday)?|thu(?:r|rs|rsday)?|fri(?:day)?|sat(?:urday)?)';
const month = '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';
const time = '(noon|midday|midnight|\\d{1,2}(?::\\d{2})?\\s*(?:am|pm|a\\.m\\.|p\\.m\\.)|\\d{1,2}:\\d{2})';
const amount = '(\\d{1,3}|a couple of|a couple|a few|an|a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fourteen|fifteen|twenty|thirty|twenty-four|forty-eight|seventy-two)';
const unit = '(minutes?|mins?|hours?|hrs?|(?:business|working) days?|days?|weeks?)';
const dayPart = '(morning|afternoon|evening|night)';

const promiseCue = new RegExp(
  [
    "\\b(?:i|we)\\s*(?:'ll|’ll|\\s+will|\\s+shall|'m going to|’m going to|\\s+am going to|'re going to|’re going to|\\s+are going to|\\s+promise|\\s+guarantee|\\s+can|\\s+aim to|\\s+expect to)\\b",
    '\\blet (?:me|us)\\b',
    "\\byou(?:'ll|’ll|\\s+will|\\s+should)\\s+(?:receive|get|have|hear|see|be)\\b",
    '\\b(?:should|will)\\s+(?:arrive|reach|ship|land|be (?:with|back|there|ready|in))\\b',
    '\\b(?:is|are|will be|should be)\\s+(?:being\\s+)?(?:sent|shipped|refunded|processed|delivered|replaced|credited|fixed|resolved|repaired|issued|dispatched|posted)\\b',
    '\\bexpect\\b',
    '\\bpromise\\b',
  ].join('|'),
  'i',
);
/** Sentences about absence or opening hours name a time without promising anything. */
const notAPromise = /\b(?:out of (?:the )?office|on (?:holiday|vacation|leave)|(?:is|are|be) closed|away until)\b/i;

interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

interface Rule {
  pattern: RegExp;
  resolve(match: RegExpExecArray, context: ResolvedContext): Date | null;
}

interface ResolvedContext {
  now: Date;
  timeZone: string;
  today: { year: number; month: number; day: number; weekday: number; hour: number; minute: number };
  at(date: { year: number; month: number; day: number }, hour: number, minute?: number): Date;
}

function parseTime(text: string | undefined): { hour: number; minute: number } | null {
  if (!text) return null;
  const value = text.toLowerCase().replaceAll('.', '').replace(/\s+/g, '');
  if (value === 'noon' || value === 'midday') return { hour: 12, minute: 0 };
  if (value === 'midnight') return { hour: 23, minute: 59 };
  const match = /^(\d{1,2})(?::(\d{2}))?(am|pm)?$/.exec(value);
  if (!match) return null;
  let hour = Number(match[1]);
  const minute = Number(match[2] ?? 0);
  if (match[3] === 'pm' && hour < 12) hour += 12;
  if (match[3] === 'am' && hour === 12) hour = 0;
  if (hour > 23 || minute > 59) return null;
  return { hour, minute };
}

function parseAmount(text: string): number {
  const word = text.toLowerCase().replace(/\s+/g, ' ').trim();
  return numberWords[word] ?? Number(word);
}

/** Days until the next `target` weekday; 0 when today is that day (the caller decides if today still counts). */
function daysUntil(fromWeekday: number, target: number): number {
  return (target - fromWeekday + 7) % 7;
}

function addBusinessDays(date: { year: number; month: number; day: number }, fromWeekday: number, count: number) {
  let current = date;
  let weekdayNow = fromWeekday;
  let remaining = count;
  while (remaining > 0) {
    current = addCalendarDays(current, 1);
    weekdayNow = (weekdayNow + 1) % 7;
    if (weekdayNow !== 0 && weekdayNow !== 6) remaining--;
  }
  return current;
}

function hourFor(part: string | undefined, explicit: string | undefined, fallback: number): { hour: number; minute: number } {
  return parseTime(explicit) ?? (part ? { hour: dayPartHours[part.toLowerCase()]!, minute: 0 } : { hour: fallback, minute: 0 });
}

const rules: Rule[] = [
  {
    // within 24 hours · in 3 days · within 3 business days · in a couple of weeks · within the hour
    pattern: new RegExp(`\\b(?:within|in|inside(?: of)?|in the next|within the next)\\s+(?:the\\s+)?(?:next\\s+)?${amount}\\s+${unit}\\b|\\bwithin (?:the|an) hour\\b|\\bwithin a day or two\\b`, 'gi'),
    resolve(match, context) {
      if (/within (?:the|an) hour/i.test(match[0])) return new Date(context.now.getTime() + 3_600_000);
      if (/day or two/i.test(match[0])) return context.at(addCalendarDays(context.today, 2), endOfBusinessHour);
      const count = parseAmount(match[1]!);
      const unitText = match[2]!.toLowerCase();
      if (!Number.isFinite(count) || count <= 0) return null;
      // Minutes and hours are elapsed time; days and weeks are calendar days ending at close of business.
      if (unitText.startsWith('min')) return new Date(context.now.getTime() + count * 60_000);
      if (unitText.startsWith('h')) return new Date(context.now.getTime() + count * 3_600_000);
      if (/business|working/.test(unitText)) return context.at(addBusinessDays(context.today, context.today.weekday, count), endOfBusinessHour);
      const days = unitText.startsWith('week') ? count * 7 : count;
      return context.at(addCalendarDays(context.today, days), endOfBusinessHour);
    },
  },
  {
    // by 10am tomorrow · tomorrow · first thing tomorrow · tomorrow afternoon · tomorrow at 3pm
    pattern: new RegExp(`\\b(?:(?:by|at|before)\\s+${time}\\s+)?(?:first thing\\s+)?tomorrow(?:\\s+${dayPart})?(?:\\s+(?:at|by|before)\\s+${time})?`, 'gi'),
    resolve(match, context) {
      const tomorrow = addCalendarDays(context.today, 1);
      if (/first thing/i.test(match[0])) return context.at(tomorrow, 10);
      const { hour, minute } = hourFor(match[2], match[3] ?? match[1], endOfBusinessHour);
      return context.at(tomorrow, hour, minute);
    },
  },
  {
    // by the end of next week · next week · early next week
    pattern: /\b(?:by\s+)?(?:the\s+)?(?:(end of|early|later|late)\s+)?next week\b/gi,
    resolve(match, context) {
      const nextMonday = addCalendarDays(context.today, 7 - ((context.today.weekday + 6) % 7));
      const offset = /early/i.test(match[1] ?? '') ? 1 : 4;
      return context.at(addCalendarDays(nextMonday, offset), endOfBusinessHour);
    },
  },
  {
    // by the end of the week · this week
    pattern: /\b(?:by\s+)?(?:the\s+)?end of (?:the|this) week\b|\bthis week\b/gi,
    resolve(_match, context) {
      const toFriday = daysUntil(context.today.weekday, 5);
      const isPastFriday = context.today.weekday === 6 || context.today.weekday === 0 || (toFriday === 0 && context.today.hour >= endOfBusinessHour);
      return context.at(addCalendarDays(context.today, isPastFriday ? toFriday || 7 : toFriday), endOfBusinessHour);
    },
  },
  {
    // by 5pm Friday · by Friday · on Monday morning · next Tuesday at 10am · this Friday
    pattern: new RegExp(`\\b(?:(?:by|before|at)\\s+${time}\\s+(?:on\\s+)?)?(?:(?:by|on|before|until|till|this|coming|this coming|(next))\\s+)*${weekday}\\b(?:\\s+${dayPart})?(?:\\s+(?:at|by|before)\\s+${time})?`, 'gi'),
    resolve(match, context) {
      const target = weekdayNames[match[3]!.toLowerCase()]!;
      const { hour, minute } = hourFor(match[4], match[5] ?? match[1], endOfBusinessHour);
      let days = daysUntil(context.today.weekday, target);
      if (match[2]) {
        // "next Friday" is the Friday of next week (Monday-based weeks).
        const nextMonday = 7 - ((context.today.weekday + 6) % 7);
        days = nextMonday + ((target + 6) % 7);
      } else if (days === 0 && (context.today.hour * 60 + context.today.minute) >= hour * 60 + minute) {
        // "by Friday" said on Friday means today, unless today's deadline has already passed.
        days = 7;
      }
      return context.at(addCalendarDays(context.today, days), hour, minute);
    },
  },
  {
    // by the 15th of March · by March 15th · on 3 December
    pattern: new RegExp(`\\b(?:by|on|before|until)\\s+(?:the\\s+)?(?:(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?${month}|${month}\\s+(\\d{1,2})(?:st|nd|rd|th)?)\\b`, 'gi'),
    resolve(match, context) {
      const day = Number(match[1] ?? match[4]);
      const monthNumber = monthNames[(match[2] ?? match[3])!.toLowerCase()]!;
      let year = context.today.year;
      if (monthNumber < context.today.month || (monthNumber === context.today.month && day < context.today.day)) year++;
      const check = new Date(Date.UTC(year, monthNumber - 1, day));
      if (check.getUTCMonth() !== monthNumber - 1) return null;
      return context.at({ year, month: monthNumber, day }, endOfBusinessHour);
    },
  },
  {
    // by the end of the day · EOD · close of business · today · tonight · this afternoon
    pattern: /\b(?:by\s+|before\s+)?(?:the\s+)?(?:end of (?:the )?(?:business )?day|eod|cob|close of business|end of business)\b|\b(?:later\s+)?today\b|\btonight\b|\bthis (?:afternoon|evening)\b/gi,
    resolve(match, context) {
      const text = match[0].toLowerCase();
      const hour = /tonight/.test(text) ? dayPartHours.tonight! : /evening/.test(text) ? dayPartHours.evening! : endOfBusinessHour;
      const due = context.at(context.today, hour);
      // Promised after hours, "today" still means before midnight.
      return due.getTime() > context.now.getTime() ? due : context.at(context.today, 23, 59);
    },
  },
  {
    // by 5pm · by noon · before 3:30 pm
    pattern: new RegExp(`\\b(?:by|before|at|until)\\s+${time}`, 'gi'),
    resolve(match, context) {
      const parsed = parseTime(match[1]);
      if (!parsed) return null;
      const due = context.at(context.today, parsed.hour, parsed.minute);
      return due.getTime() > context.now.getTime() ? due : context.at(addCalendarDays(context.today, 1), parsed.hour, parsed.minute);
    },
  },
];

function sentencesOf(text: string): Array<{ text: string; isQuestion: boolean }> {
  const result: Array<{ text: string; isQuestion: boolean }> = [];
  // Sentence ends: . ! ? or a line break; "a.m." and "p.m." do not end a sentence.
  const pattern = /(?:\b[ap]\.m\.|[^.!?\n])*(?:[.!?]+|\n|$)/gi;
  for (const match of text.matchAll(pattern)) {
    const sentence = match[0].trim();
    if (sentence) result.push({ text: sentence, isQuestion: sentence.endsWith('?') });
  }
  return result;
}

/** A reply with more promises than this is not one an agent would accept suggestions for one by one. */
const maximumSuggestions = 50;

export function suggestCommitments(text: string, context: PhraseContext): SuggestedCommitment[] {
  const parts = zonedParts(context.now, context.timeZone);
  const resolved: ResolvedContext = {
    now: context.now,
    timeZone: context.timeZone,
    today: { year: parts.year, month: parts.month, day: parts.day, weekday: parts.weekday, hour: parts.hour, minute: parts.minute },
    at: (date, hour, minute = 0) => zonedToInstant({ ...date, hour, minute } as Wall, context.timeZone),
  };
  const suggestions: SuggestedCommitment[] = [];
  for (const sentence of sentencesOf(text.slice(0, 20_000))) {
    if (sentence.isQuestion || !promiseCue.test(sentence.text) || notAPromise.test(sentence.text)) continue;
    const taken: Array<[number, number]> = [];
    const found: Array<SuggestedCommitment & { start: number }> = [];
    for (const rule of rules) {
      rule.pattern.lastIndex = 0;
      for (const match of sentence.text.matchAll(rule.pattern)) {
        const start = match.index;
        const end = start + match[0].length;
        if (taken.some(([from, to]) => start < to && end > from)) continue;
        // "last Friday" and "3 days ago" are the past, not a promise.
        if (/\b(?:last|past|previous)\s+$/i.test(sentence.text.slice(0, start)) || /^\s+ago\b/i.test(sentence.text.slice(end))) continue;
        const due = rule.resolve(match as RegExpExecArray, resolved);
        if (!due || due.getTime() <= context.now.getTime()) continue;
        taken.push([start, end]);
        found.push({ start, phrase: match[0].trim(), sentence: sentence.text, dueAt: due.toISOString() });
      }
    }
    for (const { start: _start, ...suggestion } of found.sort((a, b) => a.start - b.start)) suggestions.push(suggestion);
    if (suggestions.length >= maximumSuggestions) return suggestions.slice(0, maximumSuggestions);
  }
  return suggestions;
}
