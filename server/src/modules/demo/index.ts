export { generateDemoData, demoStaffPassword, type DemoOptions } from './demo.generator.js';
export { ensureDemoWorkspace, demoOwnerEmail } from './demo.workspace.js';
