import { z } from 'zod';

/** Until the workspace's manifesto exists, a default form scores what PRODUCT.md 3.7 asks of every conversation. */
export const defaultCriteria = [
  { key: 'greeting', label: 'Greeted promptly and warmly', weight: 1 },
  { key: 'feelings', label: 'Acknowledged my feelings before solving', weight: 1 },
  { key: 'ownership', label: 'Took ownership, no blame or excuses', weight: 1 },
  { key: 'speed', label: 'Solved quickly, in few steps', weight: 1 },
  { key: 'benefit', label: 'Fixed it to my benefit', weight: 1 },
  { key: 'expectations', label: 'Set an expectation and beat it', weight: 1 },
  { key: 'aware', label: 'Kept me aware without my asking', weight: 1 },
  { key: 'follow_up', label: 'Followed up afterwards', weight: 1 },
];

export const scoreScale = { min: 1, max: 5 };

export const CriterionSchema = z.object({
  key: z.string().trim().regex(/^[a-z0-9_]{1,40}$/, 'lowercase letters, digits and _ only'),
  label: z.string().trim().min(1).max(200),
  weight: z.number().min(0.1).max(10).default(1),
});
export type Criterion = z.output<typeof CriterionSchema>;

/** 0–100: the weighted mean of the criteria answered, rescaled from 1–5; unanswered criteria are left out, not zero. */
export function overallScore(criteria: Criterion[], scores: Record<string, number>): number | null {
  let weighted = 0;
  let weights = 0;
  for (const criterion of criteria) {
    const value = scores[criterion.key];
    if (value === undefined) continue;
    weighted += ((value - scoreScale.min) / (scoreScale.max - scoreScale.min)) * criterion.weight;
    weights += criterion.weight;
  }
  return weights === 0 ? null : Math.round((weighted / weights) * 1000) / 10;
}

export function validateScores(criteria: Criterion[], scores: Record<string, unknown>): { path: string; message: string }[] {
  const errors: { path: string; message: string }[] = [];
  const keys = new Set(criteria.map((criterion) => criterion.key));
  for (const [key, value] of Object.entries(scores)) {
    if (!keys.has(key)) errors.push({ path: `scores.${key.slice(0, 40)}`, message: 'is not a criterion of this form' });
    else if (typeof value !== 'number' || !Number.isInteger(value) || value < scoreScale.min || value > scoreScale.max) errors.push({ path: `scores.${key}`, message: `must be a whole number from ${scoreScale.min} to ${scoreScale.max}` });
  }
  if (Object.keys(scores).length === 0) errors.push({ path: 'scores', message: 'score at least one criterion' });
  return errors;
}
