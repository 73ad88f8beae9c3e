import type { AuditRecord } from '@agentspace/db';
import type { FC } from 'hono/jsx';
import { formatAgo, formatTime, printableText } from './format.js';

const SEVERITY_TONES: Readonly<Record<string, string>> = {
	info: 'idle',
	warning: 'warn',
	security: 'bad',
	critical: 'bad',
};

function who(party: { readonly type: string; readonly id: string | null } | null): string {
	if (party === null) return '-';
	return printableText(party.id === null ? party.type : `${party.type}:${party.id}`);
}

/** Audit entries, as given (newest first from the routes); metadata folded open on demand. */
export const AuditTable: FC<{ entries: readonly AuditRecord[] }> = ({ entries }) =>
	entries.length === 0 ? (
		<p class="muted">No audit entries match.</p>
	) : (
		<table class="audit">
			<thead>
				<tr>
					<th>#</th>
					<th>Time</th>
					<th>Type</th>
					<th>Severity</th>
					<th>Actor</th>
					<th>Subject</th>
					<th>Details</th>
				</tr>
			</thead>
			<tbody>
				{entries.map((entry) => {
					const details = JSON.stringify(entry.metadata, null, 2);
					return (
						<tr data-audit-type={entry.eventType}>
							<td class="num">{String(entry.id)}</td>
							<td class="nowrap" title={formatAgo(entry.timestamp)}>
								{formatTime(entry.timestamp)}
							</td>
							<td>
								<code>{entry.eventType}</code>
							</td>
							<td>
								<span class={`badge ${SEVERITY_TONES[entry.severity] ?? 'idle'}`}>
									{entry.severity}
								</span>
							</td>
							<td>{who(entry.actor)}</td>
							<td class="nowrap">{who(entry.subject)}</td>
							<td>
								{details === '{}' ? (
									<span class="muted">-</span>
								) : (
									<details>
										<summary>{summary(entry.metadata)}</summary>
										<pre>{printableText(details)}</pre>
									</details>
								)}
							</td>
						</tr>
					);
				})}
			</tbody>
		</table>
	);

function summary(metadata: Readonly<Record<string, unknown>>): string {
	const text = Object.entries(metadata)
		.map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
		.join(' ');
	const safe = printableText(text);
	return safe.length > 70 ? `${safe.slice(0, 69)}…` : safe;
}
