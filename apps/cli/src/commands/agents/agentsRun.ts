import {
	agentProtocol,
	assertRunnable,
	callerVariables,
	RESTART_POLICIES,
	type RestartPolicy,
	readInstalledManifest,
	requireInstalled,
	type Supervisor,
	superviseAgent,
} from '@agentspace/agents';
import { AgentSpaceError } from '@agentspace/core';
import { callDaemon } from '@agentspace/daemon';
import type { AgentSpaceDb } from '@agentspace/db';
import type { ActionResult } from '../../action.js';
import { CLI_SOURCE_APP, cliActor } from '../../actor.js';
import type { CommandContext } from '../../context.js';
import { openExistingHomeDb } from '../../homeDb.js';
import { parseSecondsArg } from '../../parseArgs.js';
import { ensureDaemon } from '../daemon/daemonConnection.js';
import { sandboxHostScript } from '../daemon/daemonRun.js';
import { safe } from './describeAgent.js';

/** Options of `agents run`. */
export interface AgentsRunOptions {
	readonly foreground?: boolean;
	readonly restart?: string;
	readonly unsandboxed?: boolean;
	readonly grace?: string;
}

/**
 * `agents run <id>`: hands the agent to the daemon (started when needed), which
 * supervises it in the background; prints the run and returns.
 * `--foreground`: the same supervisor attached to this terminal, without a
 * daemon (for containers and CI). Output is echoed, redacted, as it is logged;
 * Ctrl-C, SIGTERM or SIGHUP stops the agent (SIGTERM, then SIGKILL after the
 * grace period) and exits 0 once the stop is recorded — also when it comes
 * while the run starts (the run is stopped as soon as it is recorded).
 */
export async function agentsRun(
	ctx: CommandContext,
	id: string,
	options: AgentsRunOptions,
): Promise<ActionResult> {
	const restart = (options.restart ?? 'no') as RestartPolicy;
	if (!RESTART_POLICIES.includes(restart)) {
		throw new AgentSpaceError(
			`--restart must be one of ${RESTART_POLICIES.join(', ')}, not "${options.restart}"`,
			{
				code: 'USAGE',
				hint: 'e.g. --restart on-failure',
			},
		);
	}
	const graceS =
		options.grace === undefined ? 5 : parseSecondsArg('--grace', options.grace, 0, 3600);
	if (options.foreground === true) {
		refuseForegroundMcp(ctx, id);
		return runInForeground(ctx, id, restart, graceS, options);
	}
	if (options.grace !== undefined) {
		throw new AgentSpaceError('--grace applies to --foreground runs', {
			code: 'USAGE',
			hint: `stop a background run with its own grace period: agentspace agents stop ${id} --timeout ${options.grace}`,
		});
	}
	return runInDaemon(ctx, id, restart, options);
}

/**
 * `--foreground` of an MCP agent (`"protocol": "mcp"`) is refused before
 * anything starts: its stdin and stdout are its protocol channel, which only
 * the daemon speaks — in this terminal nobody would talk to it, and its
 * stdout pipe would fill until it blocked. An agent whose manifest cannot be
 * read here is left to the launcher's own checks, which report it as always.
 */
function refuseForegroundMcp(ctx: CommandContext, id: string): void {
	const db = openExistingHomeDb(ctx.home);
	let mcp = false;
	try {
		mcp = agentProtocol(readInstalledManifest(requireInstalled(db, id)).manifest) === 'mcp';
	} catch {
		// Not installed, manifest unreadable…: superviseAgent says so, as for any agent.
	} finally {
		db.$client.close();
	}
	if (mcp) {
		throw new AgentSpaceError(
			`${safe(id)} is an MCP agent ("protocol": "mcp"): --foreground cannot run it, nobody here would speak MCP to it`,
			{
				code: 'USAGE',
				hint: `run it in the background so the daemon connects to it: agentspace agents run ${safe(id)}, then agentspace tools list`,
			},
		);
	}
}

/**
 * The variables a run may receive from this environment (see callerVariables),
 * after the launcher's own checks: an agent that may not run fails here,
 * before a daemon is started for it.
 */
function runEnvFor(ctx: CommandContext, id: string): Record<string, string> {
	const db = openExistingHomeDb(ctx.home);
	let names: string[];
	try {
		names = callerVariables(assertRunnable(db, id).approved);
	} finally {
		db.$client.close();
	}
	const env: Record<string, string> = {};
	for (const name of names) {
		const value = ctx.env[name];
		if (value !== undefined) env[name] = value;
	}
	return env;
}

