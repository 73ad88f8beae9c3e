import { nowIso } from '@agentspace/core';
import { getAuditEvents, withImmediateTransaction } from '@agentspace/db';
import {
	appendToStream,
	createEvent,
	projectionDigest,
	queryEvents,
	rebuildProjections,
} from '@agentspace/events';
import { describe, expect, it } from 'vitest';
import { queryToolCalls } from '../callLog/queryToolCalls.js';
import type { ToolCaller } from '../callLog/types.js';
import { MAX_CHECKPOINTS_PER_MINUTE } from './checkpointTool.js';
import { MAX_OPEN_SORTIES } from './createSortieTool.js';
import { builder, claude, cursor, refusal, useFleetHarness } from './fleetHarness.testing.js';

// The fleet's sortie and checkpoint tools against a real SQLite file, through
// the real router (Ajv argument checks, the call log, denial audits).

const fleet = useFleetHarness('fleet-work');
const { call, eventCount } = fleet;

async function sortie(caller: ToolCaller, args: Record<string, unknown>): Promise<string> {
	const created = await call(caller, 'create_sortie', { callsign: 'alice', ...args });
	return created.structuredContent.sortie_id as string;
}

const readyIds = async (args: Record<string, unknown> = {}) =>
	(
		(await call(cursor, 'ready_work', { callsign: 'carol', ...args })).structuredContent
			.sorties as { sortie_id: string }[]
	).map((s) => s.sortie_id);

