export { generateDemoData, demoStaffPassword, type DemoOptions } from './demo.generator.js';
