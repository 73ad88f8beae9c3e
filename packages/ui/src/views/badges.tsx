import { type AgentRecord, type BuildState, buildState } from '@agentspace/agents';
import type { FC } from 'hono/jsx';

type Tone = 'ok' | 'warn' | 'bad' | 'idle';

const Badge: FC<{ tone: Tone; text: string }> = ({ tone, text }) => (
	<span class={`badge ${tone}`}>{text}</span>
);

const STATUS_TONES: Readonly<Record<string, Tone>> = {
	running: 'ok',
	enabled: 'ok',
	built: 'ok',
	restarting: 'warn',
	installed: 'idle',
	discovered: 'idle',
	stopped: 'idle',
	exited: 'idle',
	build_failed: 'bad',
	crashed: 'bad',
	errored: 'bad',
	uninstalled: 'idle',
};

/** The catalogue status (or a run's status). */
export const StatusBadge: FC<{ status: string }> = ({ status }) => (
	<Badge tone={STATUS_TONES[status] ?? 'idle'} text={status.replace('_', ' ')} />
);

const BUILD_TONES: Readonly<Record<BuildState, Tone>> = {
	built: 'ok',
	'build failed': 'bad',
	building: 'warn',
	'no build': 'idle',
	'not built': 'idle',
	'not installed': 'idle',
};

/** Whether the agent is built (the CLI's states: an agent without build steps has "no build"). */
export const BuildBadge: FC<{ agent: AgentRecord }> = ({ agent }) => {
	const state = buildState(agent);
	return <Badge tone={BUILD_TONES[state]} text={state} />;
};

/** Whether its permissions are approved, and for this manifest. */
export const ApprovalBadge: FC<{ agent: AgentRecord }> = ({ agent }) => {
	switch (agent.approval) {
		case 'approved':
			return (
				<Badge
					tone="ok"
					text={`approved ${agent.approvedPermissions?.length ?? 0}/${agent.requestedPermissions.length}`}
				/>
			);
		case 'drifted':
			return <Badge tone="warn" text="drifted: re-approve" />;
		default:
			return <Badge tone="idle" text="not approved" />;
	}
};
