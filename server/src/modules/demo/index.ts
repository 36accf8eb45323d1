export { generateDemoData, demoStaffPassword, type DemoOptions } from './demo.generator.js';
export { ensureDemoWorkspace, fillDemoWorkspace, defaultDemoSize, demoOwnerEmail, type DemoDeskSize } from './demo.workspace.js';
