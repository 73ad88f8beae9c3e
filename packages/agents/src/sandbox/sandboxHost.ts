import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { constants } from 'node:os';
import { PLAN_FLAG, PROXY_SOCKET_VAR, PROXY_TOKEN_VAR } from './directSandboxPlan.js';
import { findExecutable } from './findExecutable.js';
import { innerCommand } from './innerCommand.js';
import { sandboxRuntimeConfig } from './runtimeConfig.js';
import { parseSandboxLaunch, type SandboxLaunch } from './sandboxLaunch.js';
import { sandboxReadiness } from './sandboxReadiness.js';
import { stopSandboxed } from './stopSandboxed.js';

/** The host's exit code when its argument is not a valid policy. */
export const SANDBOX_EXIT_BAD_POLICY = 2;
/** The host's exit code when the sandbox could not be set up (the agent never ran). */
export const SANDBOX_EXIT_CANNOT_START = 125;

const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP'];

function say(message: string, hint?: string): void {
	process.stderr.write(
		`agentspace-sandbox: ${message}\n${hint === undefined ? '' : `agentspace-sandbox: hint: ${hint}\n`}`,
	);
}

function statusOf(code: number | null, signal: NodeJS.Signals | null): number {
	if (code !== null) return code;
	return 128 + (signal === null ? 0 : (constants.signals[signal] ?? 0));
}

// Nothing here may load @agentspace/core or Zod at run time: this runs on every
// agent start (see sandboxLaunch.ts).
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Runs `initialize` with `process.once('SIGINT' | 'SIGTERM', …)` ignored. The
 * library registers its reset() that way: a stop during initialize() would
 * reset it halfway (its proxy socket was left behind), and a stop later would
 * close the proxy while the agent is still stopping. This host handles those
 * signals itself and resets once the agent has exited.
 */
async function withoutSignalCleanup<T>(initialize: () => Promise<T>): Promise<T> {
	const once = process.once;
	const boundOnce = once.bind(process);
	process.once = ((event: string | symbol, listener: (...args: unknown[]) => void) =>
		event === 'SIGINT' || event === 'SIGTERM'
			? process
			: boundOnce(event, listener)) as typeof process.once;
	try {
		return await initialize();
	} finally {
		process.once = once;
	}
}

/**
 * `--as-pid-1` right after bwrap's path in the library's command: the
 * library's shell (which starts the bridges and the seccomp helper, and
 * reaps) is then pid 1 of the sandbox instead of bwrap's own init. bwrap
 * exits without reaping that init, which was left a zombie under the host's
 * pid 1; its direct child it reaps. A command of another form (the library
 * moved a long profile to a file) is left as it is.
 */
export function withShellAsPid1(wrapped: string, bwrapPath: string | undefined): string {
	const prefix = `${bwrapPath ?? 'bwrap'} `;
	return wrapped.startsWith(prefix)
		? `${prefix}--as-pid-1 ${wrapped.slice(prefix.length)}`
		: wrapped;
}

/**
 * The sandbox host: runs ONE agent inside the OS sandbox and mirrors its
 * exit. `argv[2]` is the JSON of a {@link SandboxLaunch} (see
 * sandboxedCommand); the host's environment, cwd and stdio are the agent's.
 * One host per run because the library keeps one network allowlist per
 * process; on Linux the supervisor starts bwrap itself instead and runs the
 * host only to plan (`--plan`, see sandboxedStart). SIGTERM, SIGINT or SIGHUP is passed on to the agent as SIGTERM (a
 * graceful stop; see stopSandboxed); when the agent has exited the host
 * cleans up and exits with its status (128+n for a signal). Exits 2 for a bad
 * argument and 125 when the sandbox cannot be set up, saying why on stderr.
 */
