import { isAgentSpaceError } from '@agentspace/core';
import { type AuditQuery, type AuditRecord, getAuditEvents } from '@agentspace/db';
import type { Hono } from 'hono';
import type { AdminUiDeps, UiEnv } from '../uiContext.js';
import { type AuditFilters, AuditPage } from '../views/auditPage.js';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** The filters as a query; a bare date means from its start (since) or to its end (until). */
function toQuery(filters: AuditFilters): AuditQuery {
	const query: { -readonly [K in keyof AuditQuery]: AuditQuery[K] } = {
		limit: filters.limit === '' ? 200 : Number(filters.limit),
	};
	if (filters.type !== '') query.type = filters.type.split(',').map((t) => t.trim());
	if (filters.subject !== '') {
		const [type = '', ...rest] = filters.subject.split(':');
		query.subjectType = type;
		if (rest.length > 0) query.subjectId = rest.join(':');
	}
	if (filters.since !== '')
		query.since = DATE_ONLY.test(filters.since) ? `${filters.since}T00:00:00Z` : filters.since;
	if (filters.until !== '')
		query.until = DATE_ONLY.test(filters.until) ? `${filters.until}T23:59:59.999Z` : filters.until;
	return query;
}

/**
 * `GET /audit`: chain verification (from the head verified last; in full with
 * `?verify=full`), then the entries that match the filters, newest first.
 */
export function registerAuditRoutes(app: Hono<UiEnv>, deps: AdminUiDeps): void {
	app.get('/audit', async (c) => {
		const field = (name: string) => (c.req.query(name) ?? '').trim().slice(0, 200);
		const filters: AuditFilters = {
			type: field('type'),
			subject: field('subject'),
			since: field('since'),
			until: field('until'),
			limit: field('limit'),
		};
		let entries: AuditRecord[] = [];
		let problem: string | null = null;
		try {
			entries = await getAuditEvents(deps.db, toQuery(filters));
		} catch (error) {
			if (!isAgentSpaceError(error)) throw error;
			problem = error.message;
		}
		const verification = await deps.auditVerifier.verify(deps.db, {
			full: c.req.query('verify') === 'full',
		});
		return c.html(
			<AuditPage
				session={c.get('session')}
				verification={verification}
				filters={filters}
				entries={entries}
				problem={problem}
			/>,
		);
	});
}
