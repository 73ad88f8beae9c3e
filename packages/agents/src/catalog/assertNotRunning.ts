import { ConflictError } from '@agentspace/core';

/** Refuses to change an agent's files while it runs (install, build and uninstall all would). */
export function assertNotRunning(
	agent: { readonly id: string; readonly status: string } | undefined,
): void {
	// `unhealthy`: a run still being stopped for it (its process is still there).
	if (agent?.status === 'running' || agent?.status === 'unhealthy') {
		throw new ConflictError(`agent "${agent.id}" is running`, {
			hint: `stop it first: agentspace agents stop ${agent.id}`,
		});
	}
}
