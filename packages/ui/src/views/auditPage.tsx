import type { AuditRecord } from '@agentspace/db';
import type { FC } from 'hono/jsx';
import type { AuditPageVerification } from '../auditVerifier.js';
import type { UiSession } from '../security/sessionStore.js';
import { AuditTable } from './auditTable.js';
import { Page } from './layout.js';

/** The audit page's filters, as the form sent them (echoed back into it). */
export interface AuditFilters {
	readonly type: string;
	readonly subject: string;
	readonly since: string;
	readonly until: string;
	readonly limit: string;
}

const FullLink: FC = () => (
	<a href="/audit?verify=full" id="verify-full">
		Verify the whole chain
	</a>
);

const Verification: FC<{ verification: AuditPageVerification }> = ({ verification }) => {
	const { result, mode, from } = verification;
	if (!result.ok) {
		return (
			<div class="banner bad" id="verification">
				Chain broken at entry #{result.firstBadId}: {result.message}
				{result.reason === 'head_mismatch'
					? null
					: ` (${result.count} entries before it check out)`}
				. <FullLink />
			</div>
		);
	}
	const how =
		mode === 'full'
			? 'verified in full'
			: `${result.count - from} new since the last verification checked, and entry #${from} re-checked`;
	return (
		<div class="banner ok" id="verification" data-mode={mode}>
			Chain verified: all {result.count} entries check out ({how}; head{' '}
			<code>{result.headHash.slice(0, 16)}</code>). <FullLink />
		</div>
	);
};

/** The audit log: chain verification, filters, entries newest first. */
export const AuditPage: FC<{
	session: UiSession;
	verification: AuditPageVerification;
	filters: AuditFilters;
	entries: readonly AuditRecord[];
	/** Why the filters were not applied, if they were invalid. */
	problem: string | null;
}> = ({ session, verification, filters, entries, problem }) => (
	<Page title="Audit log" session={session} nav="audit">
		<h1>Audit log</h1>
		<p class="lead">
			Every privileged action, newest first. Each entry is hash-chained to the one before it.
		</p>
		<Verification verification={verification} />
		<section class="panel">
			<form method="get" action="/audit" class="filters">
				<label>
					Type
					<input type="text" name="type" value={filters.type} placeholder="agents.enabled" />
				</label>
				<label>
					Subject
					<input type="text" name="subject" value={filters.subject} placeholder="agent:hello" />
				</label>
				<label>
					Since
					<input type="text" name="since" value={filters.since} placeholder="2026-12-01" />
				</label>
				<label>
					Until
					<input type="text" name="until" value={filters.until} placeholder="2026-12-05T18:00Z" />
				</label>
				<label>
					Limit
					<input type="text" name="limit" value={filters.limit} size={5} />
				</label>
				<button type="submit" class="secondary">
					Filter
				</button>
				<a href="/audit">clear</a>
			</form>
		</section>
		{problem === null ? null : (
			<div class="flash error" role="alert">
				{problem}
			</div>
		)}
		<section class="panel">
			<p class="muted" id="audit-count">
				{entries.length} {entries.length === 1 ? 'entry' : 'entries'}
			</p>
			<AuditTable entries={entries} />
		</section>
	</Page>
);
