/**
 * Reads the live OpenAPI document so route-wide tests (isolation, roles, hostile input) cover
 * every route, including the ones added after these tests were written.
 */
export interface Operation {
  method: string;
  /** OpenAPI template, e.g. /api/v1/tickets/{id}. */
  path: string;
  /** Fastify form, e.g. /api/v1/tickets/:id. */
  route: string;
  pathParams: string[];
  bodySchema: JsonSchema | undefined;
  querySchema: JsonSchema | undefined;
}

export type JsonSchema = Record<string, any>;

export async function loadOperations(baseUrl: string): Promise<Operation[]> {
  const response = await fetch(`${baseUrl}/api/openapi.json`);
  if (response.status !== 200) throw new Error(`openapi.json answered ${response.status}`);
  const document = (await response.json()) as { paths: Record<string, Record<string, any>> };
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const parameters: Array<{ name: string; in: string; schema?: JsonSchema; required?: boolean }> = operation.parameters ?? [];
      const query = parameters.filter((parameter) => parameter.in === 'query');
      operations.push({
        method: method.toUpperCase(),
        path,
        route: path.replace(/\{([^}]+)\}/g, ':$1'),
        pathParams: [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]!),
        bodySchema: operation.requestBody?.content?.['application/json']?.schema,
        querySchema:
          query.length > 0
            ? { type: 'object', properties: Object.fromEntries(query.map((parameter) => [parameter.name, parameter.schema ?? {}])), required: query.filter((parameter) => parameter.required).map((parameter) => parameter.name) }
            : undefined,
      });
    }
  }
  return operations;
}

export function fillPath(path: string, values: Record<string, string>): string {
  return path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(values[name] ?? 'missing'));
}

let counter = 0;

/** A small value that satisfies the schema as far as a schema can tell (names guide strings). */
export function exampleOf(schema: JsonSchema | undefined, name = '', hints: Record<string, unknown> = {}): unknown {
  if (!schema) return undefined;
  if (name in hints) return hints[name];
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  const variants = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(variants)) {
    const usable = variants.filter((variant: JsonSchema) => variant.type !== 'null');
    return exampleOf(usable[usable.length - 1] ?? variants[0], name, hints);
  }
  if (Array.isArray(schema.allOf)) return exampleOf(schema.allOf[0], name, hints);
  const type = Array.isArray(schema.type) ? schema.type.find((t: string) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const result: Record<string, unknown> = {};
      const required: string[] = schema.required ?? [];
      for (const [key, property] of Object.entries<JsonSchema>(schema.properties ?? {})) {
        if (required.includes(key) || key in hints) result[key] = exampleOf(property, key, hints);
      }
      return result;
    }
    case 'array': {
      const count = schema.minItems ?? 0;
      return Array.from({ length: count }, () => exampleOf(schema.items, name, hints));
    }
    case 'integer':
    case 'number':
      return schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : 1);
    case 'boolean':
      return false;
    case 'string':
      return exampleString(schema, name);
    default:
      return 'x';
  }
}

function exampleString(schema: JsonSchema, name: string): string {
  counter += 1;
  const lower = name.toLowerCase();
  let value: string;
  if (schema.format === 'email' || lower.includes('email')) value = `example${counter}@example.com`;
  else if (schema.format === 'uri' || schema.format === 'url' || lower.includes('url') || lower.includes('endpoint')) value = `https://hooks.example.com/receiver/${counter}`;
  else if (lower.includes('password')) value = 'a long enough password 123';
  else if (lower.includes('timezone')) value = 'UTC';
  else if (schema.format === 'date-time' || lower.endsWith('at')) value = new Date(Date.now() + 3600_000).toISOString();
  else if (lower === 'key') value = `k${counter}`;
  else if (schema.pattern) value = `k${counter}`;
  else value = `Example ${name || 'value'} ${counter}`;
  if (schema.minLength && value.length < schema.minLength) value = value.padEnd(schema.minLength, 'x');
  if (schema.maxLength && value.length > schema.maxLength) value = value.slice(0, schema.maxLength);
  return value;
}

/**
 * Strings that look like ids in a JSON value, under keys named id or ending in Id. With `kinds`,
 * only the first id of each kind (source and key) is kept: one of every kind is what route-wide
 * tests need, and all of them would make those tests quadratic.
 */
export function collectIds(value: unknown, into: Set<string> = new Set(), kinds?: { seen: Set<string>; source: string }): Set<string> {
  if (Array.isArray(value)) for (const item of value) collectIds(item, into, kinds);
  else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (typeof child === 'string' && (key === 'id' || key.endsWith('Id')) && child.length >= 8) {
        const kind = kinds && `${kinds.source} ${key}`;
        if (kind && kinds.seen.has(kind)) continue;
        kinds?.seen.add(kind!);
        into.add(child);
      } else collectIds(child, into, kinds);
    }
  }
  return into;
}

/** Runs route-wide checks a few at a time: thousands of cheap requests. */
export async function inParallel(tasks: Array<() => Promise<void>>, width = 8): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < tasks.length) await tasks[next++]!();
    }),
  );
}