describe('fleet sorties', () => {
	it('creates sorties with the caller as actor; ready work is the open ones without open blockers, most urgent first', async () => {
		const created = await call(claude, 'create_sortie', {
			callsign: 'alice',
			title: 'parser',
			description: 'rewrite the parser',
			files: ['src/parser/**'],
		});
		expect(created.structuredContent).toMatchObject({
			project: '/work/repo',
			status: 'open',
			priority: 'normal',
			depends_on: [],
		});
		const parser = created.structuredContent.sortie_id as string;
		const [event] = queryEvents(fleet.db, { types: ['sortie_created'] });
		expect(event).toMatchObject({ sortie_id: parser, title: 'parser', files: ['src/parser/**'] });
		expect(event?.metadata.actor).toEqual({ type: 'mcp-client', id: 'claude-code' });

		const docs = await sortie(claude, { title: 'docs', depends_on: [parser] });
		const hotfix = await sortie(claude, { title: 'hotfix', priority: 'critical' });
		await sortie(claude, { title: 'elsewhere', project: '/other' });
		// docs waits for the parser; the critical one comes first.
		expect(await readyIds()).toEqual([hotfix, parser]);
		const page = await call(cursor, 'ready_work', { callsign: 'carol', limit: 1 });
		expect(page.structuredContent).toMatchObject({
			project: '/work/repo',
			more: true,
			sorties: [{ sortie_id: hotfix, title: 'hotfix', priority: 'critical', files: [] }],
		});
		expect(await readyIds({ project: '/other' })).toHaveLength(1);

		// Completing the parser readies docs.
		await call(builder, 'update_sortie', {
			callsign: 'builder',
			sortie_id: parser,
			action: 'start',
		});
		await call(builder, 'update_sortie', {
			callsign: 'builder',
			sortie_id: parser,
			action: 'complete',
			outcome: 'succeeded',
		});
		expect(await readyIds()).toEqual([hotfix, docs]);
	});

	it('refuses a dependency that is not a sortie of the project, with its field, writing nothing', async () => {
		const there = await sortie(claude, { title: 'a' });
		const other = await sortie(claude, { title: 'b', project: '/other' });
		const before = eventCount();
		const error = await refusal(
			call(claude, 'create_sortie', {
				callsign: 'alice',
				title: 'c',
				depends_on: [there, 'sortie_nothere1', other],
			}),
		);
		expect(error.code).toBe('VALIDATION_FAILED');
		expect(error.issues.map((i) => i.path)).toEqual(['/depends_on/1', '/depends_on/2']);
		expect(eventCount()).toBe(before);
	});

	it('takes a sortie through start, progress, block, resume and complete, by its holder only', async () => {
		const id = await sortie(claude, { title: 'lexer' });
		const update = (caller: ToolCaller, callsign: string, args: Record<string, unknown>) =>
			call(caller, 'update_sortie', { callsign, sortie_id: id, ...args });

		const started = await update(builder, 'builder', { action: 'start' });
		expect(started.structuredContent).toMatchObject({
			action: 'start',
			sortie: { sortie_id: id, project: '/work/repo', status: 'in_progress', assignee: 'builder' },
		});
		expect(await readyIds()).toEqual([]);
		expect(
			(await update(builder, 'builder', { action: 'progress', percent: 40, note: 'tokens done' }))
				.structuredContent.sortie,
		).toMatchObject({ progress_percent: 40, progress_note: 'tokens done' });

		// Another pilot moves nothing; an action the status does not allow is refused.
		const before = eventCount();
		const stolen = await refusal(
			update(cursor, 'carol', { action: 'complete', outcome: 'cancelled' }),
		);
		expect(stolen.code).toBe('PERMISSION_DENIED');
		expect(stolen.message).toContain("builder's");
		expect((await refusal(update(cursor, 'carol', { action: 'start' }))).code).toBe(
			'PERMISSION_DENIED',
		);
		const resumed = await refusal(update(builder, 'builder', { action: 'resume' }));
		expect(resumed.code).toBe('CONFLICT');
		expect(resumed.message).toContain('is in_progress');
		expect((await refusal(update(builder, 'builder', { action: 'start' }))).code).toBe('CONFLICT');
		const missing = await refusal(
			call(builder, 'update_sortie', { callsign: 'builder', sortie_id: 'nope', action: 'start' }),
		);
		expect(missing.code).toBe('NOT_FOUND');
		const otherProject = await refusal(
			update(builder, 'builder', { action: 'start', project: '/other' }),
		);
		expect(otherProject.code).toBe('NOT_FOUND');
		expect(eventCount()).toBe(before);

		expect(
			(await update(builder, 'builder', { action: 'block', reason: 'waiting for the grammar' }))
				.structuredContent.sortie,
		).toMatchObject({ status: 'blocked', blocked_reason: 'waiting for the grammar' });
		expect(
			(await refusal(update(builder, 'builder', { action: 'progress', percent: 50 }))).code,
		).toBe('CONFLICT');
		expect(
			(await update(builder, 'builder', { action: 'resume', note: 'got it' })).structuredContent
				.sortie,
		).toMatchObject({ status: 'in_progress', blocked_reason: null });
		const done = await update(builder, 'builder', {
			action: 'complete',
			outcome: 'succeeded',
			summary: 'lexer merged',
		});
		expect(done.structuredContent.sortie).toMatchObject({
			status: 'completed',
			outcome: 'succeeded',
			progress_percent: 100,
			progress_note: 'lexer merged',
		});
		expect(
			(await refusal(update(builder, 'builder', { action: 'complete', outcome: 'failed' }))).code,
		).toBe('CONFLICT');
		const types = queryEvents(fleet.db, { stream_id: `sortie:${id}` }).map((e) => e.type);
		expect(types).toEqual([
			'sortie_created',
			'sortie_started',
			'sortie_progress',
			'sortie_blocked',
			'sortie_resumed',
			'sortie_completed',
		]);
		expect(queryEvents(fleet.db, { types: ['sortie_started'] })[0]?.metadata.actor).toEqual({
			type: 'agent',
			id: 'builder',
		});
	});

	it('refuses to start a sortie before what it depends on is completed', async () => {
		const first = await sortie(claude, { title: 'first' });
		const second = await sortie(claude, { title: 'second', depends_on: [first] });
		const before = eventCount();
		const error = await refusal(
			call(claude, 'update_sortie', { callsign: 'alice', sortie_id: second, action: 'start' }),
		);
		expect(error.code).toBe('CONFLICT');
		expect(error.message).toContain(`depends on ${first}, not completed`);
		expect(eventCount()).toBe(before);
	});
});

