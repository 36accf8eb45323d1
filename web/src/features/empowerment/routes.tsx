import type { Feature } from '../../app/feature';
import { ApprovalQueuePage } from './ApprovalQueuePage';
import { EmpowermentReportPage } from './EmpowermentReportPage';
import { TicketRemediesPage } from './TicketRemediesPage';

/** Approvals queue and empowerment report; the ticket and customer pages mount TicketEmpowermentPanel and CustomerValueCard. */
const empowerment: Feature = {
  name: 'empowerment',
  routes: [
    { path: '/approvals', element: <ApprovalQueuePage /> },
    { path: '/reports/empowerment', element: <EmpowermentReportPage /> },
    { path: '/tickets/:ticketId/remedies', element: <TicketRemediesPage /> },
  ],
};

export default empowerment;
export { TicketEmpowermentPanel } from './TicketEmpowermentPanel';
export { CustomerValueCard } from './CustomerValueCard';
