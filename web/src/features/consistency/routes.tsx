import type { Feature } from '../../app/feature';
import { ConsistencyReportPage } from './ConsistencyReportPage';
import { SlaPoliciesPage } from './SlaPoliciesPage';

/** Consistency report and SLA settings; the ticket page may mount TicketSlaBadges. */
const consistency: Feature = {
  name: 'consistency',
  routes: [{ path: '/reports/consistency', element: <ConsistencyReportPage /> }],
  settingsPages: [{ path: 'sla', label: 'SLA policies', element: <SlaPoliciesPage />, managerOnly: true, order: 40 }],
};

export default consistency;
export { TicketSlaBadges } from './TicketSlaBadges';
