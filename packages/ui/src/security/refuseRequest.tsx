import { type ChangeActor, recordDenial } from '@agentspace/agents';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { type AdminUiDeps, UI_ACTOR, type UiEnv, uiAddress } from '../uiContext.js';
import { BarePage } from '../views/layout.js';

/**
 * What kind of refusal it is: refusals are folded by kind (and method), never
 * by their reason's text, which quotes headers an attacker chooses.
 */
export type RefusalKind =
	| 'host'
	| 'cross-origin'
	| 'foreign-origin'
	| 'foreign-referer'
	| 'no-origin'
	| 'no-session'
	| 'expired-session'
	| 'csrf'
	| 'login'
	| 'malformed-body'
	| 'body-too-large'
	| 'malformed-request';

/** Why a request was refused, for the audit log and the page. */
export interface Refusal {
	readonly kind: RefusalKind;
	readonly status: ContentfulStatusCode;
	/** Recorded as the audit entry's `reason`. */
	readonly reason: string;
	/** What the person should do next. */
	readonly hint: string;
}

/** A refused request as it is audited, for callers without a Hono context (the HTTP layer). */
export interface RefusedRequest {
	readonly kind: RefusalKind;
	readonly reason: string;
	/** `-` when the request line itself did not parse. */
	readonly method: string;
	/** Without the query string, which may hold a login token. */
	readonly path: string;
	readonly actor?: ChangeActor;
}

/**
 * Audits a refused request as `security.denied`: the reason, method and path
 * (never the query string, which may hold a login token). Refusals of one
 * reason and method are folded within a window (see DenialThrottle); the
 * entry after a fold says how many it stands for (`foldedBefore`).
 */
export function auditRefusedRequest(
	deps: Pick<AdminUiDeps, 'db' | 'denials' | 'sourceApp' | 'port'>,
	refused: RefusedRequest,
): void {
	recordFolded(deps, deps.denials.expired());
	const folded = deps.denials.admit(`${refused.kind}|${refused.method}`);
	if (folded === undefined) return;
	recordDenial(
		deps.db,
		refused.actor ?? UI_ACTOR,
		{
			eventType: 'security.denied',
			metadata: {
				reason: refused.reason,
				kind: refused.kind,
				method: refused.method,
				path: refused.path.slice(0, 256),
				interface: 'web-ui',
				...(folded === 0 ? {} : { foldedBefore: folded }),
			},
		},
		deps.sourceApp,
	);
}

/** Audits a refused request (see auditRefusedRequest), as the session's person if there is one. */
export function auditRefusal(
	c: Context<UiEnv>,
	deps: AdminUiDeps,
	kind: RefusalKind,
	reason: string,
): void {
	const actor = c.get('session')?.actor;
	auditRefusedRequest(deps, {
		kind,
		reason,
		method: c.req.method,
		path: c.req.path,
		...(actor === undefined ? {} : { actor }),
	});
}

/**
 * Records folded counts (one entry per kind and method): those whose window
 * has passed, and all of them when the UI closes. `address` says which UI.
 */
function recordFolded(
	deps: Pick<AdminUiDeps, 'db' | 'sourceApp' | 'port'>,
	counts: readonly [key: string, folded: number][],
): void {
	for (const [key, folded] of counts) {
		const split = key.lastIndexOf('|');
		recordDenial(
			deps.db,
			UI_ACTOR,
			{
				eventType: 'security.denied',
				metadata: {
					reason: 'refusals folded into a count (see specs/admin-ui.md)',
					kind: split === -1 ? key : key.slice(0, split),
					method: split === -1 ? null : key.slice(split + 1),
					interface: 'web-ui',
					address: uiAddress(deps.port),
					foldedBefore: folded,
				},
			},
			deps.sourceApp,
		);
	}
}

/** Records every count still folded: the UI is closing. */
export function auditFoldedRefusals(
	deps: Pick<AdminUiDeps, 'db' | 'denials' | 'sourceApp' | 'port'>,
): void {
	recordFolded(deps, deps.denials.drain());
}

/** Refuses a request: audits it (see auditRefusal) and answers with a short page. Nothing else runs. */
export function refuseRequest(
	c: Context<UiEnv>,
	deps: AdminUiDeps,
	refusal: Refusal,
): Response | Promise<Response> {
	auditRefusal(c, deps, refusal.kind, refusal.reason);
	return c.html(
		<BarePage title="Request refused">
			<h1>Request refused</h1>
			<p class="refusal">{refusal.reason}.</p>
			<p>{refusal.hint}</p>
		</BarePage>,
		refusal.status,
	);
}
