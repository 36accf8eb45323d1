import { lazy } from 'react';
import type { Feature } from '../../app/feature';

const InboxPage = lazy(() => import('./InboxPage'));

const feature: Feature = {
  name: 'inbox',
  routes: [
    { index: true, element: <InboxPage /> },
    { path: '/views/:viewId', element: <InboxPage /> },
  ],
};
export default feature;
