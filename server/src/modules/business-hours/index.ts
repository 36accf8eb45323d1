export { addBusinessTime, alwaysOpen, businessMinutesBetween, isBusinessTime, isValidTimeZone, type BusinessCalendar, type BusinessInterval } from './business-time.js';
export { resolveCalendar } from './business-hours.repo.js';
export { registerBusinessHoursRoutes } from './business-hours.routes.js';
