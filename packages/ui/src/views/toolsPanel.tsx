import type { SecurityMode } from '@agentspace/core';
import {
	type AgentToolPolicy,
	annotationWords,
	type ToolCallRecord,
	type ToolRow,
} from '@agentspace/tools';
import type { FC } from 'hono/jsx';
import type { UiSession } from '../security/sessionStore.js';
import { CsrfField } from './layout.js';
import { DriftDiff } from './toolDriftDiff.js';
import { agentLine } from './toolText.js';

/** What the agent page shows of an agent's tools (see agentToolsOf). */
export interface AgentTools {
	/** The config's securityMode, or null when the config does not load (`problem` says why). */
	readonly securityMode: SecurityMode | null;
	readonly problem: string | null;
	/** The tools it offers now, by name, at most TOOLS_SHOWN of them. */
	readonly tools: readonly ToolRow[];
	/** How many it offers in all. */
	readonly total: number;
	/** Its drifted tools (all of them, not only those in `tools`). */
	readonly drifted: readonly ToolRow[];
	readonly agentApproved: boolean;
	/** Its `*` policy row, if one is set. */
	readonly star: AgentToolPolicy | null;
	/** Its last calls, newest first. */
	readonly calls: readonly ToolCallRecord[];
}

/** The most characters of a description, title or name the tools table shows. */
const DESCRIPTION_CHARS = 400;
const TITLE_CHARS = 120;
/** Drifted tools whose diff is shown on the page; the others point to `tools show`. */
const DIFFS_SHOWN = 10;

const ToolForm: FC<{
	session: UiSession;
	agentId: string;
	action: 'allow' | 'deny' | 'accept';
	tool: string;
	label: string;
	tone?: 'secondary' | 'danger';
	definitionHash?: string;
}> = ({ session, agentId, action, tool, label, tone, definitionHash }) => (
	<form method="post" action={`/agents/${encodeURIComponent(agentId)}/tools/${action}`}>
		<CsrfField session={session} />
		<input type="hidden" name="tool" value={tool} />
		{definitionHash === undefined ? null : (
			<input type="hidden" name="definitionHash" value={definitionHash} />
		)}
		<button type="submit" class={tone} data-action={`tool-${action}`}>
			{label}
		</button>
	</form>
);

function policyNote(row: ToolRow, tools: AgentTools): string {
	switch (row.policySource) {
		case 'tool':
			return 'set for this tool';
		case 'agent':
			return 'from the agent’s * policy';
		default:
			if (!tools.agentApproved) return 'default: the agent is not approved';
			return `default of ${tools.securityMode ?? 'the securityMode'}${
				tools.securityMode === 'limited-control'
					? row.policy === 'allow'
						? ' (read-only tool)'
						: ' (not marked read-only)'
					: ''
			}`;
	}
}

const PinCell: FC<{ row: ToolRow }> = ({ row }) => {
	if (row.state === 'drifted') {
		return (
			<>
				<span class="badge bad">drifted: held back</span>
				<div class="muted note">{row.drift?.changed.join(', ') ?? 'changed'} changed</div>
			</>
		);
	}
	if (row.pin === undefined) {
		return (
			<span class="badge warn" title="listed while the agent was not approved: pinned once it is">
				unpinned
			</span>
		);
	}
	return (
		<>
			<span class="badge ok">pinned</span>
			<div class="muted mono">
				{row.pin.definitionHash.slice(0, 12)}
				{row.pin.acceptedBy === null ? null : ` · accepted by ${agentLine(row.pin.acceptedBy, 64)}`}
			</div>
		</>
	);
};

