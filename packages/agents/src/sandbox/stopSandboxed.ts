import type { ChildProcess } from 'node:child_process';
import { killProcessGroup } from '../process/killProcessGroup.js';
import { findSandboxedAgent, findSandboxInit } from './findSandboxedAgent.js';

/** How long to look for the agent's process before giving up on a graceful stop. */
export const SANDBOX_AGENT_WAIT_MS = 2000;
const SEARCH_MS = 10;
const WATCH_MS = 50;

function signal(pid: number, name: NodeJS.Signals): void {
	try {
		process.kill(pid, name);
	} catch {
		// Already gone.
	}
}

/**
 * Asks the agent inside the sandbox to stop, gracefully: SIGTERM to the
 * agent's own process (its handler runs; when it exits, the sandbox's init
 * exits, which ends whatever the agent started, and the wrapper exits with the
 * agent's status). Not to the wrapper: bwrap would SIGKILL the agent at once.
 * Not to the sandbox's init either: an init that has not yet installed its
 * forwarding handler drops the signal (and the shell that is pid 1 of a
 * direct sandbox never forwards it). While the sandbox is being set up the
 * agent does not exist yet, so it is looked for every 10 ms, and then watched
 * until the wrapper exits: a process that execs another program (the shell
 * that starts the agent) gets the SIGTERM again, each program (executable)
 * once — a process that only renames itself (Node 24's main thread) does not.
 * If no
 * agent shows up within {@link SANDBOX_AGENT_WAIT_MS} (no seccomp helper on
 * this architecture), or not on Linux (macOS's sandbox-exec execs the agent
 * in the wrapper's group), the wrapper's process group gets the SIGTERM; for
 * a direct sandbox (`kind: 'direct'` or `'direct-nested'`, the supervisor's
 * own bwrap) the sandbox is killed instead (see {@link killSandboxed}).
 */
export function stopSandboxed(
	wrapper: ChildProcess,
	platform: NodeJS.Platform = process.platform,
	kind: 'host' | 'direct' | 'direct-nested' = 'host',
): void {
	const pid = wrapper.pid;
	if (pid === undefined) return;
	const running = () => wrapper.exitCode === null && wrapper.signalCode === null;
	if (platform !== 'linux') {
		if (running()) killProcessGroup(pid, 'SIGTERM');
		return;
	}
	// The agent's pid namespace: bwrap's own (direct), or the seccomp helper's
	// inside it (the host's runs, and the supervisor's network-approved ones).
	const levels = kind === 'direct' ? 2 : 3;
	const signalled = new Set<string>();
	const giveUpAt = Date.now() + SANDBOX_AGENT_WAIT_MS;
	const attempt = () => {
		if (!running()) return;
		const agent = findSandboxedAgent(pid, levels);
		if (agent !== undefined) {
			const key = `${agent.pid} ${agent.program}`;
			if (!signalled.has(key)) {
				signalled.add(key);
				signal(agent.pid, 'SIGTERM');
			}
		} else if (signalled.size === 0 && Date.now() >= giveUpAt) {
			if (kind !== 'host') killSandboxed(wrapper);
			else killProcessGroup(pid, 'SIGTERM');
			return;
		}
		setTimeout(attempt, signalled.size === 0 ? SEARCH_MS : WATCH_MS);
	};
	attempt();
}

/** How long bwrap gets to report its sandbox's end before its group is SIGKILLed too. */
export const SANDBOX_KILL_WAIT_MS = 1000;

/**
 * Kills a direct sandbox (bwrap started by the supervisor): SIGKILL to the
 * sandbox's pid 1, which ends every process inside; bwrap reaps it and exits
 * with 137. Killing bwrap first would orphan its child — a zombie under the
 * host's pid 1 wherever that does not reap. Bwrap's process group gets the
 * SIGKILL too if it has not exited within {@link SANDBOX_KILL_WAIT_MS}, or at
 * once when there is no sandbox pid 1 (still being set up).
 */
export function killSandboxed(wrapper: ChildProcess): void {
	const pid = wrapper.pid;
	if (pid === undefined || wrapper.exitCode !== null || wrapper.signalCode !== null) return;
	const init = findSandboxInit(pid, 2);
	if (init === undefined) {
		killProcessGroup(pid, 'SIGKILL');
		return;
	}
	signal(init, 'SIGKILL');
	const backstop = setTimeout(() => killProcessGroup(pid, 'SIGKILL'), SANDBOX_KILL_WAIT_MS);
	backstop.unref();
	wrapper.once('exit', () => clearTimeout(backstop));
}
