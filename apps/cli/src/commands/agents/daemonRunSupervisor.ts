import type { RunSupervisor } from '@agentspace/agents';
import { callDaemon, type DaemonConnection } from '@agentspace/daemon';
import { daemonStatusOrUndefined, listeningDaemonConnection } from '../daemon/daemonConnection.js';

/**
 * The home's daemon as the supervisor `stopAgent` stops through, over its
 * socket (each request waits up to `timeoutMs`). It is asked what it
 * supervises only when `stopAgent` needs to know; with no socket there is no
 * daemon to ask, and no auth token is created for it.
 */
export function daemonRunSupervisor(home: string, timeoutMs: number): RunSupervisor {
	let connection: DaemonConnection | undefined;
	const connected = (): DaemonConnection => {
		// stopAgent asks for a stop only after supervised() found the daemon.
		if (connection === undefined) throw new Error('the daemon was not asked what it supervises');
		return connection;
	};
	return {
		async supervised() {
			connection = await listeningDaemonConnection(home, timeoutMs);
			const status =
				connection === undefined ? undefined : await daemonStatusOrUndefined(connection);
			return status === undefined
				? undefined
				: { pid: status.pid, ids: status.agents.map((agent) => agent.id) };
		},
		stop: (id, graceMs, actor) => callDaemon(connected(), 'stop', { id, graceMs, actor }),
		stopAll: async (graceMs, actor) => [
			...(await callDaemon(connected(), 'stopAll', { graceMs, actor })),
		],
	};
}
