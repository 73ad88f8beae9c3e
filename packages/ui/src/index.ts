export { createAdminApp } from './adminApp.js';
export { sessionCookieName, uiHosts } from './security/requestGuards.js';
export { SECURITY_HEADERS } from './security/securityHeaders.js';
export type { Flash, SessionLimits, UiSession } from './security/sessionStore.js';
export { DEFAULT_SESSION_LIMITS, SessionStore } from './security/sessionStore.js';
export type { AdminUiDeps, UiEnv } from './uiContext.js';
export { UI_ACTOR, UI_HOSTNAME, UI_SOURCE_APP, uiAddress, uiUrl } from './uiContext.js';
export type { UiHostOptions } from './uiHost.js';
export { createUiHost, DEFAULT_UI_PORT } from './uiHost.js';
