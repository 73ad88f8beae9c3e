import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { AgentSpaceError } from '@agentspace/core';
import { isProcessAlive } from '../process/isProcessAlive.js';

/** A held daemon lock: release it when the daemon ends. */
export interface DaemonLock {
	release(): void;
}

/**
 * Takes the home's daemon lock: the pid file, created exclusively. A pid file
 * left by a daemon that is gone (killed, machine rebooted) is taken over; one
 * whose daemon still runs refuses with `CONFLICT`, so a second daemon never
 * starts.
 */
export function acquireDaemonLock(pidFile: string): DaemonLock {
	for (let attempt = 0; attempt < 3; attempt++) {
		let fd: number;
		try {
			fd = openSync(pidFile, 'wx', 0o600);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
			const holder = Number.parseInt(readPidFile(pidFile), 10);
			if (Number.isInteger(holder) && holder > 0 && isProcessAlive(holder)) {
				throw new AgentSpaceError(`the AgentSpace daemon is already running (pid ${holder})`, {
					code: 'CONFLICT',
					hint: 'see it with: agentspace daemon status',
				});
			}
			// Stale: its daemon is gone. Another starter may race us here; 'wx' decides.
			rmSync(pidFile, { force: true });
			continue;
		}
		writeSync(fd, `${process.pid}\n`);
		closeSync(fd);
		return {
			release() {
				if (readPidFile(pidFile).trim() === String(process.pid)) rmSync(pidFile, { force: true });
			},
		};
	}
	throw new AgentSpaceError('could not take the daemon lock: another daemon is starting', {
		code: 'CONFLICT',
		hint: 'try again in a moment: agentspace daemon status',
	});
}

function readPidFile(pidFile: string): string {
	try {
		return readFileSync(pidFile, 'utf8');
	} catch {
		return '';
	}
}
