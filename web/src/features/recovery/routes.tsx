import { lazy, Suspense } from 'react';
import type { Feature } from '../../app/feature';

const ProblemsPage = lazy(() => import('./ProblemsPage').then((module) => ({ default: module.ProblemsPage })));
const MomentsReportPage = lazy(() => import('./MomentsReportPage').then((module) => ({ default: module.MomentsReportPage })));

/** Problems and the moments report; the ticket page mounts TicketMomentsPanel, the composer BlameGuardHint. */
const recovery: Feature = {
  name: 'recovery',
  routes: [
    { path: '/problems', element: <Suspense fallback={null}><ProblemsPage /></Suspense> },
    { path: '/reports/moments', element: <Suspense fallback={null}><MomentsReportPage /></Suspense> },
  ],
};

export default recovery;
export { TicketMomentsPanel } from './TicketMomentsPanel';
export { BlameGuardHint } from './BlameGuardHint';
