import { lazy } from 'react';
import type { Feature } from '../../app/feature';

const ConsistencyReportPage = lazy(() => import('./ConsistencyReportPage').then((module) => ({ default: module.ConsistencyReportPage })));
const SlaPoliciesPage = lazy(() => import('./SlaPoliciesPage').then((module) => ({ default: module.SlaPoliciesPage })));
const BusinessHoursPage = lazy(() => import('./BusinessHoursPage').then((module) => ({ default: module.BusinessHoursPage })));
const AutomationsPage = lazy(() => import('./AutomationsPage').then((module) => ({ default: module.AutomationsPage })));
const RoutingPage = lazy(() => import('./RoutingPage').then((module) => ({ default: module.RoutingPage })));
const PlaybooksPage = lazy(() => import('./PlaybooksPage').then((module) => ({ default: module.PlaybooksPage })));
const TicketTypesPage = lazy(() => import('./TicketTypesPage').then((module) => ({ default: module.TicketTypesPage })));

/**
 * The consistency report and the settings that make service predictable: business hours, SLA
 * policies, automations, routing, playbooks and the ticket types that give them. The ticket page can mount TicketSlaBadges from this
 * folder directly (the countdown per target).
 */
const consistency: Feature = {
  name: 'consistency',
  routes: [{ path: '/reports/consistency', element: <ConsistencyReportPage /> }],
  settingsPages: [
    { path: 'business-hours', label: 'Business hours', element: <BusinessHoursPage />, managerOnly: true, order: 41 },
    { path: 'sla', label: 'SLA policies', element: <SlaPoliciesPage />, managerOnly: true, order: 42 },
    { path: 'automations', label: 'Automations', element: <AutomationsPage />, managerOnly: true, order: 43 },
    { path: 'routing', label: 'Routing', element: <RoutingPage />, managerOnly: true, order: 44 },
    { path: 'playbooks', label: 'Playbooks', element: <PlaybooksPage />, managerOnly: true, order: 45 },
    { path: 'ticket-types', label: 'Ticket types', element: <TicketTypesPage />, managerOnly: true, order: 46 },
  ],
};

export default consistency;
