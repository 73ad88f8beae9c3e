import {
	type AgentProtocol,
	type AgentRecord,
	agentProtocol,
	currentRuns,
	getAgent,
	listAgents,
	narrowerApprovals,
	permissionRows,
	planBuild,
	readInstalledManifest,
	readRunLog,
	runHistory,
	type SupervisedAgent,
} from '@agentspace/agents';
import { isAgentSpaceError } from '@agentspace/core';
import { getAuditEvents } from '@agentspace/db';
import type { Hono } from 'hono';
import type { AdminUiDeps, UiEnv } from '../uiContext.js';
import type { AgentDetail } from '../views/agentPage.js';
import { AgentPage } from '../views/agentPage.js';
import { type AgentListRow, AgentsPage } from '../views/agentsPage.js';
import { NotFoundPage } from '../views/notFoundPage.js';
import { agentToolsOf } from './agentTools.js';

/** How many log lines and audit entries the agent page shows. */
const LOG_LINES = 60;
const AUDIT_ENTRIES = 25;

function liveState(
	agent: AgentRecord,
	supervised: SupervisedAgent | undefined,
	runningSince: string | null,
): Pick<AgentListRow, 'status' | 'runningSince' | 'restarts'> {
	return {
		status: supervised?.state === 'restarting' ? 'restarting' : agent.status,
		runningSince: agent.status === 'running' ? runningSince : null,
		restarts: supervised?.restarts ?? null,
	};
}

/**
 * When each running agent's current run started. From the run records only:
 * `runStatus` would also read every process's CPU and memory from /proc,
 * which no page shows.
 */
function runningSince(deps: AdminUiDeps): Map<string, string> {
	return new Map(currentRuns(deps.db).map((run) => [run.agentId, run.startedAt]));
}

/** `GET /` (the agents list) and `GET /agents/:id` (one agent). */
export function registerAgentPages(app: Hono<UiEnv>, deps: AdminUiDeps): void {
	app.get('/', (c) => {
		const supervised = new Map(deps.launcher.list().map((s) => [s.id, s]));
		const since = runningSince(deps);
		const rows = listAgents(deps.db).map((agent) => ({
			agent,
			...liveState(agent, supervised.get(agent.id), since.get(agent.id) ?? null),
		}));
		return c.html(<AgentsPage session={c.get('session')} rows={rows} />);
	});

	app.get('/agents/:id', async (c) => {
		const agent = getAgent(deps.db, c.req.param('id'));
		if (agent === undefined) return c.html(<NotFoundPage session={c.get('session')} />, 404);
		const supervised = deps.launcher.list().find((s) => s.id === agent.id);
		const live = liveState(agent, supervised, runningSince(deps).get(agent.id) ?? null);
		const { protocol, ...manifest } = manifestOf(agent);
		const detail: AgentDetail = {
			agent,
			...live,
			running: agent.status === 'running' || supervised !== undefined,
			permissions: permissionRows(agent, deps.userHome),
			narrower: narrowerApprovals(agent, deps.userHome),
			...manifest,
			build: buildOf(deps, agent),
			runs: runHistory(deps.db, agent.id, 10),
			log: logOf(deps, agent),
			audit: await getAuditEvents(deps.db, {
				subjectType: 'agent',
				subjectId: agent.id,
				limit: AUDIT_ENTRIES,
			}),
			tools: agentToolsOf(deps, agent, protocol),
		};
		return c.html(<AgentPage session={c.get('session')} detail={detail} />);
	});
}

/** The installed manifest as the page shows it, and its protocol (`none` when it cannot be read). */
function manifestOf(
	agent: AgentRecord,
): Pick<AgentDetail, 'manifest' | 'manifestProblem'> & { protocol: AgentProtocol } {
	if (agent.installPath === null)
		return { manifest: null, manifestProblem: null, protocol: 'none' };
	try {
		const parsed = readInstalledManifest({ ...agent, installPath: agent.installPath });
		return {
			protocol: agentProtocol(parsed.manifest),
			manifest: JSON.stringify(parsed.manifest, null, 2),
			manifestProblem:
				parsed.manifestHash === agent.manifestHash
					? null
					: 'The manifest on disk changed since the catalogue recorded it: run `agentspace agents discover` to record the change, then review and approve again.',
		};
	} catch (error) {
		if (!isAgentSpaceError(error)) throw error;
		return { manifest: null, manifestProblem: error.message, protocol: 'none' };
	}
}

function buildOf(deps: AdminUiDeps, agent: AgentRecord): AgentDetail['build'] {
	if (agent.installPath === null) return null;
	try {
		const plan = planBuild(deps.db, agent.id);
		return plan.steps.length === 0 ? null : { steps: plan.steps, manifestHash: plan.manifestHash };
	} catch (error) {
		if (!isAgentSpaceError(error)) throw error;
		return null;
	}
}

function logOf(deps: AdminUiDeps, agent: AgentRecord): AgentDetail['log'] {
	if (agent.runCount === 0) return null;
	try {
		return readRunLog(deps.db, { home: deps.home, id: agent.id, lines: LOG_LINES });
	} catch (error) {
		if (!isAgentSpaceError(error)) throw error;
		return null;
	}
}
