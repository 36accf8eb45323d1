export { registerStaffRoutes, publicUrl } from './staff.routes.js';
export { listStaff, listTeams, requireStaffMember, requireTeam } from './staff.repo.js';
