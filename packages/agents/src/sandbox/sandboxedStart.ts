import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import {
	type DirectSandboxPlan,
	PLAN_FLAG,
	PROXY_SOCKET_VAR,
	PROXY_TOKEN_VAR,
} from './directSandboxPlan.js';
import { holdMountPoints } from './mountPoints.js';
import { openRunProxy, type RunProxy } from './runProxy.js';
import { type SandboxedCommandInput, sandboxedCommand } from './sandboxedCommand.js';
import { unixSocketBlockFilter } from './seccompFilter.js';

/** How the supervisor starts a sandboxed run (see {@link sandboxedStart}). */
export interface SandboxedStart {
	readonly command: string;
	readonly args: readonly string[];
	/**
	 * `direct`: bwrap itself, started by the supervisor (Linux; with a network
	 * approval, its door into the supervisor's proxy); `host`: the Node sandbox
	 * host with the library's proxy (macOS).
	 */
	readonly kind: 'direct' | 'host';
	/** Bytes the child reads on fd 3 (bwrap's `--seccomp 3`). */
	readonly fd3?: Buffer;
	/**
	 * Who gets a stop's SIGTERM: the host (`leader`), which passes it on; or,
	 * for bwrap itself, the agent inside (`sandbox`; `sandbox-nested` when the
	 * agent runs in the seccomp helper's pid namespace, a network-approved
	 * run — see stopSandboxed).
	 */
	readonly terminate: 'leader' | 'sandbox' | 'sandbox-nested';
	/**
	 * To call once the run has ended: removes the mount points bwrap made on
	 * the host, and closes the run's proxy door (its credentials stop working).
	 */
	readonly release: () => void;
}

/** What {@link sandboxedStart} needs beyond the command. */
export interface SandboxedStartInput extends SandboxedCommandInput {
	/** The agent's environment: the planner runs with it (PATH finds bwrap, rg, sh). */
	readonly env: NodeJS.ProcessEnv;
	readonly platform?: NodeJS.Platform;
	readonly arch?: string;
	/** How long the planner may take (default {@link PLANNER_TIMEOUT_MS}); a test seam. */
	readonly plannerTimeoutMs?: number;
}

const nothing = () => {};

/** How long planning a run may take before the run fails (see sandboxedStart). */
export const PLANNER_TIMEOUT_MS = 30_000;

/** The run log's lines for a planner that failed: what happened, then what to do. */
const failure = (message: string, hint: string) =>
	`agentspace-sandbox: ${message}\nagentspace-sandbox: hint: ${hint}\n`;

/** Runs the host's planner; its stdout (the plan) and stderr, and how it exited. */
function runPlanner(
	input: SandboxedStartInput,
	launchJson: string,
	proxy: RunProxy | undefined,
): Promise<{ code: number; stdout: string; stderr: string }> {
	return new Promise((resolve) => {
		const child = spawn(process.execPath, [input.hostScript, PLAN_FLAG, launchJson], {
			env:
				proxy === undefined
					? input.env
					: {
							...input.env,
							[PROXY_SOCKET_VAR]: proxy.socketPath,
							[PROXY_TOKEN_VAR]: proxy.token,
						},
			cwd: input.policy.cwd,
			stdio: ['ignore', 'pipe', 'pipe'],
			// It scans at most three levels of the data directory: a planner still
			// busy after this is stuck (a hung file system), and the run fails.
			timeout: input.plannerTimeoutMs ?? PLANNER_TIMEOUT_MS,
			killSignal: 'SIGKILL',
		});
		let stdout = '';
		let stderr = '';
		child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
			stdout += chunk;
		});
		child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
			stderr += chunk;
		});
		child.once('error', (error) =>
			resolve({
				code: 125,
				stdout: '',
				stderr: failure(
					`cannot start the sandbox planner: ${error.message}`,
					`check that the agent's directory (${input.policy.cwd}) exists and that ${process.execPath} can be run, then start the agent again`,
				),
			}),
		);
		child.once('close', (code, signal) => {
			if (code !== null) {
				resolve({ code, stdout, stderr });
				return;
			}
			const timedOut = signal === 'SIGKILL';
			const limit = (input.plannerTimeoutMs ?? PLANNER_TIMEOUT_MS) / 1000;
			resolve({
				code: 125,
				stdout: '',
				stderr:
					stderr +
					failure(
						`the sandbox planner was ended by ${signal}${timedOut ? ` (no plan after ${limit} s)` : ''}`,
						timedOut
							? `it reads the agent's data directory (${input.policy.dataDir}) and the approved write paths: check that their file system answers (ls them), then start the agent again`
							: 'start the agent again; if this repeats, run `agentspace doctor`',
					),
			});
		});
	});
}

