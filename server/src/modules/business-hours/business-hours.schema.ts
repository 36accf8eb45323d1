import { z } from 'zod';
import { IdSchema, lineText } from '../../http/schemas.js';
import { isValidTimeZone } from './business-time.js';

export const IntervalSchema = z
  .object({
    day: z.number().int().min(0).max(6).describe('0 = Sunday … 6 = Saturday'),
    start: z.number().int().min(0).max(1439).describe('Minutes after local midnight, inclusive'),
    end: z.number().int().min(1).max(1440).describe('Minutes after local midnight, exclusive (1440 = midnight)'),
  })
  .strict()
  .refine((interval) => interval.end > interval.start, 'end must be after start');

const DateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD');
const TimeZoneSchema = z.string().min(1).max(64).refine(isValidTimeZone, 'must be an IANA time zone such as Europe/Paris');

export const CalendarBodySchema = z
  .object({
    name: lineText(120),
    timeZone: TimeZoneSchema,
    intervals: z.array(IntervalSchema).min(1, 'a calendar needs at least one interval').max(100),
    holidays: z.array(DateSchema).max(1000).default([]),
    teamId: IdSchema.nullable().default(null),
  })
  .strict();

export const CalendarPatchSchema = z
  .object({
    name: lineText(120).optional(),
    timeZone: TimeZoneSchema.optional(),
    intervals: z.array(IntervalSchema).min(1).max(100).optional(),
    holidays: z.array(DateSchema).max(1000).optional(),
  })
  .strict();

export const CalendarSchema = z.object({
  id: z.string(),
  name: z.string(),
  teamId: z.string().nullable(),
  timeZone: z.string(),
  intervals: z.array(z.object({ day: z.number(), start: z.number(), end: z.number() })),
  holidays: z.array(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
});
