import { join } from 'node:path';
import { openTempHomeDb, type TempHomeDb } from '@agentspace/agents/testing';
import { generateAuthToken } from '@agentspace/core';
import { type AgentSpaceDb, closeDb, openDb } from '@agentspace/db';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { callDaemon } from './daemonClient.js';
import { type RunningDaemon, runDaemon } from './runDaemon.js';
import { daemonServices } from './services/daemonServices.js';

// A database damaged under a running daemon (issue 11 §5): a table dropped by
// another process, on the real file, while the daemon has it open.
let temp: TempHomeDb;
let db: AgentSpaceDb;
let daemon: RunningDaemon | undefined;
const token = generateAuthToken();
beforeEach(() => {
	temp = openTempHomeDb('daemon-damaged-db');
	db = temp.db;
});
afterEach(async () => {
	if (daemon !== undefined) {
		await daemon.close(0);
		await daemon.closed;
	}
	daemon = undefined;
	temp.cleanup();
});

it('answers a request that meets a dropped table with DB_DAMAGED naming it, not INTERNAL', async () => {
	daemon = await runDaemon({
		db,
		home: temp.home,
		token,
		services: daemonServices({ env: process.env }),
	});
	const path = join(temp.home, 'agentspace.db');
	const other = openDb({ path });
	other.$client.exec('DROP TABLE agents');
	closeDb(other);

	const failure = await callDaemon({ socket: daemon.socket, token }, 'run', {
		id: 'echo-agent',
		restart: 'no',
		unsandboxed: true,
		env: { PATH: process.env.PATH ?? '' },
		actor: { type: 'human', id: 'tester' },
	}).then(
		() => undefined,
		(error: unknown) => error,
	);

	expect(failure).toMatchObject({
		code: 'DB_DAMAGED',
		message: `the database ${path} is damaged: table agents is missing`,
		hint: expect.stringMatching(/restore it from a backup/),
	});
	// The daemon still answers what needs no table.
	expect((await callDaemon({ socket: daemon.socket, token }, 'status', {})).pid).toBe(process.pid);
});