describe('fleet checkpoints', () => {
	it("saves checkpoints and lists the pilot's own, newest first", async () => {
		const saved = await call(builder, 'checkpoint', {
			callsign: 'builder',
			summary: 'lexer half done',
			context: { next: ['tests'], files: { 'src/lexer.ts': 'edited' } },
			sortie_id: 'sortie_x',
		});
		expect(saved.structuredContent).toMatchObject({ project: '/work/repo', callsign: 'builder' });
		const [event] = queryEvents(fleet.db, { types: ['checkpoint_created'] });
		expect(event).toMatchObject({ callsign: 'builder', trigger: 'manual', sortie_id: 'sortie_x' });
		expect(event?.metadata.actor).toEqual({ type: 'agent', id: 'builder' });
		await call(builder, 'checkpoint', { callsign: 'builder', summary: 'later' });
		await call(claude, 'checkpoint', { callsign: 'alice', summary: "alice's" });

		const mine = await call(builder, 'checkpoints', { callsign: 'builder' });
		expect(mine.structuredContent).toMatchObject({ callsign: 'builder', more: false });
		expect(mine.structuredContent.checkpoints).toMatchObject([
			{ summary: 'later', context: {}, sortie_id: null },
			{
				checkpoint_id: saved.structuredContent.checkpoint_id,
				summary: 'lexer half done',
				summary_truncated: false,
				context: { next: ['tests'], files: { 'src/lexer.ts': 'edited' } },
				context_truncated: false,
				trigger: 'manual',
			},
		]);
		const one = await call(builder, 'checkpoints', { callsign: 'builder', limit: 1 });
		expect(one.structuredContent).toMatchObject({
			more: true,
			checkpoints: [{ summary: 'later' }],
		});
		const ofSortie = await call(builder, 'checkpoints', {
			callsign: 'builder',
			sortie_id: 'sortie_x',
		});
		expect(ofSortie.structuredContent.checkpoints).toMatchObject([{ summary: 'lexer half done' }]);
		expect(
			(await call(builder, 'checkpoints', { callsign: 'builder', project: '/other' }))
				.structuredContent.checkpoints,
		).toEqual([]);
	});

	it("bounds what it shows of a compaction's large checkpoint", async () => {
		withImmediateTransaction(fleet.db, (tx) => {
			appendToStream(tx, [
				createEvent('context_compacted', {
					project_key: '/work/repo',
					timestamp: nowIso(),
					checkpoint_id: 'ckpt_compacted',
					callsign: 'builder',
					summary: 's'.repeat(10_000),
					context: { transcript: 'x'.repeat(20_000) },
					tokens_before: 100_000,
					tokens_after: 10_000,
				}),
			]);
		});
		const [listed] = (await call(builder, 'checkpoints', { callsign: 'builder' })).structuredContent
			.checkpoints as { summary: string; [key: string]: unknown }[];
		expect(listed).toMatchObject({
			trigger: 'compaction',
			summary_truncated: true,
			context: null,
			context_truncated: true,
		});
		expect(listed?.summary).toHaveLength(8000);
	});
	it('caps what one pilot can pile up: 30 checkpoints a minute, 1,000 sorties open in a project — then CONFLICT, nothing written', async () => {
		for (let i = 0; i < MAX_CHECKPOINTS_PER_MINUTE; i++)
			await call(builder, 'checkpoint', { callsign: 'builder', summary: `step ${i}` });
		let before = eventCount();
		const saved = await refusal(
			call(builder, 'checkpoint', { callsign: 'builder', summary: 'one more' }),
		);
		expect(saved.code).toBe('CONFLICT');
		expect(eventCount()).toBe(before);
		// Another pilot's checkpoints are their own count.
		await call(claude, 'checkpoint', { callsign: 'reviewer', summary: 'mine' });

		for (let i = 0; i < MAX_OPEN_SORTIES; i++)
			await call(claude, 'create_sortie', { callsign: 'lead', title: `task ${i}` });
		before = eventCount();
		const created = await refusal(
			call(claude, 'create_sortie', { callsign: 'lead', title: 'one more' }),
		);
		expect(created.code).toBe('CONFLICT');
		expect(created.message).toContain(`${MAX_OPEN_SORTIES} sorties not completed`);
		expect(eventCount()).toBe(before);
		await call(claude, 'create_sortie', { callsign: 'lead', title: 'elsewhere', project: 'other' });
	});
});

