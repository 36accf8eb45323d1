import { describe, expect, it } from 'vitest';
import { suggestCommitments } from './promise-phrases.js';

// Wednesday 25 November 2026, 10:00 in London (GMT, so local times read as UTC below).
const wednesday = { now: new Date('2026-11-25T10:00:00Z'), timeZone: 'Europe/London' };
const fridayMorning = { now: new Date('2026-11-27T10:00:00Z'), timeZone: 'Europe/London' };
const fridayEvening = { now: new Date('2026-11-27T18:00:00Z'), timeZone: 'Europe/London' };
const saturday = { now: new Date('2026-11-28T10:00:00Z'), timeZone: 'Europe/London' };

const promises: Array<[string, string, string]> = [
  ["I'll refund you by Friday.", 'by Friday', '2026-11-27T17:00:00.000Z'],
  ['We will call you tomorrow.', 'tomorrow', '2026-11-26T17:00:00.000Z'],
  ["I'll call you tomorrow", 'tomorrow', '2026-11-26T17:00:00.000Z'],
  ['Your refund will be processed within 3 days.', 'within 3 days', '2026-11-28T17:00:00.000Z'],
  ["You'll hear from us within 24 hours.", 'within 24 hours', '2026-11-26T10:00:00.000Z'],
  ["I'll get back to you in 2 hours.", 'in 2 hours', '2026-11-25T12:00:00.000Z'],
  ['I will send the replacement by end of day.', 'by end of day', '2026-11-25T17:00:00.000Z'],
  ["We'll have it fixed by EOD.", 'by EOD', '2026-11-25T17:00:00.000Z'],
  ["I'll sort this out by close of business.", 'by close of business', '2026-11-25T17:00:00.000Z'],
  ['Expect a reply next week.', 'next week', '2026-12-04T17:00:00.000Z'],
  ["We'll ship it early next week.", 'early next week', '2026-12-01T17:00:00.000Z'],
  ["I'll update you by the end of the week.", 'by the end of the week', '2026-11-27T17:00:00.000Z'],
  ['We will process the credit within 3 business days.', 'within 3 business days', '2026-11-30T17:00:00.000Z'],
  ['I promise it will be there by Monday.', 'by Monday', '2026-11-30T17:00:00.000Z'],
  ["I'll call you on Monday morning.", 'on Monday morning', '2026-11-30T12:00:00.000Z'],
  ["We'll email you next Friday.", 'next Friday', '2026-12-04T17:00:00.000Z'],
  ["I'll ring you tomorrow at 3pm.", 'tomorrow at 3pm', '2026-11-26T15:00:00.000Z'],
  ["I'll ring you by 10am tomorrow.", 'by 10am tomorrow', '2026-11-26T10:00:00.000Z'],
  ['Let me check and get back to you this afternoon.', 'this afternoon', '2026-11-25T17:00:00.000Z'],
  ["I'll confirm by 4:30 pm.", 'by 4:30 pm', '2026-11-25T16:30:00.000Z'],
  ["We'll have an answer by noon.", 'by noon', '2026-11-25T12:00:00.000Z'],
  ['Your parcel should arrive within a week.', 'within a week', '2026-12-02T17:00:00.000Z'],
  ["I'll follow up in a couple of days.", 'in a couple of days', '2026-11-27T17:00:00.000Z'],
  ['We will refund you within two weeks.', 'within two weeks', '2026-12-09T17:00:00.000Z'],
  ['The replacement is being shipped and should arrive by December 3rd.', 'by December 3rd', '2026-12-03T17:00:00.000Z'],
  ["I'll send it by the 15th of January.", 'by the 15th of January', '2027-01-15T17:00:00.000Z'],
  ["We'll get this resolved within the hour.", 'within the hour', '2026-11-25T11:00:00.000Z'],
  ["First thing tomorrow I'll check with the warehouse.", 'First thing tomorrow', '2026-11-26T10:00:00.000Z'],
  ["I'll look into it tonight.", 'tonight', '2026-11-25T22:00:00.000Z'],
  ['We’ll call you Thursday.', 'Thursday', '2026-11-26T17:00:00.000Z'],
  ["I'll reply within 30 minutes.", 'within 30 minutes', '2026-11-25T10:30:00.000Z'],
  ['We can get a courier to you by Saturday.', 'by Saturday', '2026-11-28T17:00:00.000Z'],
  ['You will receive the credit note by 5 p.m. on Friday.', 'by 5 p.m. on Friday', '2026-11-27T17:00:00.000Z'],
  ['We are going to replace it within 48 hours.', 'within 48 hours', '2026-11-27T10:00:00.000Z'],
];

const notPromises: string[] = [
  'Could you send us the receipt by Friday?',
  'Please reply by Friday.',
  'Our office is closed tomorrow.',
  "I'll check what happened last Friday.",
  'Your order was shipped 3 days ago.',
  'I will look into it.',
  "We'll get back to you soon.",
  "I'll be out of the office until Monday.",
  'Thanks for waiting since yesterday.',
  'Will it arrive by Friday?',
  'The sale ends tomorrow.',
  "I've been waiting 3 days!",
  'Can you call me tomorrow?',
  'We were founded in 1999 and ship worldwide.',
];

