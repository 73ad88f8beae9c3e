import type { ChildProcess } from 'node:child_process';
import { findSandboxInit } from './findSandboxInit.js';

/** How long to look for the sandbox's init before giving up on a graceful stop. */
export const SANDBOX_INIT_WAIT_MS = 2000;
const POLL_MS = 10;

function signal(pid: number, name: NodeJS.Signals): void {
	try {
		process.kill(pid, name);
	} catch {
		// Already gone.
	}
}

/**
 * Asks the agent inside the sandbox to stop, gracefully: SIGTERM to the
 * sandbox's nested init, which forwards it to the agent (its handler runs; the
 * wrapper then exits with the agent's status). Signalling the wrapper (bwrap)
 * instead would SIGKILL the agent at once. While the sandbox is still being
 * set up the init does not exist yet: it is looked for every 10 ms, so an
 * agent stopped during start-up still gets its SIGTERM (before its handler is
 * installed, that simply ends it). If none shows up within
 * {@link SANDBOX_INIT_WAIT_MS} (no seccomp helper on this architecture), or
 * not on Linux (macOS's sandbox-exec execs the agent in the wrapper's group),
 * the wrapper's process group gets the SIGTERM.
 */
export function stopSandboxed(
	wrapper: ChildProcess,
	platform: NodeJS.Platform = process.platform,
): void {
	const pid = wrapper.pid;
	if (pid === undefined) return;
	const running = () => wrapper.exitCode === null && wrapper.signalCode === null;
	if (platform !== 'linux') {
		if (running()) signal(-pid, 'SIGTERM');
		return;
	}
	const giveUpAt = Date.now() + SANDBOX_INIT_WAIT_MS;
	const attempt = () => {
		if (!running()) return;
		const init = findSandboxInit(pid);
		if (init !== undefined) signal(init, 'SIGTERM');
		else if (Date.now() >= giveUpAt) signal(-pid, 'SIGTERM');
		else setTimeout(attempt, POLL_MS);
	};
	attempt();
}
