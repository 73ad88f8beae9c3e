export type { ProcessResult, RunNodeOptions } from './runNode.js';
export { runNode, runNodeAsync } from './runNode.js';
export type { TempHome } from './tempHome.js';
export { createTempHome } from './tempHome.js';
