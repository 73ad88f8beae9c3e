// The agentspace built-in tools through the real router, against a real
// daemon's supervisor: the run fixture agent started in the real bubblewrap
// sandbox and stopped by MCP clients and agents, each start and stop recorded
// and audited as theirs, refusals as the CLI's; the audit log and run logs
// read back bounded.
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { enableAgent, getAgent, installAgent, sandboxReadiness } from '@agentspace/agents';
import { getAuditEvents } from '@agentspace/db';
import { queryEvents } from '@agentspace/events';
import { createRunFixtureAgentRepo, sandboxTestGate } from '@agentspace/testing';
import { queryToolCalls, type ToolCaller, ToolRouter } from '@agentspace/tools';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callDaemon } from '../daemonClient.js';
import { agentspaceToolGroup } from './agentspaceTools.js';
import { daemonServices } from './daemonServices.js';
import { serviceHarness } from './serviceHarness.testing.js';
import { type SupervisorService, supervisorService } from './supervisorService.js';

const sandbox = sandboxTestGate(sandboxReadiness(), { file: import.meta.url });
const HOST = join(
	dirname(createRequire(import.meta.url).resolve('@agentspace/agents/sandbox-host')),
	'sandboxHostMain.js',
);

const tester = { type: 'human', id: 'tester' } as const;
const claude: ToolCaller = {
	type: 'mcp-client',
	id: 'claude-code',
	detail: { transport: 'stdio' },
};
const builder: ToolCaller = { type: 'agent', id: 'builder', detail: { runId: 'run_x' } };

const h = serviceHarness('agentspace-tools');
const { logLines } = h;
let supervisor: SupervisorService;
let router: ToolRouter;

async function install(id: string, enable: boolean): Promise<void> {
	const repo = createRunFixtureAgentRepo({ args: ['--every', '100'], manifest: { id, name: id } });
	h.track(repo);
	await installAgent({ db: h.temp.db, home: h.temp.home, source: repo.url, actor: tester });
	if (enable) enableAgent({ db: h.temp.db, id, approve: 'all', actor: tester });
}

beforeEach(async () => {
	await install('ticker', true);
	await install('idle', false);
	supervisor = supervisorService({ env: process.env, sandboxHostScript: HOST });
	await h.startDaemon([supervisor]);
	router = new ToolRouter({
		db: h.temp.db,
		securityMode: () => 'limited-control',
		builtins: [
			agentspaceToolGroup({
				db: h.temp.db,
				home: h.temp.home,
				launcher: supervisor.launcher,
				log: (line) => logLines.push(line),
			}),
		],
	});
});

afterEach(async () => {
	router.close();
});

async function call(caller: ToolCaller, tool: string, args: Record<string, unknown> = {}) {
	const result = await router.callTool(caller, `agentspace/${tool}`, args);
	return result as typeof result & { structuredContent: Record<string, unknown> };
}

async function refusal(promise: Promise<unknown>): Promise<{
	code: string;
	message: string;
	issues: { path: string }[];
}> {
	try {
		await promise;
	} catch (error) {
		return error as never;
	}
	throw new Error('expected a refusal');
}

