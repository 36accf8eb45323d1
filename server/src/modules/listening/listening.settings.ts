import { sql } from 'kysely';
import { z } from 'zod';
import type { Tx } from '../../db/database.js';
import { DomainError } from '../../http/errors.js';
import { nowIso } from '../../lib/ids.js';
import { parseJson } from '../../lib/json.js';

export const surveyKinds = ['csat', 'nps', 'ces', 'feelings'] as const;
export type SurveyKind = (typeof surveyKinds)[number];
export const questionTypes = ['csat', 'nps', 'ces', 'feelings', 'comment'] as const;
export type QuestionType = (typeof questionTypes)[number];
export const surveyStages = ['first_response', 'solved', 'recovery', 'periodic_nps', 'on_demand'] as const;
export type SurveyStage = (typeof surveyStages)[number];

const label = z.string().trim().min(1).max(60).refine((value) => !/[\u0000-\u001f\u007f]/.test(value), 'must not contain control characters');
const StageSettingSchema = z.object({ enabled: z.boolean(), kind: z.enum(surveyKinds) });

/** Everything a workspace chooses about listening; stored as one JSON document, defaults filled on read. */
export const ListeningSettingsSchema = z.object({
  surveys: z
    .object({
      throttleDays: z.number().int().min(0).max(365).default(7).describe('A customer is asked at most once in this many days'),
      linkValidDays: z.number().int().min(1).max(90).default(14),
      feelings: z.array(label).min(1).max(12).default(['heard', 'cared for', 'grateful', 'surprised', 'frustrated', 'ignored']),
      stages: z
        .object({
          first_response: StageSettingSchema.default({ enabled: false, kind: 'ces' }),
          solved: StageSettingSchema.default({ enabled: true, kind: 'csat' }),
          recovery: StageSettingSchema.default({ enabled: true, kind: 'csat' }),
          periodic_nps: z.object({ enabled: z.boolean(), everyDays: z.number().int().min(7).max(730) }).default({ enabled: false, everyDays: 90 }),
        })
        .default({ first_response: { enabled: false, kind: 'ces' }, solved: { enabled: true, kind: 'csat' }, recovery: { enabled: true, kind: 'csat' }, periodic_nps: { enabled: false, everyDays: 90 } }),
      questions: z
        .object({
          csat: z.array(z.enum(questionTypes)).min(1).max(6).default(['csat', 'feelings', 'comment']),
          nps: z.array(z.enum(questionTypes)).min(1).max(6).default(['nps', 'comment']),
          ces: z.array(z.enum(questionTypes)).min(1).max(6).default(['ces', 'comment']),
          feelings: z.array(z.enum(questionTypes)).min(1).max(6).default(['feelings', 'comment']),
        })
        .default({ csat: ['csat', 'feelings', 'comment'], nps: ['nps', 'comment'], ces: ['ces', 'comment'], feelings: ['feelings', 'comment'] }),
    })
    .prefault({}),
  themes: z
    .object({
      windowDays: z.number().int().min(1).max(365).default(30),
      alertAt: z.number().int().min(2).max(50).default(3).describe('Distinct customers (or sources) that make a theme need a response'),
      similarity: z.number().min(0.3).max(1).default(0.6).describe('Dice similarity of key-phrase token sets that groups two phrases'),
    })
    .prefault({}),
});
export type ListeningSettings = z.output<typeof ListeningSettingsSchema>;

/** Sections are merged key by key, then the whole document is validated (a partial schema would fill in defaults). */
export const ListeningSettingsPatchSchema = z
  .object({
    surveys: z.record(z.string(), z.unknown()).optional().describe('Keys of the surveys section to replace'),
    themes: z.record(z.string(), z.unknown()).optional().describe('Keys of the themes section to replace'),
  })
  .strict();

/**
 * Parsed settings, keyed by the exact stored text they were parsed from: every feedback item needs
 * them, and validating the document each time cost more than reading it. The text is read in the
 * caller's transaction (often inside another statement, see `listeningSettingsText`), so a change
 * committed by any node is seen at once; a copy is used only for the very text it came from.
 * Bounded, most recently used last.
 */
const parsedSettings = new Map<string, { text: string | null; settings: ListeningSettings }>();
const maxCachedWorkspaces = 1000;

/** The stored settings document as a select expression, to read it alongside another statement. */
export const listeningSettingsText = (workspaceId: string) => sql<string | null>`(SELECT settings FROM listening_settings WHERE workspace_id = ${workspaceId})`;

/** Settings from the stored text (null: none stored, all defaults). */
export function listeningSettingsFrom(workspaceId: string, text: string | null): ListeningSettings {
  const cached = parsedSettings.get(workspaceId);
  parsedSettings.delete(workspaceId);
  if (cached && cached.text === text) {
    parsedSettings.set(workspaceId, cached);
    return cached.settings;
  }
  const parsed = ListeningSettingsSchema.safeParse(parseJson(text ?? '{}', {}));
  // Frozen: the copy is shared by every caller until the text changes.
  const settings = deepFreeze(parsed.success ? parsed.data : ListeningSettingsSchema.parse({}));
  parsedSettings.set(workspaceId, { text, settings });
  if (parsedSettings.size > maxCachedWorkspaces) parsedSettings.delete(parsedSettings.keys().next().value!);
  return settings;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') for (const child of Object.values(value)) deepFreeze(child);
  return Object.freeze(value);
}

export async function readListeningSettings(trx: Tx, workspaceId: string): Promise<ListeningSettings> {
  const row = await trx.selectFrom('listening_settings').select('settings').where('workspace_id', '=', workspaceId).executeTakeFirst();
  return listeningSettingsFrom(workspaceId, row?.settings ?? null);
}

export async function updateListeningSettings(trx: Tx, workspaceId: string, patch: z.output<typeof ListeningSettingsPatchSchema>): Promise<ListeningSettings> {
  const current = await readListeningSettings(trx, workspaceId);
  const parsed = ListeningSettingsSchema.safeParse({ surveys: { ...current.surveys, ...patch.surveys }, themes: { ...current.themes, ...patch.themes } });
  if (!parsed.success) {
    const errors = parsed.error.issues.map((issue) => ({ path: `body.${issue.path.join('.')}`, message: issue.message }));
    throw new DomainError('validation_failed', errors.map((error) => `${error.path}: ${error.message}`).join('; '), errors);
  }
  const next = parsed.data;
  const now = nowIso();
  await trx
    .insertInto('listening_settings')
    .values({ workspace_id: workspaceId, settings: JSON.stringify(next), updated_at: now })
    .onConflict((conflict) => conflict.column('workspace_id').doUpdateSet({ settings: JSON.stringify(next), updated_at: now }))
    .execute();
  return next;
}
