import type { App, AppContext } from '../../context.js';
import { inUnitOfWork } from '../../events/events.js';
import { actorOf, authOf } from '../../http/authenticate.js';
import { problemResponses } from '../../http/schemas.js';
import { ListeningSettingsPatchSchema, ListeningSettingsSchema, readListeningSettings, updateListeningSettings } from './listening.settings.js';

const tags = ['Listening'];

export function registerListeningRoutes(app: App, context: AppContext): void {
  const { db } = context.database;
  app.get('/api/v1/listening/settings', { schema: { tags, summary: 'Survey stages, throttling, feelings and Three Times Rule settings', response: { 200: ListeningSettingsSchema, ...problemResponses } } }, async (request) =>
    readListeningSettings(db, authOf(request).workspaceId),
  );
  app.patch(
    '/api/v1/listening/settings',
    { config: { minimumRole: 'manager' }, schema: { tags, summary: 'Change listening settings (sections are replaced key by key)', body: ListeningSettingsPatchSchema, response: { 200: ListeningSettingsSchema, ...problemResponses } } },
    async (request) => {
      const { workspaceId } = authOf(request);
      return inUnitOfWork(db, context.bus, async (uow) => {
        const settings = await updateListeningSettings(uow.trx, workspaceId, request.body);
        await context.bus.append(uow, { workspaceId, actor: actorOf(request), type: 'listening.settings_changed', subjectType: 'workspace', subjectId: workspaceId, payload: { changes: request.body } });
        return settings;
      });
    },
  );
}
