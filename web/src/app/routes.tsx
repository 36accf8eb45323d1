import type { RouteObject } from 'react-router-dom';
import type { Feature } from './feature';
import { Gate } from './Gate';
import { Shell } from './Shell';
import auth from '../features/auth/routes';
import inbox from '../features/inbox/routes';
import tickets from '../features/tickets/routes';
import customers from '../features/customers/routes';
import settings from '../features/settings/routes';
import search from '../features/search/routes';
import listening from '../features/listening/routes';
import empowerment from '../features/empowerment/routes';
import recovery from '../features/recovery/routes';
import consistency from '../features/consistency/routes';

/**
 * Every feature's routes. To add a feature: create web/src/features/<domain>/routes.tsx exporting a
 * default `Feature`, and add it to this list (one import, one entry). Import pages with React.lazy in
 * that file: whatever it imports eagerly lands in the first page's bundle.
 */
export const features: Feature[] = [auth, inbox, tickets, customers, settings, search, empowerment, listening, consistency, recovery];

export function buildRoutes(): RouteObject[] {
  return [
    {
      element: <Gate />,
      children: [
        ...features.flatMap((feature) => feature.publicRoutes ?? []),
        { element: <Shell />, children: features.flatMap((feature) => feature.routes ?? []) },
      ],
    },
  ];
}
