import type { RouteObject } from 'react-router-dom';
import type { Feature, NavEntry } from './feature';
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
 * Main-navigation entries of the features whose folders do not declare `nav` yet; a folder's own
 * `nav` replaces its entry here. Manager-only where the pages' API answers managers only.
 */
const navigation: Record<string, NavEntry[]> = {
  empowerment: [
    { group: 'inbox', to: '/approvals', label: 'Approvals', managerOnly: true },
    { group: 'reports', to: '/reports/empowerment', label: 'Empowerment', managerOnly: true, order: 20 },
  ],
  consistency: [{ group: 'reports', to: '/reports/consistency', label: 'Consistency', managerOnly: true, order: 10 }],
  recovery: [
    { group: 'reports', to: '/reports/moments', label: 'Moments of truth', managerOnly: true, order: 30 },
    { group: 'reports', to: '/problems', label: 'Problems', order: 40 },
  ],
};

/**
 * Every feature's routes. To add a feature: create web/src/features/<domain>/routes.tsx exporting a
 * default `Feature`, and add it to this list (one import, one entry). Import pages with React.lazy in
 * that file: whatever it imports eagerly lands in the first page's bundle.
 */
export const features: Feature[] = [auth, inbox, tickets, customers, settings, search, empowerment, listening, consistency, recovery].map((feature) => ({ nav: navigation[feature.name], ...feature }));

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
