export { registerMacroRoutes } from './macro.routes.js';
export { renderMacro, type MacroVariables } from './macro.render.js';
export { MacroSchema, type Macro } from './macro.schema.js';
