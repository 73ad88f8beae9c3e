import { homedir } from 'node:os';
import { generateAuthToken, generateId } from '@agentspace/core';
import { agentPaths } from '../agentPaths.js';
import { beginGitGuard } from '../gitGuard/gitGuardRun.js';
import { assertRunnable } from '../lifecycle/assertRunnable.js';
import { runLogPath } from '../logs/readRunLog.js';
import { RotatingLog } from '../logs/rotatingLog.js';
import { agentProtocol } from '../manifest/schema.js';
import { toolCallScopes } from '../permissions/toolCallScopes.js';
import type { Permission } from '../permissions/types.js';
import { sandboxedStart } from '../sandbox/sandboxedStart.js';
import { sandboxPolicyFor } from '../sandbox/sandboxPolicy.js';
import { approvedProviders, llmVariables } from './llmEnvironment.js';
import { runEnvironment, runLogSecrets } from './runEnvironment.js';
import { checkGitAfterRun, recordRunStarted } from './runEvents.js';
import { type AgentProcess, startAgentProcess } from './startAgentProcess.js';
import type { SupervisionContext } from './supervision.js';
import { TOOL_CHANNEL_FD, TOOL_CHANNEL_VARIABLE } from './toolChannel.js';

/** One started and recorded run. */
export interface StartedRun {
	readonly process: AgentProcess;
	readonly runId: string;
	/** Its approved `tool:call:` scopes (empty: no tool channel). */
	readonly toolScopes: readonly string[];
	/** When it was recorded, for the restart policy's uptime. */
	readonly startedAt: number;
}

/**
 * Starts one run: passes `assertRunnable` again (a revoke or a changed
 * manifest stops the restarts), gives it a new run id, session token and log
 * file, starts its entrypoint inside the sandbox (or, asked for, without),
 * and records the start. `graceMs` is read only if the start cannot be
 * recorded and the process must be stopped again.
 */
