import type { AgentRecord } from '@agentspace/agents';
import type { FC } from 'hono/jsx';
import type { UiSession } from '../security/sessionStore.js';
import { ApprovalBadge, BuildBadge, StatusBadge } from './badges.js';
import { formatAgo, formatTime, printableLine } from './format.js';
import { Page } from './layout.js';

/** One row of the agents list: the catalogue entry and what its supervisor knows. */
export interface AgentListRow {
	readonly agent: AgentRecord;
	/** `restarting` while the daemon waits out a backoff, else the catalogue status. */
	readonly status: string;
	readonly runningSince: string | null;
	/** Restarts in the daemon's current supervision, or null when it does not supervise the agent. */
	readonly restarts: number | null;
}

/** The agents list: every agent in the catalogue, with its state. */
export const AgentsPage: FC<{ session: UiSession; rows: readonly AgentListRow[] }> = ({
	session,
	rows,
}) => (
	<Page title="Agents" session={session} nav="agents">
		<h1>Agents</h1>
		<p class="lead">
			Every agent in this AgentSpace home. Open one to review its permissions, build, enable, run or
			stop it.
		</p>
		<section class="panel">
			{rows.length === 0 ? (
				<p class="muted">
					No agents yet. Find some with <code>agentspace agents discover &lt;dir&gt;</code> or
					install one with <code>agentspace agents install &lt;git-url&gt;</code>.
				</p>
			) : (
				<table id="agents">
					<thead>
						<tr>
							<th>ID</th>
							<th>Name</th>
							<th>Version</th>
							<th>Status</th>
							<th>Build</th>
							<th>Approval</th>
							<th>Running since</th>
							<th>Restarts</th>
						</tr>
					</thead>
					<tbody>
						{rows.map((row) => (
							<tr data-agent={row.agent.id}>
								<td>
									<a href={`/agents/${encodeURIComponent(row.agent.id)}`}>
										<code>{row.agent.id}</code>
									</a>
								</td>
								<td>{printableLine(row.agent.name)}</td>
								<td class="mono">{printableLine(row.agent.version)}</td>
								<td>
									<StatusBadge status={row.status} />
								</td>
								<td>
									<BuildBadge agent={row.agent} />
								</td>
								<td>
									<ApprovalBadge agent={row.agent} />
								</td>
								<td title={formatTime(row.runningSince)}>{formatAgo(row.runningSince)}</td>
								<td class="num">{row.restarts === null ? '-' : String(row.restarts)}</td>
							</tr>
						))}
					</tbody>
				</table>
			)}
		</section>
	</Page>
);
