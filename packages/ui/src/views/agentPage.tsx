import {
	type AgentRecord,
	type AgentRun,
	type BuildStep,
	type LogEntry,
	type PermissionReviewRow,
	RESTART_POLICIES,
} from '@agentspace/agents';
import type { AuditRecord } from '@agentspace/db';
import type { FC } from 'hono/jsx';
import type { UiSession } from '../security/sessionStore.js';
import { AuditTable } from './auditTable.js';
import { ApprovalBadge, BuildBadge, StatusBadge } from './badges.js';
import { formatAgo, formatTime, printableLine, printableText } from './format.js';
import { CsrfField, Page } from './layout.js';
import { ToolCallsPanel } from './toolCallsPanel.js';
import { type AgentTools, ToolsPanel } from './toolsPanel.js';

/** Everything the agent page shows, read by the route from the library. */
export interface AgentDetail {
	readonly agent: AgentRecord;
	/** `restarting` while the daemon waits out a backoff, else the catalogue status. */
	readonly status: string;
	readonly running: boolean;
	readonly runningSince: string | null;
	readonly restarts: number | null;
	readonly permissions: readonly PermissionReviewRow[];
	/** Approved narrower forms of requested permissions. */
	readonly narrower: readonly string[];
	/** The installed manifest, pretty-printed; null when not installed. */
	readonly manifest: string | null;
	/** Why the installed manifest cannot be shown (changed or invalid), if so. */
	readonly manifestProblem: string | null;
	/** The build steps, when installed and the manifest has some. */
	readonly build: { readonly steps: readonly BuildStep[]; readonly manifestHash: string } | null;
	readonly runs: readonly AgentRun[];
	readonly log: { readonly runId: string; readonly entries: readonly LogEntry[] } | null;
	readonly audit: readonly AuditRecord[];
	/** Its tools and last tool calls; null for an agent that is not an MCP agent and has none. */
	readonly tools: AgentTools | null;
}

const ActionButton: FC<{
	session: UiSession;
	id: string;
	action: string;
	label: string;
	tone?: 'secondary' | 'danger';
}> = ({ session, id, action, label, tone }) => (
	<form method="post" action={`/agents/${encodeURIComponent(id)}/${action}`}>
		<CsrfField session={session} />
		<button type="submit" class={tone} data-action={action}>
			{label}
		</button>
	</form>
);

const PermissionsPanel: FC<{ session: UiSession; detail: AgentDetail }> = ({ session, detail }) => {
	const { agent } = detail;
	const approvedNow = agent.approval === 'approved';
	return (
		<section class="panel" id="permissions">
			<h2>Permissions</h2>
			{agent.approval === 'drifted' ? (
				<div class="banner warn" id="drift">
					The manifest changed since these permissions were approved (approved for manifest{' '}
					<code>{agent.approvedManifestHash?.slice(0, 12)}</code>, now{' '}
					<code>{agent.manifestHash.slice(0, 12)}</code>). It cannot run until you approve again.
				</div>
			) : null}
			{detail.permissions.length === 0 ? (
				<p class="muted">It requests no permissions.</p>
			) : (
				<table>
					<thead>
						<tr>
							<th>Requested</th>
							<th>Approved</th>
						</tr>
					</thead>
					<tbody>
						{detail.permissions.map((row) => (
							<tr>
								<td>
									<code>{printableLine(row.requested)}</code>
								</td>
								<td>
									{row.approved ? (
										<span class={`badge ${approvedNow ? 'ok' : 'warn'}`}>approved</span>
									) : (
										<span class="badge idle">not approved</span>
									)}
								</td>
							</tr>
						))}
						{detail.narrower.map((permission) => (
							<tr>
								<td>
									<code>{printableLine(permission)}</code>
								</td>
								<td>
									<span class="badge ok">approved (narrower)</span>
								</td>
							</tr>
						))}
					</tbody>
				</table>
			)}
			{agent.installPath === null ? null : (
				<form method="post" action={`/agents/${encodeURIComponent(agent.id)}/enable`} id="enable">
					<CsrfField session={session} />
					<input type="hidden" name="manifestHash" value={agent.manifestHash} />
					<h2 class="spaced">{agent.approvedPermissions === null ? 'Enable' : 'Approve again'}</h2>
					<p class="muted">
						Nothing is approved unless you tick it. The approval is bound to this manifest.
					</p>
					{agent.requestedPermissions.map((permission) => (
						<label class="check">
							<input
								type="checkbox"
								name="approve"
								value={permission}
								checked={
									approvedNow &&
									detail.permissions.some((r) => r.requested === permission && r.approved)
								}
							/>
							<code>{printableLine(permission)}</code>
						</label>
					))}
					<div class="actions">
						<button type="submit" data-action="enable">
							Enable with the ticked permissions
						</button>
					</div>
				</form>
			)}
		</section>
	);
};

const LogPanel: FC<{ detail: AgentDetail }> = ({ detail }) => (
	<section class="panel" id="log">
		<h2>
			Last log lines{' '}
			{detail.log === null ? null : <span class="muted mono">run {detail.log.runId}</span>}
		</h2>
		{detail.log === null || detail.log.entries.length === 0 ? (
			<p class="muted">No output yet.</p>
		) : (
			<pre>
				{detail.log.entries.map((entry) => (
					<span class={`line ${entry.stream}`}>
						<span class="time">{formatTime(entry.time)} </span>
						{printableText(entry.text)}
					</span>
				))}
			</pre>
		)}
	</section>
);

