export { addBusinessTime, alwaysOpen, businessMinutesBetween, isBusinessTime, isValidTimeZone, type BusinessCalendar, type BusinessInterval } from './business-time.js';
