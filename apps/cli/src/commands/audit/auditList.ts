import { type AuditQuery, type AuditRecord, getAuditEvents, MAX_AUDIT_LIMIT } from '@agentspace/db';
import type { ActionResult } from '../../action.js';
import type { CommandContext } from '../../context.js';
import { openExistingHomeDb } from '../../homeDb.js';
import { printable } from '../../output.js';
import { parseIntArg, parseTextArg, parseTimeArg } from '../../parseArgs.js';
import type { AuditListOptions } from './auditOptions.js';

/** `audit list`: entries matching the filters, newest first. */
export async function auditList(
	ctx: CommandContext,
	options: AuditListOptions,
): Promise<ActionResult> {
	const query = toQuery(options);
	const db = openExistingHomeDb(ctx.home);
	let entries: AuditRecord[];
	try {
		entries = await getAuditEvents(db, query);
	} finally {
		db.$client.close();
	}
	ctx.output.data({ count: entries.length, entries });
	if (entries.length === 0) {
		ctx.output.line('No audit entries match.');
		return;
	}
	const { style } = ctx.output;
	ctx.output.table(entries, [
		{ header: 'ID', value: (e) => String(e.id) },
		{ header: 'TIME', value: (e) => e.timestamp.replace('T', ' ').replace(/\.\d+Z$/, 'Z') },
		{ header: 'TYPE', value: (e) => printable(e.eventType) },
		{
			header: 'SEVERITY',
			value: (e) => (e.severity === 'info' ? e.severity : style.yellow(e.severity)),
		},
		{
			header: 'ACTOR',
			value: (e) => printable(e.actor.id === null ? e.actor.type : `${e.actor.type}:${e.actor.id}`),
		},
		{
			header: 'SUBJECT',
			value: (e) =>
				e.subject === null
					? '-'
					: printable(e.subject.id === null ? e.subject.type : `${e.subject.type}:${e.subject.id}`),
		},
		{ header: 'DETAILS', value: (e) => summarise(e.metadata) },
	]);
}

function toQuery(options: AuditListOptions): AuditQuery {
	const query: { -readonly [K in keyof AuditQuery]: AuditQuery[K] } = {
		limit: parseIntArg('--limit', options.limit, 1, MAX_AUDIT_LIMIT),
	};
	if (options.type !== undefined)
		query.type = options.type.map((type) => parseTextArg('--type', type, 'mode_changed'));
	if (options.subject !== undefined) {
		const [type = '', ...rest] = parseTextArg(
			'--subject',
			options.subject,
			'config:securityMode',
		).split(':');
		query.subjectType = parseTextArg('--subject', type, 'config:securityMode');
		if (rest.length > 0)
			query.subjectId = parseTextArg('--subject', rest.join(':'), 'config:securityMode');
	}
	if (options.since !== undefined) query.since = parseTimeArg('--since', options.since);
	if (options.until !== undefined)
		query.until = parseTimeArg('--until', options.until, { bound: 'end' });
	return query;
}

function summarise(metadata: Readonly<Record<string, unknown>>): string {
	const text = Object.entries(metadata)
		.map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
		.join(' ');
	const safe = printable(text);
	return safe.length > 80 ? `${safe.slice(0, 79)}…` : safe;
}
