/**
 * Terminal commands. `npm run setup` is first-run setup for people who would rather not open a
 * browser first (or who script installs): it asks for the workspace and its owner, or takes them as
 * flags, and runs the same use case as POST /api/v1/setup.
 */
import path from 'node:path';
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import type { z } from 'zod';
import { ConfigError, loadConfig, type Config } from './config.js';
import { openDatabase, type DatabaseHandle } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { EventBus, inUnitOfWork } from './events/events.js';
import { DomainError } from './http/errors.js';
import { EmailSchema, lineText, PasswordSchema } from './http/schemas.js';
import { countWorkspaces, runFirstSetup, TimeZoneSchema } from './modules/workspaces/index.js';

const usage = `Usage: npm run setup [-- options]

Creates the first workspace and its owner, then tells you where to sign in.
Asks for anything not given as an option.

Options:
  --workspace <name>    Name of the workspace (your business or brand)
  --name <name>         Owner's full name
  --email <address>     Owner's email address (used to sign in)
  --password <secret>   Owner's password, at least 10 characters. Prefer typing it at the
                        prompt: a password on the command line can be seen by other users.
  --time-zone <zone>    IANA time zone for business hours and reports (default: this machine's)
  -h, --help            Show this help`;

class CliError extends Error {}

/** Reads answers from the terminal (or from piped lines when scripted). */
class Prompter {
  private readonly lines: string[] = [];
  private readonly waiting: Array<(line: string | undefined) => void> = [];
  private closed = false;
  private muted = false;
  private readonly rl: readline.Interface;

  constructor(private readonly input: NodeJS.ReadStream, private readonly output: NodeJS.WriteStream) {
    this.rl = readline.createInterface({ input, output: input.isTTY ? output : undefined, terminal: Boolean(input.isTTY) });
    // While a password is typed, echo nothing: `_writeToOutput` is readline's single echo point.
    const echo = this.rl as unknown as { _writeToOutput(text: string): void };
    const original = echo._writeToOutput?.bind(this.rl);
    if (original) echo._writeToOutput = (text: string) => (this.muted ? undefined : original(text));
    this.rl.on('line', (line) => {
      const next = this.waiting.shift();
      if (next) next(line);
      else this.lines.push(line);
    });
    this.rl.on('close', () => {
      this.closed = true;
      for (const next of this.waiting.splice(0)) next(undefined);
    });
  }

  async ask(question: string, options: { secret?: boolean } = {}): Promise<string> {
    this.output.write(question);
    this.muted = Boolean(options.secret && this.input.isTTY);
    const line = this.lines.shift() ?? (this.closed ? undefined : await new Promise<string | undefined>((resolve) => this.waiting.push(resolve)));
    if (this.muted || !this.input.isTTY) this.output.write('\n');
    this.muted = false;
    if (line === undefined) throw new CliError('Input ended before setup was complete.');
    return line;
  }

  close(): void {
    this.rl.close();
  }
}

/** Takes the flag if given (and valid), else asks until the answer is valid. */
async function obtain<T extends z.ZodType>(prompter: () => Prompter, schema: T, given: string | undefined, question: string, what: string, options: { secret?: boolean; fallback?: string } = {}): Promise<z.output<T>> {
  if (given !== undefined) {
    const parsed = schema.safeParse(given);
    if (!parsed.success) throw new CliError(`${what} ${parsed.error.issues[0]?.message ?? 'is not valid'}.`);
    return parsed.data;
  }
  for (let tries = 0; tries < 5; tries++) {
    const answer = await prompter().ask(question, options);
    const parsed = schema.safeParse(answer.trim() === '' && options.fallback !== undefined ? options.fallback : options.secret ? answer : answer.trim());
    if (parsed.success) return parsed.data;
    process.stdout.write(`  ${what} ${parsed.error.issues[0]?.message ?? 'is not valid'}; try again.\n`);
  }
  throw new CliError(`No valid ${what.toLowerCase()} after five tries.`);
}

function localTimeZone(): string {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return TimeZoneSchema.safeParse(zone).success ? zone : 'UTC';
}

function signInUrl(config: Config): string {
  return config.RAVING_PUBLIC_URL ?? `http://localhost:${config.PORT}/`;
}

async function setup(argv: string[], config: Config, database: DatabaseHandle): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      workspace: { type: 'string' },
      name: { type: 'string' },
      email: { type: 'string' },
      password: { type: 'string' },
      'time-zone': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  const refuseIfDone = async () => {
    const workspaces = await countWorkspaces(database.db);
    if (workspaces > 0) throw new CliError(`Raving is already set up (${workspaces} workspace${workspaces === 1 ? '' : 's'}). Sign in at ${signInUrl(config)} instead; the instance's owner can add workspaces from there.`);
  };
  await refuseIfDone();

  let prompter: Prompter | undefined;
  const prompt = () => (prompter ??= new Prompter(process.stdin, process.stdout));
  try {
    if ([values.workspace, values.name, values.email, values.password].some((value) => value === undefined)) console.log('Setting up Raving: the first workspace and its owner.\n');
    const workspaceName = await obtain(prompt, lineText(120), values.workspace, 'Workspace name: ', 'The workspace name');
    const ownerName = await obtain(prompt, lineText(120), values.name, 'Your name: ', 'Your name');
    const email = await obtain(prompt, EmailSchema, values.email, 'Your email: ', 'The email');
    let password = await obtain(prompt, PasswordSchema, values.password, 'Password (at least 10 characters): ', 'The password', { secret: true });
    if (values.password === undefined && process.stdin.isTTY) {
      while ((await prompt().ask('Password again: ', { secret: true })) !== password) {
        console.log("  The passwords don't match; choose it again.");
        password = await obtain(prompt, PasswordSchema, undefined, 'Password (at least 10 characters): ', 'The password', { secret: true });
      }
    }
    const timeZone = values['time-zone'] !== undefined ? await obtain(prompt, TimeZoneSchema, values['time-zone'], '', 'The time zone') : localTimeZone();

    const bus = new EventBus();
    await inUnitOfWork(database.db, bus, (uow) => runFirstSetup(uow, bus, database.dialect, { workspaceName, ownerName, email, password, timeZone }));
    console.log(`\nDone: workspace "${workspaceName}" (time zone ${timeZone}) with owner ${email}.`);
    console.log(`Start Raving with \`npm start\` if it is not running, then open ${signInUrl(config)} and sign in.`);
  } catch (error) {
    if (error instanceof DomainError && error.code === 'setup_already_done') await refuseIfDone();
    throw error;
  } finally {
    prompter?.close();
  }
}

export async function runCli(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command !== 'setup') {
    console.error(command ? `Unknown command "${command}".\n\n${usage}` : usage);
    return 2;
  }
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
  const database = openDatabase({ url: config.RAVING_DATABASE_URL, sqliteFile: path.join(config.RAVING_DATA_DIR, 'raving.db') });
  try {
    await migrateToLatest(database);
    await setup(rest, config, database);
    return 0;
  } catch (error) {
    if (error instanceof CliError || error instanceof DomainError) {
      console.error(`\n${error.message}`);
      return 1;
    }
    if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
      console.error(`${error.message}\n\n${usage}`);
      return 2;
    }
    throw error;
  } finally {
    await database.close();
  }
}

process.exitCode = await runCli(process.argv.slice(2));
