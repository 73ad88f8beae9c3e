import { ConflictError } from '@agentspace/core';

/** Refuses to change an agent's files while it runs (install, build and uninstall all would). */
export function assertNotRunning(
	agent: { readonly id: string; readonly status: string } | undefined,
): void {
	if (agent?.status === 'running') {
		throw new ConflictError(`agent "${agent.id}" is running`, {
			hint: `stop it first: agentspace agents stop ${agent.id}`,
		});
	}
}
