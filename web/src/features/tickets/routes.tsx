import { lazy } from 'react';
import type { Feature } from '../../app/feature';

const TicketPage = lazy(() => import('./TicketPage'));

const feature: Feature = {
  name: 'tickets',
  routes: [{ path: '/tickets/:ticketId', element: <TicketPage /> }],
};
export default feature;
