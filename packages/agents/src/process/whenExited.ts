import type { ChildProcess } from 'node:child_process';
import { killProcessGroup } from './killProcessGroup.js';

/**
 * Calls `done` once a process group leader has exited and its output is read.
 * Whatever is left of its group is killed at the exit. 'close' waits for the
 * output pipes, and a process that left the group (setsid, a daemon) can hold
 * them open for ever: after `drainMs` the pipes are dropped and `done` is told
 * the output was still held (`held: true`).
 */
export function whenExited(
	child: ChildProcess,
	drainMs: number,
	done: (exitCode: number | null, signal: NodeJS.Signals | null, held: boolean) => void,
): void {
	let finished = false;
	const finish = (exitCode: number | null, signal: NodeJS.Signals | null, held: boolean) => {
		if (finished) return;
		finished = true;
		done(exitCode, signal, held);
	};
	child.once('exit', (exitCode, signal) => {
		killProcessGroup(child.pid, 'SIGKILL');
		const drain = setTimeout(() => {
			child.stdout?.destroy();
			child.stderr?.destroy();
			finish(exitCode, signal, true);
		}, drainMs);
		drain.unref();
		child.once('close', () => {
			clearTimeout(drain);
			finish(exitCode, signal, false);
		});
	});
}
