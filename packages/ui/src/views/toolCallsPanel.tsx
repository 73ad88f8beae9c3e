import type { ToolCallRecord } from '@agentspace/tools';
import type { FC } from 'hono/jsx';
import { formatAgo, formatTime } from './format.js';
import { agentLine } from './toolText.js';

const STATUS_TONES: Readonly<Record<string, string>> = {
	ok: 'ok',
	error: 'bad',
	denied: 'bad',
	invalid: 'warn',
	timeout: 'warn',
	cancelled: 'idle',
};

/** `user:alice`, `mcp-client:claude-desktop`: who made a call (an MCP client names itself: escaped, bounded). */
function callerText(call: ToolCallRecord): string {
	return agentLine(`${call.caller.type}:${call.caller.id}`, 80);
}

function durationText(ms: number): string {
	return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** The agent's last tool calls from the call log, newest first (at most as many as the route read). */
export const ToolCallsPanel: FC<{ agentId: string; calls: readonly ToolCallRecord[] }> = ({
	agentId,
	calls,
}) => (
	<section class="panel" id="tool-calls">
		<h2>Last tool calls</h2>
		{calls.length === 0 ? (
			<p class="muted">No calls recorded.</p>
		) : (
			<table>
				<thead>
					<tr>
						<th>Time</th>
						<th>Caller</th>
						<th>Tool</th>
						<th>Status</th>
						<th>Error</th>
						<th>Duration</th>
					</tr>
				</thead>
				<tbody>
					{calls.map((call) => (
						<tr data-call={call.callId}>
							<td class="nowrap" title={formatAgo(call.at)}>
								{formatTime(call.at)}
							</td>
							<td class="mono">{callerText(call)}</td>
							<td class="mono">{agentLine(call.tool, 128)}</td>
							<td>
								<span class={`badge ${STATUS_TONES[call.status] ?? 'idle'}`}>{call.status}</span>
							</td>
							<td class="mono">{call.errorCode === null ? '-' : agentLine(call.errorCode, 40)}</td>
							<td class="num">{durationText(call.durationMs)}</td>
						</tr>
					))}
				</tbody>
			</table>
		)}
		<p class="muted">
			All of them: <code>{`agentspace tools log --agent ${agentId}`}</code>
		</p>
	</section>
);
