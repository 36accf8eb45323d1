import { lazy, Suspense } from 'react';
import type { Feature } from '../../app/feature';

const ProblemsPage = lazy(() => import('./ProblemsPage').then((module) => ({ default: module.ProblemsPage })));
const MomentsReportPage = lazy(() => import('./MomentsReportPage').then((module) => ({ default: module.MomentsReportPage })));
const RecoverySettingsPage = lazy(() => import('./RecoverySettingsPage').then((module) => ({ default: module.RecoverySettingsPage })));
const BlamePhrasesPage = lazy(() => import('./BlamePhrasesPage').then((module) => ({ default: module.BlamePhrasesPage })));

/** Problems, the moments report and their settings; the ticket page mounts TicketMomentsPanel, the composer BlameGuardHint. */
const recovery: Feature = {
  name: 'recovery',
  routes: [
    { path: '/problems', element: <Suspense fallback={null}><ProblemsPage /></Suspense> },
    { path: '/reports/moments', element: <Suspense fallback={null}><MomentsReportPage /></Suspense> },
  ],
  settingsPages: [
    { path: 'recovery', label: 'Service recovery', element: <Suspense fallback={null}><RecoverySettingsPage /></Suspense>, managerOnly: true, order: 50 },
    { path: 'blame-guard', label: 'Blame guard', element: <Suspense fallback={null}><BlamePhrasesPage /></Suspense>, managerOnly: true, order: 51 },
  ],
};

export default recovery;
export { TicketMomentsPanel } from './TicketMomentsPanel';
export { BlameGuardHint } from './BlameGuardHint';
