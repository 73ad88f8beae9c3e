import type { ChildProcess } from 'node:child_process';
import { killProcessGroup } from '../process/killProcessGroup.js';
import { findSandboxedAgent } from './findSandboxedAgent.js';

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
 * forwarding handler drops the signal. While the sandbox is being set up the
 * agent does not exist yet, so it is looked for every 10 ms, and then watched
 * until the wrapper exits: a process that execs another program (the shell
 * that starts the agent) gets the SIGTERM again, each program once. If no
 * agent shows up within {@link SANDBOX_AGENT_WAIT_MS} (no seccomp helper on
 * this architecture), or not on Linux (macOS's sandbox-exec execs the agent
 * in the wrapper's group), the wrapper's process group gets the SIGTERM.
 */
export function stopSandboxed(
	wrapper: ChildProcess,
	platform: NodeJS.Platform = process.platform,
): void {
	const pid = wrapper.pid;
	if (pid === undefined) return;
	const running = () => wrapper.exitCode === null && wrapper.signalCode === null;
	if (platform !== 'linux') {
		if (running()) killProcessGroup(pid, 'SIGTERM');
		return;
	}
	const signalled = new Set<string>();
	const giveUpAt = Date.now() + SANDBOX_AGENT_WAIT_MS;
	const attempt = () => {
		if (!running()) return;
		const agent = findSandboxedAgent(pid);
		if (agent !== undefined) {
			const key = `${agent.pid} ${agent.program}`;
			if (!signalled.has(key)) {
				signalled.add(key);
				signal(agent.pid, 'SIGTERM');
			}
		} else if (signalled.size === 0 && Date.now() >= giveUpAt) {
			killProcessGroup(pid, 'SIGTERM');
			return;
		}
		setTimeout(attempt, signalled.size === 0 ? SEARCH_MS : WATCH_MS);
	};
	attempt();
}