export async function startRun(
	context: SupervisionContext,
	attempt: number,
	graceMs: () => number,
): Promise<StartedRun> {
	const runnable = assertRunnable(context.db, context.id, { userHome: context.userHome });
	const paths = agentPaths(context.home, context.id);
	const runId = generateId('run');
	const sessionToken = generateAuthToken();
	const secrets = await approvedSecrets(context, runnable.approved);
	const env = runEnvironment({
		callerEnv: context.env,
		paths,
		agentId: context.id,
		runId,
		sessionToken,
		approved: runnable.approved,
		...(context.socketPath === undefined ? {} : { socketPath: context.socketPath }),
		secrets: secrets.values,
	});
	// The LLM endpoint's variables only when the daemon serves it: a
	// foreground run has no endpoint to point at.
	const llm = approvedProviders(runnable.approved, runnable.remembered);
	const llmEndpoint = llm.length > 0 ? context.llmEndpoint : undefined;
	if (llmEndpoint !== undefined) Object.assign(env, llmVariables(llm, llmEndpoint, sessionToken));
	// A channel to the daemon's tools only for a run approved for tool:call,
	// and only when someone serves it (the daemon; not a foreground run).
	const toolScopes = context.onToolChannel === undefined ? [] : toolCallScopes(runnable.approved);
	if (toolScopes.length > 0) env[TOOL_CHANNEL_VARIABLE] = String(TOOL_CHANNEL_FD);
	// The session token, the secrets and secret-named variables never reach its log.
	const logPath = runLogPath(context.home, context.id, runId);
	const log = new RotatingLog(logPath, {}, runLogSecrets(env, runnable.approved), context.onLine);
	// By name, never by value.
	for (const note of secrets.notes) log.note(note);
	if (llm.length > 0 && llmEndpoint === undefined) {
		// Approved, yet nothing to point at (a foreground run, or the daemon's
		// endpoint failed: a port in use): said, so a failing SDK call is explained.
		log.note(
			`approved for ${llm.map(({ provider }) => `llm:${provider}`).join(', ')} but the daemon's LLM endpoint is not serving: the run starts without AGENTSPACE_LLM_URL and the providers' variables (see agentspace daemon status)`,
		);
	}
	const { entrypoint } = runnable.manifest.manifest;
	const command = context.sandboxed
		? await sandboxedStart({
				hostScript: context.sandboxHostScript as string,
				env,
				policy: sandboxPolicyFor({
					agentHome: context.home,
					userHome: context.userHome ?? homedir(),
					paths,
					installPath: runnable.agent.installPath,
					runId,
					approved: runnable.approved,
					...(llmEndpoint === undefined ? {} : { llmEndpoint }),
					// Kept before the agent starts, for the check when it ends.
					onGitProtection: (protection) =>
						beginGitGuard({
							home: context.home,
							agentId: context.id,
							runId,
							protection,
							note: (text) => log.note(text),
						}),
				}),
				command: entrypoint.command,
				args: entrypoint.args,
			})
		: { command: entrypoint.command, args: entrypoint.args, terminate: 'group' as const };
	if (llmEndpoint !== undefined && 'kind' in command && command.kind === 'host') {
		log.note(
			'the LLM endpoint is not reachable inside the sandbox on this platform (no bridge to it outside Linux): the run starts without it',
		);
	}
	// Registered before the process starts, so its first request is known;
	// released once, when it has ended or could not start.
	const releaseSandbox = 'release' in command ? command.release : () => {};
	let releaseCredentials: () => void;
	try {
		releaseCredentials =
			context.onRunCredentials?.({ agentId: context.id, runId, sessionToken, llm }) ?? (() => {});
	} catch (error) {
		releaseSandbox();
		log.close();
		throw error;
	}
	const release = once(() => {
		try {
			releaseSandbox();
		} finally {
			// Called as the process ends: a failure must not stop the run's end
			// from being recorded, and is noted instead.
			try {
				releaseCredentials();
			} catch (error) {
				log.note(`releasing the run's credentials failed: ${(error as Error).message}`);
			}
		}
	});
	let process: AgentProcess;
	try {
		process = await startAgentProcess({
			command: command.command,
			args: command.args,
			cwd: runnable.agent.installPath,
			env,
			log,
			terminate: command.terminate,
			// bwrap started directly: its seccomp program, and its mount points to remove at the end.
			...('fd3' in command && command.fd3 !== undefined ? { fd3: command.fd3 } : {}),
			onExit: release,
			// An MCP agent's stdin and stdout are its protocol channel, not its log.
			...(agentProtocol(runnable.manifest.manifest) === 'mcp' ? { protocolChannel: true } : {}),
			...(toolScopes.length > 0 ? { toolChannel: true } : {}),
		});
	} catch (error) {
		release();
		throw error;
	}
	// A started process is always either recorded or stopped: unrecorded, no
	// stop or status could ever find it again.
	try {
		recordRunStarted(context, { runId, pid: process.pid, attempt });
	} catch (error) {
		// The recording's error is the one thrown; a stop that fails too is logged.
		try {
			await process.stop(graceMs());
		} catch (stopError) {
			noteInRunLog(
				logPath,
				context.onLine,
				`the run could not be recorded, and stopping it (pid ${process.pid}) failed: ${(stopError as Error).message}`,
			);
		}
		// It ran, however briefly: what it planted is checked like any run's.
		await checkGitAfterRun(context, runId);
		throw error;
	}
	context.onStatus?.({
		state: 'started',
		runId,
		pid: process.pid,
		logPath,
		sandboxed: context.sandboxed,
	});
	return { process, runId, toolScopes, startedAt: Date.now() };
}

/** One line of AgentSpace's own in a run's log, after the run's own log was closed. */
function noteInRunLog(logPath: string, onLine: SupervisionContext['onLine'], text: string): void {
	try {
		const log = new RotatingLog(logPath, {}, [], onLine);
		log.note(text);
		log.close();
	} catch {
		// The log is a copy for the user: the error thrown is the record.
	}
}

/** `fn`, called at most once. */
function once(fn: () => void): () => void {
	let called = false;
	return () => {
		if (called) return;
		called = true;
		fn();
	};
}

/**
 * The values of the run's approved `secret:read:` secrets, from the
 * caller's resolveSecrets (the daemon's vault), and the run log's notes: a
 * secret approved but not set is named (never a value), and the run goes on
 * without it. Without resolveSecrets (no store to read) nothing is passed
 * and nothing noted, as before secrets were passed.
 */
async function approvedSecrets(
	context: SupervisionContext,
	approved: readonly Permission[],
): Promise<{ values: Readonly<Record<string, string>>; notes: string[] }> {
	const names = approved.flatMap((permission) =>
		permission.domain === 'secret' ? [permission.name] : [],
	);
	if (names.length === 0 || context.resolveSecrets === undefined) return { values: {}, notes: [] };
	let values: Readonly<Record<string, string>>;
	try {
		values = await context.resolveSecrets(names);
	} catch (error) {
		return {
			values: {},
			notes: [
				`the approved secrets could not be read (${(error as Error).message}): the run starts without them`,
			],
		};
	}
	const missing = names.filter((name) => values[name] === undefined);
	return {
		values,
		notes:
			missing.length === 0
				? []
				: [
						`approved secret${missing.length === 1 ? '' : 's'} not set, not passed: ${missing.join(', ')} (set with agentspace secrets set <name>)`,
					],
	};
}
