import type { Feature } from '../../app/feature';
import { ApprovalQueuePage } from './ApprovalQueuePage';
import { EmpowermentReportPage } from './EmpowermentReportPage';

/** Approvals queue and empowerment report; the ticket and customer pages mount TicketEmpowermentPanel and CustomerValueCard. */
const empowerment: Feature = {
  name: 'empowerment',
  routes: [
    { path: '/approvals', element: <ApprovalQueuePage /> },
    { path: '/reports/empowerment', element: <EmpowermentReportPage /> },
  ],
};

export default empowerment;
export { TicketEmpowermentPanel } from './TicketEmpowermentPanel';
export { CustomerValueCard } from './CustomerValueCard';
