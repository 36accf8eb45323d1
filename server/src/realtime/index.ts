export { registerRealtime } from './realtime.js';
