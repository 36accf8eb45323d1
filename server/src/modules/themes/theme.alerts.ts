import type { AppContext } from '../../context.js';
import { publicLink, queueAccountEmail } from '../email/index.js';

/**
 * The Three Times Rule tells managers twice: the `theme.alerted` event reaches every signed-in
 * screen over the realtime socket (the web app shows it), and each active manager and owner gets an
 * email, queued in the alerting transaction so an alert is never committed without its mail.
 */
export function registerThemeAlerts(context: AppContext): void {
  context.bus.onAppend(async (uow, event) => {
    if (event.type !== 'theme.alerted') return;
    const managers = await uow.trx
      .selectFrom('staff')
      .innerJoin('users', 'users.id', 'staff.user_id')
      .select(['users.email', 'users.name'])
      .where('staff.workspace_id', '=', event.workspaceId)
      .where('staff.is_active', '=', 1)
      .where('staff.role', 'in', ['owner', 'manager'])
      .execute();
    const label = String(event.payload.label ?? 'a theme');
    const link = publicLink(context, '/listening/themes');
    for (const manager of managers) {
      await queueAccountEmail(uow.trx, context.config, {
        workspaceId: event.workspaceId,
        purpose: 'notification',
        to: manager.email,
        subject: `Heard three times: "${label}"`,
        text: [
          `Hello ${manager.name},`,
          '',
          `${String(event.payload.distinctSources ?? 3)} different customers or sources mentioned "${label}" within ${String(event.payload.windowDays ?? 30)} days.`,
          'If you hear something three times, it is probably true: record an action with an owner, or a reason to dismiss it.',
          '',
          link,
        ].join('\n'),
        isSensitive: false,
      });
    }
  });
}
