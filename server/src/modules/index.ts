import type { App, AppContext } from '../context.js';
import { registerAuditRoutes } from './audit/index.js';
import { registerAuthRoutes } from './auth/index.js';
import { registerCustomerRoutes } from './customers/index.js';
import { registerEmailModule } from './email/index.js';
import { registerCustomerValueRoutes } from './customer-value/index.js';
import { registerEmpowermentSettingsRoutes } from './empowerment-settings/index.js';
import { registerRemedyRoutes } from './remedies/index.js';
import { registerEscalationRoutes } from './escalations/index.js';
import { registerCommitmentRoutes } from './commitments/index.js';
import { registerPestRoutes } from './pests/index.js';
import { registerEmpowermentReportRoutes } from './empowerment-report/index.js';
import { registerMacroRoutes } from './macros/index.js';
import { registerSavedViewRoutes } from './saved-views/index.js';
import { registerSearchRoutes } from './search/index.js';
import { registerStaffRoutes } from './staff/index.js';
import { registerTicketRoutes } from './tickets/index.js';
import { registerWorkspaceRoutes } from './workspaces/index.js';
import { registerWebhookRoutes } from './webhooks/index.js';
import { registerJobRoutes } from './jobs-admin/index.js';
import { defaultDemoSize, fillDemoWorkspace } from './demo/index.js';
import { registerListeningRoutes } from './listening/index.js';
import { registerThemeRoutes } from './themes/index.js';
import { registerComplaintListener, registerFeedbackRoutes } from './feedback/index.js';
import { registerSurveyRoutes, registerSurveyStages } from './surveys/index.js';
import { registerReviewRoutes } from './reviews/index.js';
import { registerStaffVoiceRoutes } from './staff-voice/index.js';
import { registerMysteryShopRoutes } from './mystery-shopping/index.js';
import { registerFeelings } from './feelings/index.js';
import { registerBlameGuard } from './blame-guard/index.js';
import { registerMoments } from './moments/index.js';
import { registerRecovery } from './recovery/index.js';
import { registerProblemRoutes } from './problems/index.js';
import { registerRecoveryReportRoutes } from './recovery-report/index.js';
import { registerBusinessHoursRoutes } from './business-hours/index.js';
import { registerSla } from './sla/index.js';
import { registerConsistencyRoutes } from './consistency/index.js';
import { registerAutomations } from './automations/index.js';
import { registerRouting } from './routing/index.js';
import { registerPlaybooks } from './playbooks/index.js';
import { registerTicketTypes } from './ticket-types/index.js';

/** Every module's routes and listeners; the order only matters for listeners on the same event. */
export async function registerModules(app: App, context: AppContext): Promise<void> {
  let demoProgress: number | null = null;
  registerWorkspaceRoutes(app, context, {
    // The same lived desk as `--demo`: its replay runs the due jobs itself, so the worker waits meanwhile.
    fill: async (owner) => {
      const resume = await context.pauseWorker?.();
      demoProgress = 0;
      try {
        await fillDemoWorkspace(app, context, owner, defaultDemoSize, (share) => (demoProgress = share));
      } finally {
        demoProgress = null;
        resume?.();
      }
    },
    progress: () => demoProgress,
  });
  registerAuthRoutes(app, context);
  registerStaffRoutes(app, context);
  registerBusinessHoursRoutes(app, context);
  registerSla(app, context);
  registerConsistencyRoutes(app, context);
  registerAutomations(app, context);
  registerRouting(app, context);
  registerPlaybooks(app, context);
  registerTicketTypes(app, context);
  registerCustomerRoutes(app, context);
  registerTicketRoutes(app, context);
  registerEmailModule(app, context);
  registerMacroRoutes(app, context);
  registerSavedViewRoutes(app, context);
  registerSearchRoutes(app, context);
  registerAuditRoutes(app, context);
  registerListeningRoutes(app, context);
  registerThemeRoutes(app, context);
  registerFeedbackRoutes(app, context);
  registerComplaintListener(context);
  registerSurveyRoutes(app, context);
  registerSurveyStages(context);
  registerReviewRoutes(app, context);
  registerStaffVoiceRoutes(app, context);
  registerMysteryShopRoutes(app, context);
  registerWebhookRoutes(app, context);
  registerJobRoutes(app, context);
  registerEmpowermentSettingsRoutes(app, context);
  registerCustomerValueRoutes(app, context);
  registerRemedyRoutes(app, context);
  registerEscalationRoutes(app, context);
  registerCommitmentRoutes(app, context);
  registerPestRoutes(app, context);
  registerEmpowermentReportRoutes(app, context);
  registerFeelings(app, context);
  registerBlameGuard(app, context);
  registerMoments(app, context);
  registerRecovery(app, context);
  registerProblemRoutes(app, context);
  registerRecoveryReportRoutes(app, context);
}
