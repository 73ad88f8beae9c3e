import { fileURLToPath } from 'node:url';
import type { AgentSpaceDb } from '@agentspace/db';
import { type GitRepo, sandboxTestGate } from '@agentspace/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sandboxReadiness } from '../sandbox/sandboxReadiness.js';
import { echoAgentSupervision } from '../testing/echoAgentSupervision.js';
import { installRunAgent } from '../testing/installRunAgent.js';
import { openTempHomeDb, type TempHomeDb } from '../testing/tempHomeDb.js';
import { runStatus } from './runStatus.js';
import { superviseAgent } from './superviseAgent.js';

// Needs the OS sandbox: skipped outside CI where its tools are missing (npm test says so once).
const sandbox = sandboxTestGate(sandboxReadiness(), { file: import.meta.url });
const HOST = fileURLToPath(new URL('../../dist/sandbox/sandboxHostMain.js', import.meta.url));
const MB = 1024 * 1024;

// An agent that holds 80 MB of its own (written, so resident), then idles.
// Held on globalThis: a module's own const that no function uses is dead
// once the module has run, and the collection its 80 MB set off could free
// them after 'holding' — which Node 24 did on a loaded machine, leaving a
// bare Node's 48 MB. A full collection before 'holding' makes sure the figure
// is read off memory that stays held, on every Node, loaded or not.
const HOLDER = `
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
globalThis.held = Buffer.alloc(80 * 1024 * 1024, 1);
process.on('SIGTERM', () => process.exit(0));
setFlagsFromString('--expose-gc');
setTimeout(() => {
	runInNewContext('gc')();
	console.log('holding');
}, 0);
setInterval(() => {}, 60_000);
`;

const actor = { type: 'human', id: 'tester' } as const;
let temp: TempHomeDb;
let db: AgentSpaceDb;
let repo: GitRepo | undefined;
beforeEach(() => {
	temp = openTempHomeDb('run-status-sandboxed');
	db = temp.db;
});
afterEach(() => {
	repo?.cleanup();
	temp.cleanup();
});

// `agents status` shows the agent's own CPU and memory: a sandboxed run's
// recorded pid is its wrapper (bwrap, or the sandbox host), a few MB that say
// nothing of the agent.
describe.skipIf(!sandbox.run)('runStatus of a sandboxed run', () => {
	it.each([
		['no network approval (the agent under the pid 1 of bwrap)', []],
		['a network approval (the agent under the seccomp helper)', ['network:egress:example.com']],
	])('describes the agent itself, not its wrapper: %s', async (_how, permissions) => {
		repo = await installRunAgent({ db, home: temp.home, actor, permissions, script: HOLDER });
		const lines: string[] = [];
		const supervisor = await superviseAgent(
			echoAgentSupervision(temp, actor, {
				unsandboxed: false,
				sandboxHostScript: HOST,
				env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
				onLine: (_stream, text) => lines.push(text),
			}),
		);
		try {
			while (!lines.some((line) => line.startsWith('holding'))) {
				await new Promise((resolve) => setTimeout(resolve, 20));
			}
			const [live] = runStatus(db);
			expect(live).toMatchObject({ status: 'running', sandboxed: true, alive: true });
			expect(live?.agentPid).not.toBeNull();
			expect(live?.agentPid).not.toBe(live?.pid);
			expect(live?.rssBytes).toBeGreaterThanOrEqual(80 * MB);
			expect(live?.cpuMs).toBeGreaterThanOrEqual(0);
		} finally {
			await supervisor.stop(2000);
		}
		expect(runStatus(db)[0]).toMatchObject({ agentPid: null, cpuMs: null, rssBytes: null });
	});
});
