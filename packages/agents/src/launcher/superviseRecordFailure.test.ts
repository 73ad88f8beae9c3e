import {
	existsSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	readlinkSync,
	realpathSync,
	rmSync,
	writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type AgentSpaceDb, getAuditEvents } from '@agentspace/db';
import { queryEvents } from '@agentspace/events';
import {
	createFixtureAgentRepo,
	FIXTURE_RUN_AGENT,
	fixtureAgentManifest,
	sandboxTestGate,
} from '@agentspace/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { agentPaths } from '../agentPaths.js';
import { getAgent } from '../catalog/agentRecord.js';
import { enableAgent } from '../enable/enableAgent.js';
import { installAgent } from '../install/installAgent.js';
import { sandboxReadiness } from '../sandbox/sandboxReadiness.js';
import { type AgentScenario, agentScenario } from '../testing/agentScenario.js';
import { echoAgentSupervision } from '../testing/echoAgentSupervision.js';
import { type SupervisorStatus, superviseAgent } from './superviseAgent.js';

// A started process is always either recorded or stopped. The recording is
// made to fail for real, in SQLite: a trigger refuses the agent_run_started row.

const actor = { type: 'human', id: 'tester' } as const;
let temp: AgentScenario;
let db: AgentSpaceDb;
let installPath: string;

beforeEach(async () => {
	temp = await agentScenario({
		label: 'supervise-record-failure',
		agent: { args: ['--every', '50'] },
		actor,
		until: 'enabled',
	});
	db = temp.db;
	installPath = getAgent(db, 'echo-agent')?.installPath as string;
});

afterEach(async () => {
	// Without the fix the agent outlives the test: do not leave it behind.
	for (const pid of agentProcesses()) process.kill(pid, 'SIGKILL');
	await temp.cleanup();
});

/** The live processes working in the agent's checkout (the agent's own). */
function agentProcesses(): number[] {
	return readdirSync('/proc')
		.filter((name) => /^\d+$/.test(name))
		.filter((pid) => {
			try {
				return readlinkSync(`/proc/${pid}/cwd`) === installPath && !isZombie(pid);
			} catch {
				return false;
			}
		})
		.map(Number);
}

function isZombie(pid: string): boolean {
	return /^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
}

/** From now on SQLite refuses every agent_run_started row. */
function failRunStartedRecords(): void {
	db.$client.exec(
		`CREATE TRIGGER refuse_run_started BEFORE INSERT ON events WHEN NEW.type = 'agent_run_started'
		 BEGIN SELECT RAISE(ABORT, 'refused by the test: the run cannot be recorded'); END`,
	);
}

const types = () => queryEvents(db, { stream_id: 'agent:echo-agent' }).map((e) => e.type);

it('stops the process it started when the run cannot be recorded, and says why', async () => {
	failRunStartedRecords();
	const statuses: SupervisorStatus[] = [];

	const attempt = superviseAgent(
		echoAgentSupervision(temp, actor, { onStatus: (status) => statuses.push(status) }),
	);

	await expect(attempt).rejects.toThrow(/the run cannot be recorded/);
	expect(agentProcesses()).toEqual([]);
	expect(types()).not.toContain('agent_run_started');
	expect(getAgent(db, 'echo-agent')?.status).not.toBe('running');
	expect(statuses).toEqual([]);
});

