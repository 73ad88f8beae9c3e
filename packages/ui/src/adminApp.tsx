import { asDamagedDatabaseError } from '@agentspace/db';
import { Hono } from 'hono';
import { registerAgentActions } from './routes/agentActions.js';
import { registerAgentPages } from './routes/agentPages.js';
import { registerAuditRoutes } from './routes/auditRoutes.js';
import { registerLoginRoutes, registerLogoutRoute } from './routes/loginRoutes.js';
import { registerToolActions } from './routes/toolActions.js';
import { bodyLimit } from './security/bodyLimit.js';
import { refuseMalformed } from './security/readForm.js';
import { refuseRequest } from './security/refuseRequest.js';
import { csrfGuard, hostGuard, sameOriginGuard, sessionGuard } from './security/requestGuards.js';
import { securityHeaders } from './security/securityHeaders.js';
import type { AdminUiDeps, UiEnv } from './uiContext.js';
import { BarePage } from './views/layout.js';
import { NotFoundPage } from './views/notFoundPage.js';
import { STYLESHEET } from './views/stylesheet.js';

/** Forms are a few permissions long; anything bigger is not from them. */
const MAX_BODY_BYTES = 64 * 1024;

/**
 * The admin UI as a Hono app. Order matters (Hono runs matching handlers in
 * the order they are registered): security headers wrap every response; the
 * Host check runs first (DNS rebinding), then the body size limit, then the
 * same-origin check of state-changing requests, then the stylesheet and login
 * (the only routes without a session), then the session and CSRF checks guard
 * everything else.
 */
export function createAdminApp(deps: AdminUiDeps): Hono<UiEnv> {
	const app = new Hono<UiEnv>();
	app.use(securityHeaders());
	app.use(hostGuard(deps));
	app.use(
		bodyLimit(MAX_BODY_BYTES, {
			tooLarge: (c) =>
				refuseRequest(c, deps, {
					kind: 'body-too-large',
					status: 413,
					reason: `request body over ${MAX_BODY_BYTES} bytes`,
					hint: "the UI's forms are far smaller",
				}),
			unreadable: (c) => refuseMalformed(c, deps),
		}),
	);
	app.use(sameOriginGuard(deps));
	app.get('/ui.css', (c) => c.body(STYLESHEET, 200, { 'Content-Type': 'text/css; charset=utf-8' }));
	app.get('/favicon.ico', (c) => c.body(null, 204));
	registerLoginRoutes(app, deps);
	app.use(sessionGuard(deps));
	app.use(csrfGuard(deps));
	registerLogoutRoute(app, deps);
	registerAgentPages(app, deps);
	registerAgentActions(app, deps);
	registerToolActions(app, deps);
	registerAuditRoutes(app, deps);
	app.notFound((c) => c.html(<NotFoundPage session={c.get('session')} />, 404));
	app.onError((error, c) => {
		// A table dropped under the running daemon: a finding to report, not a bug.
		const damaged = asDamagedDatabaseError(error);
		return c.html(
			<BarePage title={damaged === undefined ? 'Error' : 'Database damaged'}>
				<h1>{damaged === undefined ? 'Something went wrong' : 'The database is damaged'}</h1>
				<p class="refusal">
					{damaged === undefined ? error.message : `error[DB_DAMAGED]: ${damaged.message}`}
				</p>
				{damaged === undefined ? null : <p>{damaged.hint}</p>}
				<p>
					Nothing else was changed. <a href="/">Back to the agents</a>.
				</p>
			</BarePage>,
			damaged === undefined ? 500 : 503,
		);
	});
	return app;
}
