import { openTempHomeDb, type TempHomeDb } from '@agentspace/agents/testing';
import { generateAuthToken } from '@agentspace/core';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { z } from 'zod';
import { callDaemon } from './daemonClient.js';
import type { DaemonService } from './daemonService.js';
import { method } from './methodTable.js';
import { type RunningDaemon, runDaemon } from './runDaemon.js';
import { daemonServices } from './services/daemonServices.js';

// How the host composes services it knows only by their interface.
let temp: TempHomeDb;
let daemon: RunningDaemon | undefined;
const token = generateAuthToken();
beforeEach(() => {
	temp = openTempHomeDb('daemon-compose');
});
afterEach(async () => {
	await daemon?.close(0);
	await daemon?.closed;
	daemon = undefined;
	temp.cleanup();
});

/** A service answering `name` with its own name, and saying in `status` that it runs. */
function echoService(name: string, methodName: string, calls: string[]): DaemonService {
	const methods = { [methodName]: method<string>()(z.strictObject({})) };
	return {
		name,
		methods,
		handlers: { [methodName]: async () => name },
		start: async () => void calls.push(`start ${name}`),
		listening: async () => void calls.push(`listening ${name}`),
		status: () => ({ [name]: 'running' }),
		close: async () => {
			calls.push(`close ${name}`);
			return { [`${name}Closed`]: true };
		},
	};
}

it('starts services in order, tells them it listens, merges their status, and closes them in reverse', async () => {
	const calls: string[] = [];
	daemon = await runDaemon({
		db: temp.db,
		home: temp.home,
		token,
		services: [echoService('first', 'one', calls), echoService('second', 'two', calls)],
	});
	expect(calls).toEqual(['start first', 'start second', 'listening first', 'listening second']);
	const status = (await callDaemon({ socket: daemon.socket, token }, 'status', {})) as unknown;
	expect(status).toMatchObject({ pid: process.pid, first: 'running', second: 'running' });
	const answer = await daemon.close(0);
	expect(calls.slice(4)).toEqual(['close second', 'close first']);
	expect(answer).toEqual({ firstClosed: true, secondClosed: true });
});

it('refuses to start with a method two services answer, and takes no lock for it', async () => {
	const [supervisor] = daemonServices({ env: process.env });
	const clash = echoService('clash', 'run', []);
	await expect(
		runDaemon({ db: temp.db, home: temp.home, token, services: [supervisor, clash] }),
	).rejects.toMatchObject({
		code: 'CONFLICT',
		message: 'the daemon cannot host clash: supervisor answers method "run" already',
	});
	await expect(
		runDaemon({ db: temp.db, home: temp.home, token, services: [echoService('s', 'status', [])] }),
	).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('"status"') });
	daemon = await runDaemon({ db: temp.db, home: temp.home, token, services: [supervisor] });
	expect((await callDaemon({ socket: daemon.socket, token }, 'status', {})).pid).toBe(process.pid);
});
