import type { App, AppContext } from '../../context.js';
import { inUnitOfWork } from '../../events/events.js';
import { actorOf, authOf } from '../../http/authenticate.js';
import { problemResponses } from '../../http/schemas.js';
import { EmpowermentSettingsSchema, UpdateEmpowermentSettingsSchema } from './settings.schema.js';
import { loadEmpowermentSettings, updateEmpowermentSettings } from './settings.service.js';

const tags = ['Empowerment'];

export function registerEmpowermentSettingsRoutes(app: App, context: AppContext): void {
  const { db } = context.database;

  app.get('/api/v1/empowerment/settings', { schema: { tags, summary: 'Empowerment limits, hourly cost, tiers and thresholds', response: { 200: EmpowermentSettingsSchema, ...problemResponses } } }, async (request) =>
    loadEmpowermentSettings(db, authOf(request).workspaceId),
  );

  app.put(
    '/api/v1/empowerment/settings',
    {
      config: { minimumRole: 'manager' },
      schema: { tags, summary: 'Change empowerment settings (partial; per-agent overrides set to null are removed)', body: UpdateEmpowermentSettingsSchema, response: { 200: EmpowermentSettingsSchema, ...problemResponses } },
    },
    async (request) => {
      const { workspaceId } = authOf(request);
      return inUnitOfWork(db, context.bus, (uow) => updateEmpowermentSettings(uow, context.bus, workspaceId, actorOf(request), request.body));
    },
  );
}
