// Prints the README's configuration table from server/src/config.ts, the single source of truth.
import { settingDefinitions } from '../server/src/config.js';

const rows = Object.entries(settingDefinitions).map(([name, definition]) => {
  const parsed = (definition.schema as { safeParse(value: unknown): { success: boolean; data?: unknown } }).safeParse(undefined);
  const fallback = parsed.success && parsed.data !== undefined ? `\`${String(parsed.data)}\`` : '—';
  return `| \`${name}\` | ${definition.description} | ${fallback} | ${'secret' in definition && definition.secret ? 'yes' : ''} |`;
});
console.log(['| Variable | What it does | Default | Secret |', '|---|---|---|---|', ...rows].join('\n'));
