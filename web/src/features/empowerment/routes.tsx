import type { Feature } from '../../app/feature';
import { ApprovalQueuePage } from './ApprovalQueuePage';
import { EmpowermentReportPage } from './EmpowermentReportPage';

/** Approvals queue and empowerment report; the ticket page mounts TicketEmpowermentPanel. */
const empowerment: Feature = {
  name: 'empowerment',
  routes: [
    { path: '/approvals', element: <ApprovalQueuePage /> },
    { path: '/reports/empowerment', element: <EmpowermentReportPage /> },
  ],
};

export default empowerment;
export { TicketEmpowermentPanel } from './TicketEmpowermentPanel';
