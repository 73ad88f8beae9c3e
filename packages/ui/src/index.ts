export type { UiHostOptions } from './uiHost.js';
export { createUiHost, DEFAULT_UI_PORT } from './uiHost.js';
