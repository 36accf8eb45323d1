export { registerAuthRoutes } from './auth.routes.js';
export { createSession, deleteUserSessions, findActiveMembership, findSession, findTokenPrincipal, findUserByEmail, findUserById, listMemberships } from './auth.repo.js';
export { MembershipSchema } from './auth.schema.js';
export { hashPassword, verifyPassword } from './passwords.js';
export { setSessionCookie } from './session-cookie.js';
