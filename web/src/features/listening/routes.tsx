import { lazy } from 'react';
import type { Feature } from '../../app/feature';

const FeedbackPage = lazy(() => import('./FeedbackPage'));
const ThemesPage = lazy(() => import('./ThemesPage'));
const ReviewsPage = lazy(() => import('./ReviewsPage'));
const StaffVoicePage = lazy(() => import('./StaffVoicePage'));
const SurveySettingsPage = lazy(() => import('./SurveySettingsPage'));

const feature: Feature = {
  name: 'listening',
  routes: [
    { path: '/listening/feedback', element: <FeedbackPage /> },
    { path: '/listening/themes', element: <ThemesPage /> },
    { path: '/listening/reviews', element: <ReviewsPage /> },
    { path: '/listening/staff-voice', element: <StaffVoicePage /> },
  ],
  settingsPages: [{ path: 'surveys', label: 'Surveys and themes', element: <SurveySettingsPage />, managerOnly: true, order: 60 }],
};
export default feature;