async function runInDaemon(
	ctx: CommandContext,
	id: string,
	restart: RestartPolicy,
	options: AgentsRunOptions,
): Promise<ActionResult> {
	const env = runEnvFor(ctx, id);
	const { status, started, connection } = await ensureDaemon(ctx.home, ctx.env);
	if (started)
		ctx.output.note(ctx.output.style.dim(`started the AgentSpace daemon (pid ${status.pid})`));
	const run = await callDaemon({ ...connection, timeoutMs: 30_000 }, 'run', {
		id,
		restart,
		unsandboxed: options.unsandboxed === true,
		env,
		actor: cliActor(),
	});
	ctx.output.data(run);
	const { style } = ctx.output;
	ctx.output.line(
		`Started ${safe(id)} (run ${run.runId}, pid ${run.pid}, ${run.sandboxed ? 'sandboxed' : style.yellow('unsandboxed')}, restart ${restart}).`,
	);
	ctx.output.line(style.dim(`  logs: agentspace agents logs ${safe(id)} --follow`));
	ctx.output.line(style.dim(`  stop: agentspace agents stop ${safe(id)}`));
}

/** The values of `names` in the home's vault, opened on the first run that asks (missing ones left out). */
async function resolveSecretsFromVault(
	home: string,
	db: AgentSpaceDb,
	names: readonly string[],
): Promise<Readonly<Record<string, string>>> {
	if (names.length === 0) return {};
	const { openVault, readSecrets } = await import('@agentspace/keys');
	return readSecrets(db, await openVault({ home }), names);
}

async function runInForeground(
	ctx: CommandContext,
	id: string,
	restart: RestartPolicy,
	graceS: number,
	options: AgentsRunOptions,
): Promise<ActionResult> {
	const db = openExistingHomeDb(ctx.home);
	const { style } = ctx.output;
	// The handlers are in place before anything starts: a signal with no
	// handler ends this process at once, and a stop (`agents stop`, revoke, the
	// admin UI) signals it as soon as the run is recorded — possibly before
	// superviseAgent has returned. Ended then, the run would stay recorded as
	// running and its process group would be orphaned. A signal that comes
	// while the run starts is kept and acted on once there is a run to stop.
	let supervisor: Supervisor | undefined;
	let stopRequested = false;
	const stop = () => {
		stopRequested = true;
		void supervisor?.stop(graceS * 1000);
	};
	const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
	for (const signal of signals) process.on(signal, stop);
	try {
		supervisor = await superviseAgent({
			db,
			home: ctx.home,
			id,
			actor: cliActor(),
			sourceApp: CLI_SOURCE_APP,
			restart,
			unsandboxed: options.unsandboxed === true,
			sandboxHostScript: sandboxHostScript(),
			supervisorPid: process.pid,
			env: ctx.env,
			// Approved secret:read: secrets come from the home's vault (no daemon here: no LLM endpoint).
			resolveSecrets: (names) => resolveSecretsFromVault(ctx.home, db, names),
			onLine: (stream, text) => {
				if (ctx.json) ctx.output.record({ type: 'line', stream, text });
				else
					ctx.output.line(
						`${stream === 'stderr' ? style.yellow('!') : style.dim('│')} ${safe(text)}`,
					);
			},
			onStatus: (status) => {
				if (ctx.json) return ctx.output.record({ type: status.state, ...status });
				switch (status.state) {
					case 'started':
						ctx.output.note(
							style.dim(
								`started ${safe(id)} (run ${status.runId}, pid ${status.pid}, ${status.sandboxed ? 'sandboxed' : 'unsandboxed'}); log: ${status.logPath}`,
							),
						);
						break;
					case 'ended':
						ctx.output.note(
							style.dim(
								`run ${status.runId} ${status.exit.stopped ? 'stopped' : 'ended'}: ${
									status.exit.signal === null
										? `exit code ${status.exit.exitCode}`
										: `signal ${status.exit.signal}`
								}`,
							),
						);
						break;
					case 'restarting':
						ctx.output.note(
							style.yellow(`restarting in ${status.delayMs} ms (restart ${status.restarts})`),
						);
						break;
					case 'errored':
						ctx.output.note(style.red(`not restarting: ${safe(status.reason)}`));
						break;
				}
			},
		});
		if (stopRequested) void supervisor.stop(graceS * 1000);
		const result = await supervisor.done;
		if (result.errored) {
			throw new AgentSpaceError(`${id} kept crashing and is no longer restarted`, {
				code: 'COMMAND_FAILED',
				hint: `read its logs: agentspace agents logs ${id}`,
			});
		}
		const exit = result.lastExit;
		// A run that ended on its own with an error is a failure for scripts, too.
		if (exit !== undefined && !exit.stopped && (exit.exitCode !== 0 || exit.signal !== null)) {
			throw new AgentSpaceError(`${id} ended with ${exit.signal ?? `exit code ${exit.exitCode}`}`, {
				code: 'COMMAND_FAILED',
				hint: `read its logs: agentspace agents logs ${id}`,
			});
		}
	} finally {
		for (const signal of signals) process.off(signal, stop);
		db.$client.close();
	}
}
