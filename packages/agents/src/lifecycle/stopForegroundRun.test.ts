import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { type AgentSpaceDb, closeDb, openDb } from '@agentspace/db';
import { createTempHome, type TempHome } from '@agentspace/testing';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { stopForegroundRun } from './stopForegroundRun.js';

let temp: TempHome;
let db: AgentSpaceDb;
beforeEach(() => {
	temp = createTempHome('stop-foreground');
	db = openDb({ path: join(temp.home, 'agentspace.db') });
});
afterEach(() => {
	closeDb(db);
	temp.cleanup();
});

it('a supervisor that exited after it was found (ESRCH) is already stopped, not a failure', async () => {
	// A real process that has exited and been reaped: signalling its pid is ESRCH.
	const gone = spawnSync(process.execPath, ['-e', '']).pid;
	expect(() => process.kill(gone, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));

	const stopped = await stopForegroundRun(
		db,
		{ id: 'echo-agent', runId: 'run_gone', supervisorPid: gone },
		100,
	);

	expect(stopped).toEqual({ id: 'echo-agent', runId: 'run_gone', exit: null });
});
