import { recordDenial } from '@agentspace/agents';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { type AdminUiDeps, UI_ACTOR, type UiEnv } from '../uiContext.js';
import { BarePage } from '../views/layout.js';

/** Why a request was refused, for the audit log and the page. */
export interface Refusal {
	readonly status: ContentfulStatusCode;
	/** Recorded as the audit entry's `reason`. */
	readonly reason: string;
	/** What the person should do next. */
	readonly hint: string;
}

/**
 * Audits a refused request as `security.denied`: the reason, method and path
 * (never the query string, which may hold a login token).
 */
export function auditRefusal(c: Context<UiEnv>, deps: AdminUiDeps, reason: string): void {
	recordDenial(
		deps.db,
		c.get('session')?.actor ?? UI_ACTOR,
		{
			eventType: 'security.denied',
			metadata: {
				reason,
				method: c.req.method,
				path: c.req.path.slice(0, 256),
				interface: 'web-ui',
			},
		},
		deps.sourceApp,
	);
}

/** Refuses a request: audits it (see auditRefusal) and answers with a short page. Nothing else runs. */
export function refuseRequest(
	c: Context<UiEnv>,
	deps: AdminUiDeps,
	refusal: Refusal,
): Response | Promise<Response> {
	auditRefusal(c, deps, refusal.reason);
	return c.html(
		<BarePage title="Request refused">
			<h1>Request refused</h1>
			<p class="refusal">{refusal.reason}.</p>
			<p>{refusal.hint}</p>
		</BarePage>,
		refusal.status,
	);
}