describe('promise phrases', () => {
  it.each(promises)('%s', (text, phrase, dueAt) => {
    expect(suggestCommitments(text, wednesday)).toEqual([{ phrase, sentence: text, dueAt }]);
  });

  it.each(notPromises)('no promise in: %s', (text) => {
    expect(suggestCommitments(text, wednesday)).toEqual([]);
  });

  it('finds each promise of a longer reply, in order', () => {
    const found = suggestCommitments("Sorry about the mix-up! I'll refund the delivery fee today. You'll receive the new blender by Friday.\nThanks for bearing with us.", wednesday);
    expect(found.map((item) => [item.phrase, item.dueAt])).toEqual([
      ['today', '2026-11-25T17:00:00.000Z'],
      ['by Friday', '2026-11-27T17:00:00.000Z'],
    ]);
  });

  it.each([
    ['"by Friday" said on Friday morning is today', fridayMorning, "I'll refund you by Friday.", '2026-11-27T17:00:00.000Z'],
    ['"by Friday" said on Friday after hours is next Friday', fridayEvening, "I'll refund you by Friday.", '2026-12-04T17:00:00.000Z'],
    ['"next Friday" said on Friday is a week later', fridayMorning, "We'll email you next Friday.", '2026-12-04T17:00:00.000Z'],
    ['"tomorrow" said on Friday is Saturday', fridayMorning, "I'll call you tomorrow.", '2026-11-28T17:00:00.000Z'],
    ['business days skip the weekend', fridayMorning, "We'll credit you within 2 business days.", '2026-12-01T17:00:00.000Z'],
    ['"end of the week" said on Saturday is next Friday', saturday, "I'll update you by the end of the week.", '2026-12-04T17:00:00.000Z'],
    ['"by Monday" said on Saturday is the day after tomorrow', saturday, "I'll have it sorted by Monday.", '2026-11-30T17:00:00.000Z'],
    ['"today" said after hours means before midnight', fridayEvening, "I'll send it today.", '2026-11-27T23:59:00.000Z'],
    ['"by 10am" said after 10am is tomorrow', fridayMorning, "We'll confirm by 9am.", '2026-11-28T09:00:00.000Z'],
  ])('%s', (_name, context, text, dueAt) => {
    expect(suggestCommitments(text, context)[0]?.dueAt).toBe(dueAt);
  });

  it.each([
    // Europe/London springs forward on Sunday 29 March 2026 at 01:00 UTC.
    ['tomorrow across spring-forward (London, BST)', { now: new Date('2026-03-28T10:00:00Z'), timeZone: 'Europe/London' }, "I'll call you tomorrow.", '2026-03-29T16:00:00.000Z'],
    ['24 hours across spring-forward is elapsed time', { now: new Date('2026-03-28T10:00:00Z'), timeZone: 'Europe/London' }, "You'll hear from us within 24 hours.", '2026-03-29T10:00:00.000Z'],
    ['by Monday after spring-forward', { now: new Date('2026-03-28T10:00:00Z'), timeZone: 'Europe/London' }, "I'll fix it by Monday.", '2026-03-30T16:00:00.000Z'],
    // America/New_York falls back on Sunday 1 November 2026 at 06:00 UTC.
    ['tomorrow across fall-back (New York, EST)', { now: new Date('2026-10-31T16:00:00Z'), timeZone: 'America/New_York' }, "I'll call you tomorrow.", '2026-11-01T22:00:00.000Z'],
    ['days across fall-back end at 17:00 local', { now: new Date('2026-10-31T16:00:00Z'), timeZone: 'America/New_York' }, "We'll refund you within 3 days.", '2026-11-03T22:00:00.000Z'],
    ['by Friday across fall-back', { now: new Date('2026-10-31T16:00:00Z'), timeZone: 'America/New_York' }, "I'll refund you by Friday.", '2026-11-06T22:00:00.000Z'],
    // The same instant is Thursday morning in Tokyo and Wednesday afternoon in Los Angeles.
    ['tomorrow in Tokyo', { now: new Date('2026-11-25T23:30:00Z'), timeZone: 'Asia/Tokyo' }, "I'll call you tomorrow.", '2026-11-27T08:00:00.000Z'],
    ['tomorrow in Los Angeles', { now: new Date('2026-11-25T23:30:00Z'), timeZone: 'America/Los_Angeles' }, "I'll call you tomorrow.", '2026-11-27T01:00:00.000Z'],
    ['end of day in Los Angeles', { now: new Date('2026-11-25T23:30:00Z'), timeZone: 'America/Los_Angeles' }, "I'll reply by end of day.", '2026-11-26T01:00:00.000Z'],
  ])('%s', (_name, context, text, dueAt) => {
    expect(suggestCommitments(text, context)[0]?.dueAt).toBe(dueAt);
  });

  it('never throws on hostile or huge text', () => {
    for (const text of ['', '?'.repeat(10_000), 'by '.repeat(5000) + 'Friday', "I'll call you tomorrow".repeat(2000), '\u0000\uFFFF by Friday I will']) {
      expect(() => suggestCommitments(text, wednesday)).not.toThrow();
    }
  });
});