export async function runSandboxHost(argv: readonly string[] = process.argv): Promise<never> {
	if (argv[2] === PLAN_FLAG) return runSandboxPlanner(argv[3]);
	const parsed = parseSandboxLaunch(argv[2]);
	if (!parsed.ok) {
		say(
			`the sandbox policy argument is invalid:\n${parsed.errors.map((issue) => `  - ${issue.path}: ${issue.message}`).join('\n')}`,
			'this program is started by the AgentSpace supervisor with one JSON argument made by sandboxedCommand',
		);
		return process.exit(SANDBOX_EXIT_BAD_POLICY);
	}
	const launch = parsed.value;
	// Exactly what the supervisor gave the agent, before this process changes its own.
	const agentEnv = { ...process.env };
	const cannotStart = (message: string, hint?: string): never => {
		say(`cannot start the agent inside the sandbox: ${message}`, hint);
		return process.exit(SANDBOX_EXIT_CANNOT_START);
	};

	const readiness = sandboxReadiness(agentEnv);
	if (!readiness.ready) return cannotStart(readiness.problem ?? 'not ready', readiness.hint);
	try {
		mkdirSync(launch.tmpdir, { recursive: true, mode: 0o700 });
		mkdirSync(launch.dataDir, { recursive: true, mode: 0o700 });
		// The library protects files below its host's working directory (and
		// scans it on every wrap): the data directory is small and is where the
		// agent writes.
		process.chdir(launch.dataDir);
	} catch (error) {
		return cannotStart(messageOf(error), 'check that the agent’s data directory can be created');
	}
	for (const path of launch.allowWrite) {
		if (!existsSync(path)) {
			say(`the approved write path ${path} does not exist: it stays read-only for this run`);
		}
	}
	// The library's own sockets and scratch files go to os.tmpdir(): keep them
	// out of the agent's TMPDIR (writable by the agent, and a long path there
	// would not fit a unix socket's 108 bytes).
	delete process.env.TMPDIR;
	delete process.env.TMP;
	delete process.env.TEMP;

	let stopSignal: NodeJS.Signals | undefined;
	let wrapper: ChildProcess | undefined;
	const onStopSignal = (signal: NodeJS.Signals) => {
		stopSignal ??= signal;
		if (wrapper !== undefined) stopSandboxed(wrapper);
	};
	for (const signal of STOP_SIGNALS) process.on(signal, onStopSignal);
	// A signal that arrived during a synchronous call (the library runs `which`
	// with spawnSync) is handled on a later turn of the event loop.
	const stopSignalMeanwhile = async (): Promise<NodeJS.Signals | undefined> => {
		await new Promise((resolve) => setTimeout(resolve, 50));
		return stopSignal;
	};

	const bwrapPath =
		process.platform === 'linux' ? findExecutable('bwrap', agentEnv.PATH) : undefined;
	const { SandboxManager } = await import('@anthropic-ai/sandbox-runtime');
	const shutDown = async (status: number): Promise<never> => {
		try {
			await SandboxManager.reset();
		} catch {
			// Nothing more to do on the way out.
		}
		return process.exit(status);
	};
	try {
		await withoutSignalCleanup(() =>
			SandboxManager.initialize(sandboxRuntimeConfig(launch, bwrapPath)),
		);
	} catch (error) {
		// A stop of our process group also ends the library's socat bridge (and
		// the `which` it runs), which fails initialize() or the wrap: that is the
		// stop, not a broken sandbox.
		const stoppedBy = await stopSignalMeanwhile();
		if (stoppedBy !== undefined) return shutDown(statusOf(null, stoppedBy));
		say(
			`cannot start the agent inside the sandbox: ${messageOf(error)}`,
			'check that bwrap, socat and rg run (`agentspace doctor`)',
		);
		return shutDown(SANDBOX_EXIT_CANNOT_START);
	}
	if (stopSignal !== undefined) return shutDown(statusOf(null, stopSignal));

	let wrapped: string;
	try {
		wrapped = await SandboxManager.wrapWithSandbox(
			innerCommand({
				argv: launch.argv,
				cwd: launch.cwd,
				tmpdir: launch.tmpdir,
				awaitProxy: process.platform === 'linux',
			}),
			'sh',
			undefined,
			undefined,
			// Without an id the command text would name the run in the proxy
			// credentials, which every process can read in bwrap's argv.
			{ commandId: launch.runId },
		);
	} catch (error) {
		const stoppedBy = await stopSignalMeanwhile();
		if (stoppedBy !== undefined) return shutDown(statusOf(null, stoppedBy));
		say(`cannot start the agent inside the sandbox: ${messageOf(error)}`);
		return shutDown(SANDBOX_EXIT_CANNOT_START);
	}
	if (stopSignal !== undefined) {
		SandboxManager.cleanupAfterCommand();
		return shutDown(statusOf(null, stopSignal));
	}

	return new Promise<never>(() => {
		// `exec`: the wrapper (outer bwrap) is our child itself. Its own process
		// group, so a SIGTERM to ours is not delivered to it too: bwrap would
		// SIGKILL the agent instead of letting it stop.
		const child = spawn('/bin/sh', ['-c', `exec ${withShellAsPid1(wrapped, bwrapPath)}`], {
			env: agentEnv,
			// A run approved for tool:call has its channel on fd 4: passed on, nothing else.
			stdio:
				agentEnv.AGENTSPACE_MCP_FD === '4'
					? ['inherit', 'inherit', 'inherit', 'ignore', 4]
					: 'inherit',
			detached: true,
		});
		wrapper = child;
		child.once('error', (error) => {
			say(`cannot start the agent inside the sandbox: ${error.message}`);
			SandboxManager.cleanupAfterCommand();
			void shutDown(SANDBOX_EXIT_CANNOT_START);
		});
		child.once('exit', (code, signal) => {
			SandboxManager.cleanupAfterCommand();
			void shutDown(statusOf(code, signal));
		});
	});
}