describe('the agentspace tools', () => {
	it('lists the agents with their status, protocol and approval', async () => {
		const listed = await call(claude, 'list_agents');
		expect(listed.structuredContent).toEqual({
			agents: [
				{
					id: 'idle',
					name: 'idle',
					version: '1.0.0',
					status: 'installed',
					running: false,
					protocol: 'none',
					approval: 'none',
				},
				{
					id: 'ticker',
					name: 'ticker',
					version: '1.0.0',
					status: 'enabled',
					running: false,
					protocol: 'none',
					approval: 'approved',
				},
			],
			more: false,
		});
		expect((await call(claude, 'list_agents', { limit: 1 })).structuredContent.more).toBe(true);
		expect(
			(await call(claude, 'list_agents', { running_only: true })).structuredContent.agents,
		).toEqual([]);
		const status = await call(claude, 'agent_status', { id: 'ticker' });
		expect(status.structuredContent).toMatchObject({
			id: 'ticker',
			running: false,
			build_status: 'none',
			approval: 'approved',
			run: null,
		});
		expect((await refusal(call(claude, 'agent_status', { id: 'nobody' }))).code).toBe('NOT_FOUND');
	});

	it('marks the read-only tools and the destructive stop', () => {
		const group = agentspaceToolGroup({
			db: h.temp.db,
			home: h.temp.home,
			launcher: supervisor.launcher,
		});
		const hints = Object.fromEntries(group.tools.map((t) => [t.name, t.annotations]));
		for (const name of ['list_agents', 'agent_status', 'search_audit', 'agent_logs'])
			expect(hints[name]?.readOnlyHint, name).toBe(true);
		expect(hints.start_agent).toMatchObject({ readOnlyHint: false, destructiveHint: false });
		expect(hints.stop_agent).toMatchObject({ readOnlyHint: false, destructiveHint: true });
	});

	it('refuses bad arguments with their field paths', async () => {
		const cases: [string, Record<string, unknown>, string[]][] = [
			['start_agent', {}, ['/id']],
			['start_agent', { id: '../etc' }, ['/id']],
			['start_agent', { id: 'ticker', restart: 'sometimes' }, ['/restart']],
			['stop_agent', { id: 'ticker', grace_seconds: 61 }, ['/grace_seconds']],
			['list_agents', { limit: 0, extra: true }, ['/limit', '/extra']],
			['agent_logs', { id: 'ticker', run_id: '../../config', lines: 201 }, ['/run_id', '/lines']],
			['search_audit', { since: 'yesterday', limit: 101 }, ['/since', '/limit']],
			// A date that matches the pattern but does not exist: the audit query's own check.
			['search_audit', { since: '2026-13-45T10:00:00Z' }, ['/since']],
		];
		for (const [tool, args, paths] of cases) {
			const error = await refusal(call(claude, tool, args));
			expect(error.code, tool).toBe('VALIDATION_FAILED');
			expect(error.issues.map((i) => i.path).sort(), `${tool} ${JSON.stringify(args)}`).toEqual(
				[...paths].sort(),
			);
		}
		expect(supervisor.launcher.list()).toEqual([]);
	});

	it('refuses to start what the CLI refuses: not enabled, changed since approval', async () => {
		const notEnabled = await refusal(call(claude, 'start_agent', { id: 'idle' }));
		expect(notEnabled.code).toBe('PERMISSION_DENIED');
		expect(notEnabled.message).toContain('not enabled');
		// The manifest edited on disk after approval: drift, as `agents run` says.
		const manifestPath = join(
			getAgent(h.temp.db, 'ticker')?.installPath as string,
			'agentspace.agent.json',
		);
		const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, unknown>;
		writeFileSync(manifestPath, JSON.stringify({ ...manifest, description: 'changed' }));
		const drifted = await refusal(call(claude, 'start_agent', { id: 'ticker' }));
		expect(drifted.code).toBe('PERMISSION_DRIFT');
		expect(supervisor.launcher.list()).toEqual([]);
		expect(queryEvents(h.temp.db, { types: ['agent_run_started'] })).toEqual([]);
		expect(
			queryToolCalls(h.temp.db, { agentId: 'agentspace', tool: 'start_agent' }).map(
				(c) => c.status,
			),
		).toEqual(['error', 'denied']);
	});

	describe.skipIf(!sandbox.run)('starting and stopping (sandboxed)', () => {
		it('starts an agent as the MCP client, reads its log, and stops it as an agent — each audited as theirs', async () => {
			const started = await call(claude, 'start_agent', { id: 'ticker', restart: 'no' });
			expect(started.structuredContent).toMatchObject({
				id: 'ticker',
				sandboxed: true,
				restart_policy: 'no',
			});
			const runId = started.structuredContent.run_id as string;
			expect(runId).toMatch(/^run_/);
			const [startAudit] = await getAuditEvents(h.temp.db, { type: 'agents.run_started' });
			expect(startAudit).toMatchObject({
				actor: { type: 'mcp-client', id: 'claude-code' },
				subject: { type: 'agent', id: 'ticker' },
				sourceApp: 'agentspace-mcp',
			});
			const [startEvent] = queryEvents(h.temp.db, { types: ['agent_run_started'] });
			expect(startEvent?.metadata.actor).toEqual({ type: 'mcp-client', id: 'claude-code' });

			expect(
				(await call(claude, 'agent_status', { id: 'ticker' })).structuredContent,
			).toMatchObject({
				running: true,
				status: 'running',
				run: { run_id: runId, supervised: true, sandboxed: true, restarts: 0 },
			});
			expect(
				(await call(claude, 'list_agents', { running_only: true })).structuredContent.agents,
			).toMatchObject([{ id: 'ticker', running: true }]);
			// Already running: the supervisor's own refusal.
			expect((await refusal(call(claude, 'start_agent', { id: 'ticker' }))).code).toBe('CONFLICT');

			const log = await h.until(async () => {
				const read = await call(claude, 'agent_logs', { id: 'ticker', lines: 3 });
				const lines = read.structuredContent.lines as { text: string }[];
				return lines.some((l) => l.text.startsWith('tick')) ? read.structuredContent : undefined;
			}, 'the agent to tick');
			expect(log).toMatchObject({ id: 'ticker', run_id: runId });
			expect((log.lines as unknown[]).length).toBeLessThanOrEqual(3);

			const stopped = await call(builder, 'stop_agent', { id: 'ticker', grace_seconds: 2 });
			expect(stopped.structuredContent).toMatchObject({
				id: 'ticker',
				stopped: true,
				run_id: runId,
				killed: false,
			});
			const [endEvent] = queryEvents(h.temp.db, { types: ['agent_run_stopped'] });
			expect(endEvent?.metadata.actor).toEqual({ type: 'agent', id: 'builder' });
			expect(supervisor.launcher.list()).toEqual([]);
			// What the agent wrote is shown escaped and cut: a direction override, a long line.
			appendFileSync(
				join(h.temp.home, 'logs', 'ticker', `${runId}.log`),
				`${new Date().toISOString()} stdout evil\u202e${'x'.repeat(600)}\n`,
			);
			const [last] = (await call(claude, 'agent_logs', { id: 'ticker', lines: 1 }))
				.structuredContent.lines as { text: string }[];
			expect(last?.text).toMatch(/^evil\\u\{202e\}x+…$/);
			expect(last?.text.length).toBe(501);
			// Stopping what does not run changes nothing.
			expect((await call(claude, 'stop_agent', { id: 'ticker' })).structuredContent).toEqual({
				id: 'ticker',
				stopped: false,
			});

			// The audit log, searched by agent and type, newest first, bounded.
			const found = await call(claude, 'search_audit', {
				agent: 'ticker',
				event_type: ['agents.run_started', 'agents.run_ended'],
			});
			const entries = found.structuredContent.entries as Record<string, unknown>[];
			expect(entries.map((e) => [e.event_type, e.actor])).toEqual([
				['agents.run_ended', 'agent:builder'],
				['agents.run_started', 'mcp-client:claude-code'],
			]);
			expect(entries[1]).toMatchObject({ subject: 'agent:ticker', metadata: { runId } });
			const one = await call(claude, 'search_audit', { limit: 1, order: 'asc' });
			expect((one.structuredContent.entries as { id: number }[]).map((e) => e.id)).toEqual([1]);
		});
	});

	it('says when an agent has no log yet', async () => {
		expect((await refusal(call(claude, 'agent_logs', { id: 'idle' }))).code).toBe('NOT_FOUND');
	});

	it("is served by the daemon's own tool router, with the fleet group", async () => {
		// The daemon `agentspace daemon` runs: its services as daemonServices composes them.
		await h.closeDaemon();
		const services = daemonServices({ env: process.env, sandboxHostScript: HOST });
		const connection = await h.startDaemon(services);
		const listed = await callDaemon(connection, 'toolsCall', {
			target: 'agentspace/list_agents',
			args: {},
			caller: tester,
		});
		expect(listed.structuredContent).toMatchObject({ agents: [{ id: 'idle' }, { id: 'ticker' }] });
		const registered = await callDaemon(connection, 'toolsCall', {
			target: 'fleet/register',
			args: { callsign: 'tester' },
			caller: tester,
		});
		expect(registered.structuredContent).toMatchObject({ callsign: 'tester', project: 'default' });
		// What every MCP client session lists: both groups, by their exposed names.
		const { catalog } = await services[1].gateway();
		const names = catalog.list().map((tool) => tool.name);
		expect(names).toEqual(
			expect.arrayContaining(['agentspace__start_agent', 'fleet__reserve_files']),
		);
	});
});
