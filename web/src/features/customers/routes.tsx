import { lazy } from 'react';
import type { Feature } from '../../app/feature';

const CustomerPage = lazy(() => import('./CustomerPage'));
const CustomersPage = lazy(() => import('./CustomersPage'));

const feature: Feature = {
  name: 'customers',
  routes: [
    { path: '/customers', element: <CustomersPage /> },
    { path: '/customers/:customerId', element: <CustomerPage /> },
  ],
  nav: [{ group: 'customers', to: '/customers', label: 'Customers' }],
};
export default feature;
