/** The order of tickets the agent last saw in the inbox, so j/k on a ticket page walk the same list. */
let order: string[] = [];

export function rememberTicketOrder(ids: string[]): void {
  order = ids;
}

export function neighbourOf(id: string, step: 1 | -1): string | undefined {
  const index = order.indexOf(id);
  if (index < 0) return undefined;
  return order[index + step];
}
