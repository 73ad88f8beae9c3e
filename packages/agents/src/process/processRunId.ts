import { readFileSync } from 'node:fs';

/**
 * The `AGENTSPACE_RUN_ID` in a process's environment (Linux /proc), or
 * undefined when it has none or it cannot be read. Pids are reused: before
 * killing a recorded pid, this tells whether it is still that run.
 */
export function processRunId(pid: number): string | undefined {
	try {
		const environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
		for (const entry of environ.split('\0')) {
			if (entry.startsWith('AGENTSPACE_RUN_ID=')) return entry.slice('AGENTSPACE_RUN_ID='.length);
		}
	} catch {
		// Gone, another user's, or not Linux.
	}
	return undefined;
}
