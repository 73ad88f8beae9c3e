import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isProcessAlive } from './isProcessAlive.js';

describe('isProcessAlive', () => {
	it('is true for a running process, false once it exited, even before it is reaped', async () => {
		const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], {
			stdio: 'ignore',
		});
		await new Promise((resolve) => child.once('spawn', resolve));
		const pid = child.pid as number;
		expect(isProcessAlive(pid)).toBe(true);
		// SIGKILL, and do not let Node reap it yet: the zombie stays until the event loop turns.
		process.kill(pid, 'SIGKILL');
		const deadline = Date.now() + 2000;
		let zombie = false;
		while (Date.now() < deadline && !zombie) {
			try {
				zombie = /\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
			} catch {
				break;
			}
		}
		expect(zombie).toBe(true);
		expect(isProcessAlive(pid)).toBe(false);
		await new Promise((resolve) => child.once('exit', resolve));
		expect(isProcessAlive(pid)).toBe(false);
	});
});
