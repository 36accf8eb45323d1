export { registerStaffVoiceRoutes } from './staff-voice.routes.js';