describe('fleet work: refusals and replay', () => {
	it('refuses an agent acting as another pilot: denied, audited, nothing written', async () => {
		const id = await sortie(claude, { title: 'x' });
		const before = eventCount();
		for (const [tool, args] of [
			['create_sortie', { callsign: 'alice', title: 't' }],
			['ready_work', { callsign: 'alice' }],
			['update_sortie', { callsign: 'alice', sortie_id: id, action: 'start' }],
			['checkpoint', { callsign: 'alice', summary: 's' }],
			['checkpoints', { callsign: 'alice' }],
		] as const) {
			const error = await refusal(call(builder, tool, args));
			expect(error.code, tool).toBe('PERMISSION_DENIED');
			expect(error.hint).toContain('"builder"');
		}
		expect(eventCount()).toBe(before);
		expect(queryToolCalls(fleet.db, { agentId: 'fleet', status: 'denied' })).toHaveLength(5);
		expect((await getAuditEvents(fleet.db, { type: 'security.denied' })).length).toBeGreaterThan(0);
	});

	it('refuses bad arguments with every field named, before anything is written', async () => {
		const id = await sortie(claude, { title: 'x' });
		const before = eventCount();
		const cases: [string, Record<string, unknown>, string[]][] = [
			['create_sortie', { callsign: 'a' }, ['/title']],
			[
				'create_sortie',
				{ callsign: 'a', title: '', priority: 'urgent', description: 'x'.repeat(8001) },
				['/title', '/priority', '/description'],
			],
			['create_sortie', { callsign: 'a', title: 't'.repeat(513) }, ['/title']],
			['create_sortie', { callsign: 'a', title: 't', files: ['ok/**', '../up'] }, ['/files/1']],
			[
				'create_sortie',
				{ callsign: 'a', title: 't', depends_on: ['-bad', 'x', 'x'] },
				['/depends_on', '/depends_on/0'],
			],
			['ready_work', { callsign: 'a', limit: 51 }, ['/limit']],
			['update_sortie', { callsign: 'a', sortie_id: id, action: 'finish' }, ['/action']],
			['update_sortie', { callsign: 'a', action: 'start' }, ['/sortie_id']],
			[
				'update_sortie',
				{ callsign: 'a', sortie_id: id, action: 'progress', percent: 101 },
				['/percent'],
			],
			['update_sortie', { callsign: 'a', sortie_id: id, action: 'progress' }, ['/percent']],
			['update_sortie', { callsign: 'a', sortie_id: id, action: 'block' }, ['/reason']],
			[
				'update_sortie',
				{ callsign: 'a', sortie_id: id, action: 'complete', percent: 5 },
				['/outcome', '/percent'],
			],
			['update_sortie', { callsign: 'a', sortie_id: id, action: 'start', note: 'n' }, ['/note']],
			['checkpoint', { callsign: 'a', summary: '' }, ['/summary']],
			['checkpoint', { callsign: 'a', summary: 's', context: [1] }, ['/context']],
			[
				'checkpoint',
				{ callsign: 'a', summary: 's', context: { big: 'x'.repeat(16_384) } },
				['/context'],
			],
			['checkpoints', { callsign: 'a', limit: 11, sortie_id: '../x' }, ['/limit', '/sortie_id']],
		];
		for (const [tool, args, paths] of cases) {
			const error = await refusal(call(cursor, tool, args));
			expect(error.code, `${tool} ${JSON.stringify(args).slice(0, 80)}`).toBe('VALIDATION_FAILED');
			expect(
				error.issues.map((i) => i.path).sort(),
				`${tool} ${JSON.stringify(args).slice(0, 80)}`,
			).toEqual([...paths].sort());
		}
		expect(eventCount()).toBe(before);
		expect(queryToolCalls(fleet.db, { agentId: 'fleet', status: 'invalid' })).toHaveLength(
			cases.length,
		);
	});

	it('writes only through the event log: a replay rebuilds the same tables', async () => {
		const first = await sortie(claude, { title: 'first', files: ['src/**'] });
		await sortie(claude, { title: 'second', depends_on: [first], priority: 'high' });
		const update = (args: Record<string, unknown>) =>
			call(builder, 'update_sortie', { callsign: 'builder', sortie_id: first, ...args });
		await update({ action: 'start' });
		await update({ action: 'progress', percent: 30 });
		await update({ action: 'block', reason: 'r' });
		await update({ action: 'resume' });
		await update({ action: 'complete', outcome: 'failed', summary: 'no' });
		await call(builder, 'checkpoint', {
			callsign: 'builder',
			summary: 's',
			context: { a: [1, 'b', null] },
			sortie_id: first,
		});
		const inline = projectionDigest(fleet.db);
		rebuildProjections(fleet.db);
		expect(projectionDigest(fleet.db)).toEqual(inline);
	});
});
