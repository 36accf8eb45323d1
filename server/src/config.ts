import { z } from 'zod';

/**
 * The only reader of process.env. Every setting is declared once, with a description, a default
 * and a secret flag; the README's configuration table is checked against this list by a test.
 */
interface SettingDefinition<T extends z.ZodType> {
  description: string;
  schema: T;
  secret?: boolean;
}

const booleanFlag = z
  .enum(['0', '1', 'true', 'false', ''])
  .transform((value) => value === '1' || value === 'true');

const port = z.coerce.number().int().min(0).max(65535);

export const settingDefinitions = {
  PORT: { description: 'HTTP port the web app and API listen on.', schema: port.default(3000) },
  HOST: { description: 'Address the HTTP server binds to.', schema: z.string().min(1).default('0.0.0.0') },
  RAVING_PUBLIC_URL: {
    description: 'Public base URL used in links sent by email (invitations, password resets, surveys). Never taken from the Host header.',
    schema: z.url().optional(),
  },
  RAVING_DATA_DIR: {
    description: 'Folder for the SQLite database and stored files.',
    schema: z.string().min(1).default('./data'),
  },
  RAVING_DATABASE_URL: {
    description: 'postgres://… to use PostgreSQL; empty means SQLite in RAVING_DATA_DIR/raving.db.',
    schema: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
      .optional(),
    secret: true,
  },
  RAVING_SECRET: {
    description: 'Secret used to sign reply addresses and links. Generated and stored in the data folder when empty.',
    schema: z.string().min(32, 'must be at least 32 characters').optional(),
    secret: true,
  },
  RAVING_DEMO: { description: 'Fill a demo workspace with realistic data on first start (same as `npm start -- --demo`).', schema: booleanFlag.default(false) },
  RAVING_LOG_LEVEL: {
    description: 'pino log level.',
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  },
  RAVING_BODY_LIMIT_BYTES: {
    description: 'Largest accepted HTTP request body.',
    schema: z.coerce.number().int().min(1024).default(1_048_576),
  },
  RAVING_WEBHOOK_ALLOW_PRIVATE: {
    description: 'Allow webhook destinations on loopback, private and link-local addresses (for tests and closed networks).',
    schema: booleanFlag.default(false),
  },
  RAVING_WORKER: { description: 'Run the durable job worker in this process.', schema: booleanFlag.default(true) },
  RAVING_WORKER_POLL_MS: {
    description: 'How often the job worker looks for due jobs when idle.',
    schema: z.coerce.number().int().min(10).default(500),
  },
  RAVING_SMTP_PORT: { description: 'Port of the built-in SMTP receiver (0 picks a free port).', schema: port.default(2525) },
  RAVING_SMTP_HOST: { description: 'Address the SMTP receiver binds to.', schema: z.string().min(1).default('127.0.0.1') },
  RAVING_SMTP_ENABLED: { description: 'Start the built-in SMTP receiver.', schema: booleanFlag.default(true) },
  RAVING_TRUST_PROXY: {
    description:
      'Reverse proxies whose X-Forwarded-For/-Proto headers are believed: comma-separated addresses or CIDR ranges (e.g. 127.0.0.1,10.0.0.0/8), or `true` for any. Empty: none, so a client cannot forge its address past the per-address sign-in limit.',
    schema: z
      .string()
      .regex(/^(true|false|[0-9a-fA-F.:/,\s]+)$/, 'must be true, false, or comma-separated addresses or CIDR ranges')
      .optional()
      .transform((value): boolean | string[] => (value === undefined || value === 'false' || value === '0' ? false : value === 'true' || value === '1' ? true : value.split(',').map((item) => item.trim()).filter(Boolean))),
  },
  RAVING_SMTP_MAX_BYTES: { description: 'Largest email the SMTP receiver accepts (bigger ones get a 552).', schema: z.coerce.number().int().min(1024).default(40 * 1024 * 1024) },
  RAVING_SMTP_TLS_KEY: { description: 'PEM private key file; with RAVING_SMTP_TLS_CERT the SMTP receiver offers STARTTLS.', schema: z.string().min(1).optional() },
  RAVING_SMTP_TLS_CERT: { description: 'PEM certificate file for STARTTLS on the SMTP receiver.', schema: z.string().min(1).optional() },
  RAVING_MAIL_RELAY_URL: {
    description: 'Default outgoing SMTP relay (smtp://user:pass@host:587 or smtps://…) for mailboxes without their own and for account mail; empty keeps mail in the outbox.',
    schema: z.string().regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://').optional(),
    secret: true,
  },
  RAVING_MAIL_FROM: { description: 'Sender address of account mail (invitations, password resets).', schema: z.string().email().default('no-reply@raving.invalid') },
  RAVING_ATTACHMENT_MAX_BYTES: { description: 'Largest single email attachment kept; bigger ones are recorded as omitted.', schema: z.coerce.number().int().min(1024).default(30 * 1024 * 1024) },
  RAVING_UPLOAD_EXPIRY_HOURS: { description: 'Files uploaded for a reply (POST /api/v1/email/attachments) that no reply has used are deleted after this many hours (checked hourly).', schema: z.coerce.number().int().min(1).default(24) },
  RAVING_IMAP_POLL_MS: { description: 'How often mailboxes with IMAP settings are polled.', schema: z.coerce.number().int().min(50).default(60_000) },
} satisfies Record<string, SettingDefinition<z.ZodType>>;

type Definitions = typeof settingDefinitions;
export type Config = Readonly<{ [K in keyof Definitions]: z.output<Definitions[K]['schema']> }>;

export class ConfigError extends Error {}

export function loadConfig(environment: NodeJS.ProcessEnv = process.env): Config {
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, definition] of Object.entries(settingDefinitions)) {
    const raw = environment[name];
    const parsed = definition.schema.safeParse(raw === '' ? undefined : raw);
    if (parsed.success) values[name] = parsed.data;
    else problems.push(`${name}: ${parsed.error.issues.map((issue) => issue.message).join('; ')} (got ${JSON.stringify(raw)})`);
  }
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  return Object.freeze(values) as Config;
}
