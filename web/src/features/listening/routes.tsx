import { lazy } from 'react';
import type { Feature } from '../../app/feature';
import { listeningPages } from './listening.pages';

const FeedbackPage = lazy(() => import('./FeedbackPage'));
const SurveysPage = lazy(() => import('./SurveysPage'));
const ThemesPage = lazy(() => import('./ThemesPage'));
const ReviewsPage = lazy(() => import('./ReviewsPage'));
const StaffVoicePage = lazy(() => import('./StaffVoicePage'));
const SurveySettingsPage = lazy(() => import('./SurveySettingsPage'));
const ListeningReportPage = lazy(() => import('./ListeningReportPage'));
const MysteryShoppingPage = lazy(() => import('./MysteryShoppingPage'));

const feature: Feature = {
  name: 'listening',
  routes: [
    { path: '/listening/feedback', element: <FeedbackPage /> },
    { path: '/listening/surveys', element: <SurveysPage /> },
    { path: '/listening/themes', element: <ThemesPage /> },
    { path: '/listening/reviews', element: <ReviewsPage /> },
    { path: '/listening/staff-voice', element: <StaffVoicePage /> },
    { path: '/listening/mystery-shopping', element: <MysteryShoppingPage /> },
    { path: '/reports/listening', element: <ListeningReportPage /> },
  ],
  nav: [
    ...listeningPages.map((page, index) => ({ group: 'listening' as const, to: page.to, label: page.label, managerOnly: page.managerOnly, order: (index + 1) * 10 })),
    { group: 'reports', to: '/reports/listening', label: 'Listening', order: 50 },
  ],
  settingsPages: [{ path: 'surveys', label: 'Surveys and themes', element: <SurveySettingsPage />, managerOnly: true, order: 60 }],
};
export default feature;