/** The lines the host says about approved write paths that are missing (read-only for the run). */
function missingWritePaths(launch: SandboxLaunch): string[] {
	return launch.allowWrite
		.filter((path) => !existsSync(path))
		.map(
			(path) =>
				`agentspace-sandbox: the approved write path ${path} does not exist: it stays read-only for this run`,
		);
}

/**
 * `--plan <launch-json>`: prints the {@link DirectSandboxPlan} of a run as
 * one JSON line (a network-approved one with its proxy door, given in
 * {@link PROXY_SOCKET_VAR} and {@link PROXY_TOKEN_VAR}) and exits 0 (2 for a bad
 * argument, 125 when the sandbox cannot be set up, saying why on stderr).
 * The library's exit handler would remove the empty directory the plan
 * binds from before bwrap runs: the supervisor removes it after the run.
 */
async function runSandboxPlanner(json: string | undefined): Promise<never> {
	const parsed = parseSandboxLaunch(json);
	if (!parsed.ok) {
		say(
			`the sandbox policy argument is invalid:\n${parsed.errors.map((issue) => `  - ${issue.path}: ${issue.message}`).join('\n')}`,
		);
		return process.exit(SANDBOX_EXIT_BAD_POLICY);
	}
	// A network-approved run's proxy door (see sandboxedStart): in the
	// environment, never in the argument every process can read.
	const socketPath = process.env[PROXY_SOCKET_VAR];
	const token = process.env[PROXY_TOKEN_VAR];
	delete process.env[PROXY_SOCKET_VAR];
	delete process.env[PROXY_TOKEN_VAR];
	const proxy =
		socketPath !== undefined && token !== undefined && parsed.value.allowedHosts.length > 0
			? { socketPath, token }
			: undefined;
	if (parsed.value.allowedHosts.length > 0 && proxy === undefined) {
		say(
			'cannot start the agent inside the sandbox: a network-approved run was planned without its proxy',
		);
		return process.exit(SANDBOX_EXIT_CANNOT_START);
	}
	const agentEnv = { ...process.env };
	const readiness = sandboxReadiness(agentEnv);
	if (!readiness.ready) {
		say(`cannot start the agent inside the sandbox: ${readiness.problem}`, readiness.hint);
		return process.exit(SANDBOX_EXIT_CANNOT_START);
	}
	delete process.env.TMPDIR;
	delete process.env.TMP;
	delete process.env.TEMP;
	try {
		// Loaded only to plan: a host that runs an agent never needs it.
		const { planDirectSandbox } = await import('./sandboxPlanner.js');
		const plan = await planDirectSandbox(
			parsed.value,
			agentEnv,
			missingWritePaths(parsed.value),
			proxy,
		);
		process.stdout.write(`${JSON.stringify(plan)}\n`, () => {
			process.removeAllListeners('exit');
			process.exit(0);
		});
		return await new Promise<never>(() => {});
	} catch (error) {
		say(
			`cannot start the agent inside the sandbox: ${messageOf(error)}`,
			'check that bwrap and rg run (`agentspace doctor`)',
		);
		return process.exit(SANDBOX_EXIT_CANNOT_START);
	}
}
