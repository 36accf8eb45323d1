import { createQueryId, type Compilable, type CompiledQuery, type QueryResult } from 'kysely';
import type { Tx } from './database.js';

const argumentName = Symbol('prepared query argument');

interface Placeholder {
  readonly [argumentName]: string;
}

function isPlaceholder(value: unknown): value is Placeholder {
  return typeof value === 'object' && value !== null && argumentName in value;
}

interface Plan {
  compiled: CompiledQuery;
  /** Each parameter: the name of an argument, or a constant the query was built with. */
  slots: Array<{ argument: string } | { constant: unknown }>;
}

function planOf(compiled: CompiledQuery, names: string[]): Plan {
  const slots = compiled.parameters.map((parameter) => (isPlaceholder(parameter) ? { argument: parameter[argumentName] } : { constant: parameter }));
  const bound = new Set(slots.flatMap((slot) => ('argument' in slot ? [slot.argument] : [])));
  const missing = names.filter((name) => !bound.has(name));
  // An argument Kysely did not pass as a parameter (say, inlined as a literal) would be silently ignored.
  if (missing.length > 0) throw new Error(`prepared query: ${missing.join(', ')} did not become parameters`);
  return { compiled, slots };
}

/**
 * A hot statement that Kysely builds and compiles once per database and argument names, then runs
 * with new arguments. Building and compiling cost more CPU than SQLite took to run the simple
 * statements of a ticket creation (profiled: about a fifth of the server's time per ticket was in
 * Kysely), so the few statements that every write runs are prepared this way; everything else
 * uses the builder directly.
 *
 * It stays one code path for both dialects: the query is written with the builder, receiving
 * placeholders in place of the arguments (an insert can pass them straight to `values()`); each
 * placeholder must become a parameter, and the compiled SQL is kept per dialect adapter. As with
 * the builder, an argument that is undefined is left out (an insert's column takes its default),
 * so the argument names present choose the plan. Plugins (the benchmarks' statement counters)
 * still see every run: with plugins present, the query is transformed and compiled each time.
 */
export function preparedQuery<A extends Record<string, unknown>, R>(build: (db: Tx, args: A) => Compilable<R>): (trx: Tx, args: A) => Promise<QueryResult<R>> {
  const plans = new WeakMap<object, Map<string, Plan>>();
  return async (trx, args) => {
    const names = Object.keys(args).filter((name) => args[name] !== undefined);
    const signature = names.join(',');
    const executor = trx.getExecutor();
    let byNames = plans.get(executor.adapter);
    let plan = byNames?.get(signature);
    if (!plan || executor.plugins.length > 0) {
      const placeholders = Object.fromEntries(names.map((name) => [name, { [argumentName]: name } satisfies Placeholder])) as A;
      const node = build(trx.withoutPlugins(), placeholders).compile().query;
      const queryId = createQueryId();
      plan = planOf(executor.compileQuery(executor.transformQuery(node, queryId), queryId), names);
      if (executor.plugins.length === 0) {
        if (!byNames) plans.set(executor.adapter, (byNames = new Map()));
        byNames.set(signature, plan);
      }
    }
    const parameters = plan.slots.map((slot) => ('argument' in slot ? args[slot.argument] : slot.constant));
    return trx.executeQuery<R>({ ...plan.compiled, parameters } as CompiledQuery<R>);
  };
}
