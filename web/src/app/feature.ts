import { createContext, useContext, type ReactNode } from 'react';
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

/**
 * What one feature folder contributes. `routes` render inside the signed-in shell; `publicRoutes`
 * render without it (sign-in, setup, invitation).
 */
export interface Feature {
  name: string;
  routes?: RouteObject[];
  publicRoutes?: RouteObject[];
  settingsPages?: SettingsPage[];
}

export const FeaturesContext = createContext<Feature[]>([]);
export const useFeatures = () => useContext(FeaturesContext);
