import {
	callDaemon,
	currentRuns,
	isProcessAlive,
	isRunRecordedRunning,
	isSupervisorAlive,
	requireAgent,
	type StoppedAgent,
} from '@agentspace/agents';
import { AgentSpaceError } from '@agentspace/core';
import { cliActor } from '../../actor.js';
import type { CommandContext } from '../../context.js';
import { openExistingHomeDb } from '../../homeDb.js';
import { parseSecondsArg } from '../../parseArgs.js';
import type { ActionResult } from '../../program.js';
import { daemonConnection, daemonStatusOrUndefined } from '../daemon/daemonConnection.js';
import { safe } from './describeAgent.js';

/** Options of `agents stop`. */
export interface AgentsStopOptions {
	readonly all?: boolean;
	readonly timeout?: string;
}

/** A stop of a run some other `agents run --foreground` supervises. */
interface ForegroundStop {
	readonly id: string;
	readonly runId: string;
	readonly supervisorPid: number;
}

/**
 * `agents stop <id> | --all`: SIGTERM to the agent's process group, SIGKILL
 * after `--timeout` (default 5 s); the run is recorded as stopped with its exit
 * code or signal. Background runs are stopped by the daemon; a run attached to
 * another terminal (`run --foreground`) is stopped by signalling its
 * supervisor, which stops it with its own `--grace`. An agent that is not
 * running is left as it is (exit 0): stopping is idempotent.
 */
export async function agentsStop(
	ctx: CommandContext,
	id: string | undefined,
	options: AgentsStopOptions,
): Promise<ActionResult> {
	if ((id === undefined) === (options.all !== true)) {
		throw new AgentSpaceError('name one agent, or pass --all', {
			code: 'USAGE',
			hint: 'e.g. agentspace agents stop hello-agent, or agentspace agents stop --all',
		});
	}
	const graceMs =
		(options.timeout === undefined ? 5 : parseSecondsArg('--timeout', options.timeout, 0, 3600)) *
		1000;
	const db = openExistingHomeDb(ctx.home);
	let foreground: ForegroundStop[];
	try {
		if (id !== undefined) requireAgent(db, id);
		foreground = currentRuns(db).flatMap((run) =>
			(id === undefined || run.agentId === id) &&
			run.supervisorPid !== null &&
			isSupervisorAlive(run.supervisorPid)
				? [{ id: run.agentId, runId: run.runId, supervisorPid: run.supervisorPid }]
				: [],
		);
	} finally {
		db.$client.close();
	}
	const connection = await daemonConnection(ctx.home, graceMs + 15_000);
	const daemon = await daemonStatusOrUndefined(connection);
	const daemonIds = new Set(daemon?.agents.map((a) => a.id) ?? []);
	foreground = foreground.filter(
		(run) => !daemonIds.has(run.id) && run.supervisorPid !== daemon?.pid,
	);
	const stopped: StoppedAgent[] = [];
	if (daemon !== undefined && (id === undefined || daemonIds.has(id))) {
		const actor = cliActor();
		if (id === undefined)
			stopped.push(...(await callDaemon(connection, 'stopAll', { graceMs, actor })));
		else stopped.push(await callDaemon(connection, 'stop', { id, graceMs, actor }));
	}
	for (const run of foreground) stopped.push(await stopForeground(ctx.home, run, graceMs));
	ctx.output.data({ stopped });
	if (stopped.length === 0) {
		ctx.output.line(id === undefined ? 'No agent is running.' : `${safe(id)} is not running.`);
		return;
	}
	for (const agent of stopped) {
		const exit = agent.exit;
		ctx.output.line(
			`Stopped ${safe(agent.id)}${agent.runId === null ? '' : ` (run ${agent.runId})`}${
				exit === null
					? ''
					: exit.signal === null
						? `: exit code ${exit.exitCode}`
						: `: ${exit.signal}${exit.killed ? ' after the grace period' : ''}`
			}.`,
		);
	}
}

/** Asks a foreground supervisor to stop (SIGTERM) and waits until it has recorded the end. */
async function stopForeground(
	home: string,
	run: ForegroundStop,
	graceMs: number,
): Promise<StoppedAgent> {
	process.kill(run.supervisorPid, 'SIGTERM');
	const deadline = Date.now() + graceMs + 10_000;
	const db = openExistingHomeDb(home);
	try {
		while (isRunRecordedRunning(db, run.runId)) {
			if (Date.now() > deadline || !isProcessAlive(run.supervisorPid)) {
				if (!isRunRecordedRunning(db, run.runId)) break;
				throw new AgentSpaceError(
					`${run.id}'s supervisor (pid ${run.supervisorPid}, a foreground \`agents run\`) did not record the stop`,
					{ code: 'CONFLICT', hint: `see it with: agentspace agents status` },
				);
			}
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
	} finally {
		db.$client.close();
	}
	return { id: run.id, runId: run.runId, exit: null };
}
