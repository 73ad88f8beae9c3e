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
 * (never the query string, which may hold a login token). Refusals of one
 * reason and method are folded within a window (see DenialThrottle); the
 * entry after a fold says how many it stands for (`foldedBefore`).
 */
export function auditRefusal(c: Context<UiEnv>, deps: AdminUiDeps, reason: string): void {
	const folded = deps.denials.admit(`${reason}|${c.req.method}`);
	if (folded === undefined) return;
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
				...(folded === 0 ? {} : { foldedBefore: folded }),
			},
		},
		deps.sourceApp,
	);
}

/** Records the refusals still folded (the UI is closing): one entry per kind, with its count. */
export function auditFoldedRefusals(deps: Pick<AdminUiDeps, 'db' | 'denials' | 'sourceApp'>): void {
	for (const [kind, folded] of deps.denials.drain()) {
		const split = kind.lastIndexOf('|');
		recordDenial(
			deps.db,
			UI_ACTOR,
			{
				eventType: 'security.denied',
				metadata: {
					reason: split === -1 ? kind : kind.slice(0, split),
					method: split === -1 ? null : kind.slice(split + 1),
					interface: 'web-ui',
					foldedBefore: folded,
				},
			},
			deps.sourceApp,
		);
	}
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
