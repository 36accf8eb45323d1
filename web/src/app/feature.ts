import { createContext, lazy, useContext, type ComponentType, type ReactNode } from 'react';
import type { RouteObject } from 'react-router-dom';

/** A page under Settings; features (email, automations…) contribute their own. */
export interface SettingsPage {
  path: string;
  label: string;
  element: ReactNode;
  managerOnly?: boolean;
  /** Lower comes first in the settings navigation. */
  order?: number;
}

/** The sections of the main navigation, top to bottom; Settings is the frame's own link at the bottom. */
export const navGroups = [
  { key: 'inbox', label: 'Inbox' },
  { key: 'customers', label: 'Customers' },
  { key: 'reports', label: 'Reports' },
  { key: 'listening', label: 'Listening' },
] as const;
export type NavGroup = (typeof navGroups)[number]['key'];

/** A link in the main navigation to one of a feature's pages. */
export interface NavEntry {
  group: NavGroup;
  to: string;
  label: string;
  /** Hidden from agents when the page only answers managers and owners. */
  managerOnly?: boolean;
  /** Lower comes first within its group. */
  order?: number;
}

/**
 * What one feature folder contributes. `routes` render inside the signed-in shell; `publicRoutes`
 * render without it (sign-in, setup, invitation).
 */
export interface Feature {
  name: string;
  routes?: RouteObject[];
  publicRoutes?: RouteObject[];
  settingsPages?: SettingsPage[];
  nav?: NavEntry[];
}

export const FeaturesContext = createContext<Feature[]>([]);
export const useFeatures = () => useContext(FeaturesContext);

/**
 * React.lazy for the page a visit most likely lands on: when `isLanding` holds, its code starts
 * loading with the app (beside the session check) instead of once the route renders, and once loaded
 * it renders without suspending. A settled promise still suspends a lazy component for a turn, and
 * React then holds the page back (it throttles revealing suspended content), so a loaded module is
 * handed over through a thenable that answers at once.
 */
export function landingLazy<Props>(load: () => Promise<{ default: ComponentType<Props> }>, isLanding: boolean) {
  let loaded: { default: ComponentType<Props> } | undefined;
  const remember = () => load().then((module) => (loaded = module));
  const early = isLanding ? remember() : undefined;
  return lazy(() => (loaded ? ({ then: (resolve: (module: { default: ComponentType<Props> }) => void) => resolve(loaded!) } as Promise<{ default: ComponentType<Props> }>) : (early ?? remember())));
}