const ToolRowView: FC<{ session: UiSession; row: ToolRow; tools: AgentTools }> = ({
	session,
	row,
	tools,
}) => {
	const { definition } = row;
	const words = annotationWords(definition.annotations);
	return (
		<tr data-tool={row.name}>
			<td>
				<code>{agentLine(row.name, 128)}</code>
				{definition.title === undefined ? null : (
					<div>{agentLine(definition.title, TITLE_CHARS)}</div>
				)}
				<div class="muted desc">
					{definition.description === undefined
						? 'no description'
						: agentLine(definition.description, DESCRIPTION_CHARS)}
				</div>
			</td>
			<td>
				{words.length === 0 ? (
					<span class="muted">-</span>
				) : (
					words.map((word) => (
						<span
							class={`badge ${word === 'destructive' ? 'bad' : word === 'read-only' ? 'ok' : 'idle'}`}
						>
							{word}
						</span>
					))
				)}
			</td>
			<td>
				<span class={`badge ${row.policy === 'allow' ? 'ok' : 'bad'}`} data-policy={row.policy}>
					{row.policy}
				</span>
				<div class="muted note">{policyNote(row, tools)}</div>
			</td>
			<td>
				<PinCell row={row} />
			</td>
			<td>
				<div class="actions tight">
					<ToolForm
						session={session}
						agentId={row.agentId}
						action="allow"
						tool={row.name}
						label="Allow"
						tone="secondary"
					/>
					<ToolForm
						session={session}
						agentId={row.agentId}
						action="deny"
						tool={row.name}
						label="Deny"
						tone="danger"
					/>
				</div>
			</td>
		</tr>
	);
};

/**
 * The tools an MCP agent offers now: name, title, description, annotations,
 * effective policy (and where it comes from), pin state; a drifted tool's
 * diff with an accept button; allow and deny per tool and for `*`. Every
 * string the agent wrote is escaped and bounded (see toolText).
 */
export const ToolsPanel: FC<{ session: UiSession; agentId: string; tools: AgentTools }> = ({
	session,
	agentId,
	tools,
}) => {
	const { drifted } = tools;
	return (
		<section class="panel" id="tools">
			<h2>
				Tools{' '}
				{tools.securityMode === null ? null : (
					<span class="muted mono">securityMode {tools.securityMode}</span>
				)}
			</h2>
			{tools.problem === null ? null : (
				<div class="banner warn">
					The tools cannot be shown: the config does not load ({agentLine(tools.problem, 400)}).
				</div>
			)}
			<div class="actions" id="tools-star">
				<span>
					Every tool without a policy of its own (<code>*</code>):{' '}
					{tools.star === null ? (
						<span class="muted" data-star="none">
							no policy set, the securityMode default applies
						</span>
					) : (
						<span
							class={`badge ${tools.star.policy === 'allow' ? 'ok' : 'bad'}`}
							data-star={tools.star.policy}
						>
							{tools.star.policy}
						</span>
					)}
				</span>
				<ToolForm
					session={session}
					agentId={agentId}
					action="allow"
					tool="*"
					label="Allow every tool"
					tone="secondary"
				/>
				<ToolForm
					session={session}
					agentId={agentId}
					action="deny"
					tool="*"
					label="Deny every tool"
					tone="danger"
				/>
			</div>
			{tools.total === 0 ? (
				tools.problem === null ? (
					<p class="muted">It offers no tools now: an MCP agent offers its tools while it runs.</p>
				) : null
			) : (
				<table class="tools">
					<thead>
						<tr>
							<th>Tool</th>
							<th>Annotations</th>
							<th>Policy</th>
							<th>Pin</th>
							<th />
						</tr>
					</thead>
					<tbody>
						{tools.tools.map((row) => (
							<ToolRowView session={session} row={row} tools={tools} />
						))}
					</tbody>
				</table>
			)}
			{tools.total > tools.tools.length ? (
				<p class="muted">
					{tools.total - tools.tools.length} more tools not shown:{' '}
					<code>agentspace tools list --agent {agentId}</code>
				</p>
			) : null}
			{drifted.length === 0 ? null : (
				<>
					<h2 class="spaced">Drifted tools</h2>
					<p class="muted">
						These tools changed their definition since it was pinned. They cannot be called until
						you review the change and accept it.
					</p>
					{drifted.slice(0, DIFFS_SHOWN).map((row) => (
						<DriftDiff row={row}>
							<ToolForm
								session={session}
								agentId={row.agentId}
								action="accept"
								tool={row.name}
								definitionHash={row.definition.definitionHash}
								label="Accept the new definition"
							/>
						</DriftDiff>
					))}
					{drifted.length > DIFFS_SHOWN ? (
						<p class="muted">
							{drifted.length - DIFFS_SHOWN} more drifted tools: see each with{' '}
							<code>{`agentspace tools show ${agentId}/<tool>`}</code>
						</p>
					) : null}
				</>
			)}
		</section>
	);
};
