import { landingLazy, type Feature } from '../../app/feature';

// Almost every visit lands in the inbox.
const InboxPage = landingLazy(() => import('./InboxPage'), location.pathname === '/' || location.pathname.startsWith('/views/'));

const feature: Feature = {
  name: 'inbox',
  routes: [
    { index: true, element: <InboxPage /> },
    { path: '/views/:viewId', element: <InboxPage /> },
  ],
};
export default feature;
