/** What a macro's {{variables}} can refer to; values are plain text, the composer sends text. */
export interface MacroVariables {
  customer: { name: string; first_name: string; email: string };
  ticket: { number: string; subject: string };
  agent: { name: string; first_name: string };
}

/**
 * Fills {{group.field}} placeholders. Unknown variables are left as written so the agent sees what
 * did not resolve instead of a silent gap in a message to a customer.
 */
export function renderMacro(body: string, variables: MacroVariables): string {
  return body.replace(/\{\{\s*([a-z_]+)\.([a-z_]+)\s*\}\}/g, (whole, group: string, field: string) => {
    const groups = variables as unknown as Record<string, Record<string, string>>;
    // Own properties only: {{constructor.name}} must not reach Object.prototype.
    const values = Object.hasOwn(groups, group) ? groups[group] : undefined;
    const value = values && Object.hasOwn(values, field) ? values[field] : undefined;
    return value === undefined ? whole : value;
  });
}

export function firstNameOf(name: string): string {
  return name.trim().split(/\s+/)[0] ?? '';
}
