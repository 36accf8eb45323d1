import type { TicketEvent } from '../../app/types';

/**
 * Bookkeeping other features write against a ticket (scores, moments, timers, values): the moments
 * panel and the reports show them; between the messages they would only bury what people did.
 */
const bookkeeping = /^(message\.created|ticket\.handle_time_recorded|feelings\.|moment\.|customer\.value_changed|sla\.)/;

/** One line of the ticket's timeline for an event, or null when it is not worth a line. */
export function describeEvent(event: TicketEvent, names: Map<string, string>): string | null {
  if (bookkeeping.test(event.type)) return null;
  const who = event.actor.type === 'staff' || event.actor.type === 'token' ? names.get(event.actor.id ?? '') ?? 'Someone' : event.actor.type === 'customer' ? 'The customer' : 'Raving';
  const payload = event.payload as Record<string, unknown>;
  const staffName = (id: unknown) => names.get(String(id)) ?? 'someone';
  switch (event.type) {
    case 'ticket.created':
      return `${who} created the ticket`;
    case 'ticket.status_changed':
      return `${who} changed the status to ${String(payload.to ?? payload.status ?? '').replace(/_/g, ' ')}`;
    case 'ticket.assigned': {
      const to = payload.to ?? payload.assigneeId;
      // Routing's reason is on its own routing.assigned line; other reasons (a rule, an agent going away) show here.
      const reason = typeof payload.reason === 'string' && !payload.reason.startsWith('routing ') ? ` (${payload.reason})` : '';
      return (to ? `${who} assigned it to ${staffName(to)}` : `${who} unassigned it`) + reason;
    }
    case 'ticket.type_changed':
      return payload.to ? `${who} set the type to ${String(payload.to)}` : `${who} removed the type`;
    case 'playbook.step_ticked':
      return `${who} ticked “${String(payload.title ?? '')}”`;
    case 'playbook.step_unticked':
      return `${who} unticked “${String(payload.title ?? '')}”`;
    case 'playbook.attached':
      return `${who} attached the checklist “${String(payload.name ?? '')}”${payload.ticketType ? ` of the type ${String(payload.ticketType)}` : ''}`;
    case 'ticket.priority_changed':
      return `${who} set the priority to ${String(payload.to ?? payload.priority ?? '')}`;
    case 'ticket.tags_changed':
      return `${who} changed the tags`;
    case 'ticket.escalated':
      return `${who} escalated it`;
    case 'ticket.merged':
      return `${who} merged tickets`;
    case 'ticket.split':
      return `${who} split the ticket`;
    case 'ticket.linked':
      return `${who} linked a ticket`;
    case 'ticket.unlinked':
      return `${who} removed a link`;
    case 'routing.assigned':
      return `Raving routed it to ${staffName(payload.staffId)}${payload.reason ? ` (${String(payload.reason)})` : ''}`;
    case 'routing.unassigned':
      return `Raving could not route it${payload.reason ? `: ${String(payload.reason)}` : ''}`;
    case 'remedy.granted':
      return `${who} granted a remedy`;
    case 'automation.action_applied':
      return `Rule “${String(payload.ruleName ?? '')}” applied: ${actionLabel(payload.action)}`;
    case 'automation.action_skipped':
      return `Rule “${String(payload.ruleName ?? '')}” skipped ${actionLabel(payload.action)}${payload.reason ? `: ${String(payload.reason)}` : ''}`;
    case 'automation.loop_stopped':
      return 'Raving stopped automations that kept triggering each other';
    case 'survey.sent':
      return 'Raving sent the satisfaction survey';
    case 'survey.answered':
      return 'The customer answered the survey';
    default:
      // Unknown changes made by people still show, so nothing anyone did goes missing.
      return who === 'Raving' ? null : `${who}: ${event.type.replace(/[._]/g, ' ')}`;
  }
}

/** 'set_priority' → 'set priority', so a rule's action reads as words on the timeline. */
function actionLabel(action: unknown): string {
  const type = typeof action === 'object' && action !== null && 'type' in action ? String((action as { type: unknown }).type) : 'an action';
  return type.replace(/_/g, ' ');
}