it('stops a restarted process whose run cannot be recorded, and records that it cannot restart', async () => {
	const statuses: SupervisorStatus[] = [];
	const supervisor = await superviseAgent(
		echoAgentSupervision(temp, actor, {
			restart: 'on-failure',
			backoff: {
				initialMs: 10,
				factor: 1,
				maxMs: 10,
				stableMs: 60_000,
				instantMs: 5000,
				maxInstantCrashes: 3,
			},
			onStatus: (status) => statuses.push(status),
		}),
	);
	const [first] = agentProcesses();
	expect(first).toBeGreaterThan(0);
	failRunStartedRecords();
	// A crash: the supervisor restarts it, and that start cannot be recorded.
	process.kill(first as number, 'SIGKILL');

	const result = await supervisor.done;

	expect(result).toMatchObject({ runs: 1, errored: true });
	expect(agentProcesses()).toEqual([]);
	expect(types()).toEqual(expect.arrayContaining(['agent_run_crashed', 'agent_errored']));
	expect(types().filter((t) => t === 'agent_run_started')).toHaveLength(1);
	expect(statuses.at(-1)).toMatchObject({
		state: 'errored',
		reason: expect.stringMatching(/^cannot restart: .*the run cannot be recorded/),
	});
	expect(getAgent(db, 'echo-agent')?.status).toBe('errored');
});

const HOST = fileURLToPath(new URL('../../dist/sandbox/sandboxHostMain.js', import.meta.url));
const sandbox = sandboxTestGate(sandboxReadiness(), { file: import.meta.url });

describe.skipIf(!sandbox.run)('a sandboxed start that cannot be recorded', () => {
	it('still gets the end-of-run git check: what it planted is neutralised and audited, its snapshot removed', async () => {
		const approved = realpathSync(mkdtempSync(join(tmpdir(), 'agentspace-unrecorded-')));
		const fresh = join(approved, 'n1', 'n2', 'fresh');
		const hook = join(fresh, '.git', 'hooks', 'post-checkout');
		const { build: _build, ...manifest } = fixtureAgentManifest();
		const planter = createFixtureAgentRepo({
			...manifest,
			id: 'planter',
			name: 'planter',
			build: undefined,
			entrypoint: { command: 'node', args: ['agent.mjs', '--every', '50'] },
			permissions: [`filesystem:write:${approved}`],
		});
		try {
			planter.commit({ 'agent.mjs': readFileSync(FIXTURE_RUN_AGENT, 'utf8') });
			await installAgent({ db, home: temp.home, source: planter.url, actor });
			enableAgent({ db, id: 'planter', approve: 'all', actor });
			// While its start is being recorded (and then refused), a repository with a
			// hook appears in its writable path, as if it had planted one in its moment
			// of running: made after the start's snapshot, so no mount covered it.
			db.$client.function('plant', () => {
				for (const dir of ['hooks', 'objects', 'refs']) {
					mkdirSync(join(fresh, '.git', dir), { recursive: true });
				}
				writeFileSync(join(fresh, '.git', 'HEAD'), 'ref: refs/heads/main\n');
				writeFileSync(hook, '#!/bin/sh\ntouch "$0.ran"\n', { mode: 0o755 });
				return 0;
			});
			db.$client.exec(
				`CREATE TRIGGER refuse_planter_start BEFORE INSERT ON events WHEN NEW.type = 'agent_run_started'
				 BEGIN SELECT plant(); SELECT RAISE(ABORT, 'refused by the test: the run cannot be recorded'); END`,
			);

			const attempt = superviseAgent({
				db,
				home: temp.home,
				id: 'planter',
				actor,
				unsandboxed: false,
				sandboxHostScript: HOST,
				env: { PATH: process.env.PATH },
			});

			await expect(attempt).rejects.toThrow(/the run cannot be recorded/);
			// Neutralised: git run there by the user executes nothing planted.
			expect(existsSync(hook)).toBe(false);
			const neutralised = await getAuditEvents(db, { type: 'security.git_neutralised' });
			expect(JSON.stringify(neutralised)).toContain(hook);
			// Checked once: no snapshot left for a later reconcile.
			const logs = agentPaths(temp.home, 'planter').logs;
			expect(readdirSync(logs).filter((name) => name.endsWith('.git-guard.json'))).toEqual([]);
		} finally {
			planter.cleanup();
			rmSync(approved, { recursive: true, force: true });
		}
	}, 60_000);
});