const RunsPanel: FC<{ runs: readonly AgentRun[] }> = ({ runs }) => (
	<section class="panel" id="runs">
		<h2>Run history</h2>
		{runs.length === 0 ? (
			<p class="muted">It has not run yet.</p>
		) : (
			<table>
				<thead>
					<tr>
						<th>Run</th>
						<th>Status</th>
						<th>Started</th>
						<th>Ended</th>
						<th>Exit</th>
						<th>Sandbox</th>
					</tr>
				</thead>
				<tbody>
					{runs.map((run) => (
						<tr>
							<td class="mono">{run.runId}</td>
							<td>
								<StatusBadge status={run.status} />
							</td>
							<td title={formatTime(run.startedAt)}>{formatAgo(run.startedAt)}</td>
							<td>{formatTime(run.endedAt)}</td>
							<td class="mono">
								{run.signal ?? (run.exitCode === null ? '-' : String(run.exitCode))}
								{run.reason === null ? null : <div class="muted">{printableLine(run.reason)}</div>}
							</td>
							<td>{run.sandboxed ? 'sandboxed' : <span class="badge warn">unsandboxed</span>}</td>
						</tr>
					))}
				</tbody>
			</table>
		)}
	</section>
);

/** One agent: state, actions, permissions (requested vs approved), runs, tools and their calls (MCP agents), log, manifest and audit trail. */
export const AgentPage: FC<{ session: UiSession; detail: AgentDetail }> = ({ session, detail }) => {
	const { agent } = detail;
	const installed = agent.installPath !== null;
	return (
		<Page title={agent.name} session={session} nav="agents">
			<h1>
				{printableLine(agent.name)} <span class="muted mono">{printableLine(agent.version)}</span>
			</h1>
			<p class="lead">
				<code>{agent.id}</code>
				{agent.description === null ? null : ` · ${printableLine(agent.description)}`}
			</p>
			<section class="panel" id="state">
				<StatusBadge status={detail.status} /> <BuildBadge agent={agent} />{' '}
				<ApprovalBadge agent={agent} />
				{detail.runningSince === null ? null : (
					<span class="muted">
						{' '}
						running since {formatTime(detail.runningSince)} ({formatAgo(detail.runningSince)})
					</span>
				)}
				{detail.restarts === null ? null : <span class="muted"> · {detail.restarts} restarts</span>}
				<div class="actions">
					{installed ? null : (
						<ActionButton session={session} id={agent.id} action="install" label="Install" />
					)}
					{detail.running ? (
						<ActionButton
							session={session}
							id={agent.id}
							action="stop"
							label="Stop"
							tone="danger"
						/>
					) : agent.approval === 'approved' ? (
						<form method="post" action={`/agents/${encodeURIComponent(agent.id)}/run`}>
							<CsrfField session={session} />
							<label class="muted">
								restart{' '}
								<select name="restart">
									{RESTART_POLICIES.map((policy) => (
										<option value={policy}>{policy}</option>
									))}
								</select>
							</label>
							<button type="submit" data-action="run">
								Run (sandboxed)
							</button>
						</form>
					) : null}
					{agent.approvedPermissions === null ? null : (
						<ActionButton
							session={session}
							id={agent.id}
							action="revoke"
							label="Revoke approval"
							tone="danger"
						/>
					)}
				</div>
			</section>
			{detail.build === null ? null : (
				<section class="panel" id="build">
					<h2>Build</h2>
					<p class="muted">
						Building runs the agent's own commands on this machine, outside the sandbox, in its
						checkout:
					</p>
					<ol class="steps">
						{detail.build.steps.map((step) => (
							<li>
								<code>{[step.command, ...step.args].join(' ')}</code>
							</li>
						))}
					</ol>
					<form method="post" action={`/agents/${encodeURIComponent(agent.id)}/build`}>
						<CsrfField session={session} />
						<input type="hidden" name="manifestHash" value={detail.build.manifestHash} />
						<button type="submit" class="secondary" data-action="build">
							{detail.build.steps.length === 1
								? 'Run this build step'
								: `Run these ${detail.build.steps.length} build steps`}
						</button>
					</form>
				</section>
			)}
			<div class="grid">
				<PermissionsPanel session={session} detail={detail} />
				<RunsPanel runs={detail.runs} />
			</div>
			{detail.tools === null ? null : (
				<>
					<ToolsPanel session={session} agentId={agent.id} tools={detail.tools} />
					<ToolCallsPanel agentId={agent.id} calls={detail.tools.calls} />
				</>
			)}
			<LogPanel detail={detail} />
			<section class="panel" id="agent-audit">
				<h2>
					Audit trail <a href={`/audit?subject=${encodeURIComponent(`agent:${agent.id}`)}`}>all</a>
				</h2>
				<AuditTable entries={detail.audit} />
			</section>
			<section class="panel" id="manifest">
				<h2>Manifest</h2>
				{detail.manifestProblem === null ? null : (
					<div class="banner warn">{printableLine(detail.manifestProblem)}</div>
				)}
				{detail.manifest === null ? (
					<p class="muted">
						{installed
							? 'Not readable.'
							: `Not installed yet: ${printableLine(agent.manifestPath ?? '-')}`}
					</p>
				) : (
					<pre>{printableText(detail.manifest)}</pre>
				)}
				<p class="muted mono">
					hash {agent.manifestHash.slice(0, 16)}
					{agent.installedCommit === null ? '' : ` · commit ${agent.installedCommit.slice(0, 12)}`}
					{agent.sourceUrl === null ? '' : ` · from ${printableLine(agent.sourceUrl)}`}
				</p>
			</section>
		</Page>
	);
};
