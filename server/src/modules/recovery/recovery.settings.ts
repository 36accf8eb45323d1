import { z } from 'zod';
import type { Db, Tx } from '../../db/database.js';
import { parseJson } from '../../lib/json.js';

const StepSchema = z.object({ key: z.string().trim().regex(/^[a-z0-9_]{1,40}$/), label: z.string().trim().min(1).max(200) }).strict();

export const RecoverySettingsSchema = z
  .object({
    /** automatic: a misery opens a recovery at once; proposed: it waits for an agent to accept it. */
    mode: z.enum(['automatic', 'proposed']),
    followUpDays: z.number().int().min(1).max(90),
    /** remind: the agent is reminded (an event); send: the follow-up message goes to the customer. */
    followUpAction: z.enum(['remind', 'send']),
    followUpMessage: z.string().trim().min(1).max(2000),
    remedy: z.object({ shareOfLifetimeValue: z.number().min(0).max(1), minimum: z.number().min(0).max(1_000_000), maximum: z.number().min(0).max(1_000_000) }).strict(),
    playbook: z.array(StepSchema).min(1).max(20),
  })
  .strict();
export type RecoverySettings = z.infer<typeof RecoverySettingsSchema>;

/** The built-in playbook of PRODUCT.md 3.5; workspaces may rename, reorder, drop or add steps. */
export const defaultRecoverySettings: RecoverySettings = {
  mode: 'automatic',
  followUpDays: 3,
  followUpAction: 'remind',
  followUpMessage: 'Hello, I wanted to check that everything is now as it should be. If anything is still not right, just reply to this message and I will sort it out.',
  remedy: { shareOfLifetimeValue: 0.05, minimum: 5, maximum: 250 },
  playbook: [
    { key: 'acknowledge', label: 'Acknowledge the customer’s feelings' },
    { key: 'ownership', label: 'Take ownership (no blame)' },
    { key: 'fix', label: 'Fix it fast (remedy in proportion to lifetime value)' },
    { key: 'tell', label: 'Tell the customer what was done' },
    { key: 'follow_up', label: 'Follow up' },
    { key: 'root_cause', label: 'Root-cause analysis' },
  ],
};

export async function loadRecoverySettings(db: Db | Tx, workspaceId: string): Promise<RecoverySettings> {
  const row = await db.selectFrom('recovery_settings').select('settings').where('workspace_id', '=', workspaceId).executeTakeFirst();
  if (!row) return defaultRecoverySettings;
  const parsed = RecoverySettingsSchema.safeParse({ ...defaultRecoverySettings, ...parseJson<Record<string, unknown>>(row.settings, {}) });
  return parsed.success ? parsed.data : defaultRecoverySettings;
}

/** A remedy in proportion to what the customer is worth to the business, within the workspace's floor and ceiling. */
export function suggestRemedy(lifetimeValue: number, settings: RecoverySettings['remedy']) {
  const value = Math.round(Math.min(settings.maximum, Math.max(settings.minimum, lifetimeValue * settings.shareOfLifetimeValue)) * 100) / 100;
  const type = lifetimeValue >= 1000 ? 'credit' : lifetimeValue >= 200 ? 'discount' : 'goodwill';
  return { type, value, reason: `${Math.round(settings.shareOfLifetimeValue * 100)}% of lifetime value ${lifetimeValue}, between ${settings.minimum} and ${settings.maximum}` };
}
