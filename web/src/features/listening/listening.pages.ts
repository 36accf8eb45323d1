/** The listening pages, in the order of the main navigation and the listening tabs (kept out of the pages' lazy chunks). */
export const listeningPages = [
  { to: '/listening/feedback', label: 'Feedback' },
  { to: '/listening/surveys', label: 'Surveys' },
  { to: '/listening/themes', label: 'Themes' },
  { to: '/listening/reviews', label: 'Reviews' },
  { to: '/listening/staff-voice', label: 'Staff voice' },
  { to: '/listening/mystery-shopping', label: 'Mystery shopping', managerOnly: true },
];
