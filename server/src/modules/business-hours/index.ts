export { addBusinessTime, alwaysOpen, businessMinutesBetween, isBusinessTime, isValidTimeZone, type BusinessCalendar, type BusinessInterval } from './business-time.js';
export { chooseCalendar, listCalendars, type CalendarRow } from './business-hours.repo.js';
export { registerBusinessHoursRoutes } from './business-hours.routes.js';