/**
 * How to start an agent inside the OS sandbox. On Linux (x64, arm64) the
 * supervisor starts bwrap itself: the sandbox host is run once, with
 * `--plan`, to turn the policy's filesystem rules into bwrap arguments with
 * the library — exactly what the host would apply — and exits before the
 * agent starts. Without a network approval the run is then bwrap, a shell as
 * the sandbox's pid 1, and the agent: no proxy, no bridges, no network (see
 * directBwrapArgv). With one, the run gets a door of its own into this
 * process's filtering proxy (see runProxy: its own socket and secret, its own
 * allowlist) and the sandbox starts the library's two socat bridges to it
 * and its seccomp helper — but no Node host. A run approved for `llm:` with
 * the daemon's LLM endpoint gets a bridge to it in the same way. Elsewhere
 * the host runs the agent as before (see sandboxedCommand), without an LLM
 * bridge (startRun says so in the run's log). A planner that fails is replayed
 * as the run itself: its message goes to the run's log and the run ends with
 * its status (2 or 125), as the host's would.
 */
export async function sandboxedStart(input: SandboxedStartInput): Promise<SandboxedStart> {
	const host = sandboxedCommand(input);
	const filter = unixSocketBlockFilter(input.arch ?? process.arch);
	if ((input.platform ?? process.platform) !== 'linux' || filter === undefined) {
		return { ...host, kind: 'host', terminate: 'leader', release: nothing };
	}
	const networked = input.policy.allowedHosts.length > 0;
	let proxy: RunProxy | undefined;
	let planned: { code: number; stdout: string; stderr: string };
	try {
		proxy = networked ? await openRunProxy(input.policy.allowedHosts) : undefined;
		planned = await runPlanner(input, host.args.at(-1) as string, proxy);
	} catch (error) {
		// No door, no run: it ends as a sandbox that cannot be set up does.
		planned = {
			code: 125,
			stdout: '',
			stderr: `agentspace-sandbox: cannot start the agent inside the sandbox: cannot open its network proxy: ${error instanceof Error ? error.message : String(error)}\nagentspace-sandbox: hint: check that the temporary directory (${tmpdir()}) is writable\n`,
		};
	}
	let plan: DirectSandboxPlan | undefined;
	if (planned.code === 0) {
		try {
			plan = JSON.parse(planned.stdout) as DirectSandboxPlan;
		} catch {
			planned.stderr += failure(
				'the sandbox planner printed no plan',
				'run `agentspace doctor`; if it finds nothing, report this as a bug with the run log',
			);
			planned.code = 125;
		}
	}
	if (plan === undefined) {
		proxy?.close();
		return {
			command: process.execPath,
			args: [
				'-e',
				'process.stderr.write(process.argv[1]); process.exitCode = Number(process.argv[2]);',
				planned.stderr,
				String(planned.code),
			],
			kind: 'direct',
			terminate: 'leader',
			release: nothing,
		};
	}
	const releaseMounts = holdMountPoints(plan.mountPoints, plan.scratch);
	// Bridges (network, LLM endpoint) run the agent under the seccomp helper.
	const bridged = networked || input.policy.llmBridge !== undefined;
	return {
		command: plan.bwrap,
		args: plan.args,
		kind: 'direct',
		...(bridged ? {} : { fd3: filter }),
		terminate: bridged ? 'sandbox-nested' : 'sandbox',
		release: () => {
			releaseMounts();
			proxy?.close();
		},
	};
}
