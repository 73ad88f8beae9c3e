import { getAuditEvents } from '@agentspace/db';
import { projectionDigest, queryEvents, rebuildProjections } from '@agentspace/events';
import { describe, expect, it } from 'vitest';
import { queryToolCalls } from '../callLog/queryToolCalls.js';
import { builder, claude, cursor, refusal, useFleetHarness } from './fleetHarness.testing.js';
import { fleetToolGroup } from './fleetToolGroup.js';
import { MAX_ACTIVE_RESERVATIONS_PER_PILOT } from './reserveFilesTool.js';
import { MAX_MESSAGES_PER_MINUTE } from './sendMessageTool.js';

// The fleet tools against a real SQLite file, through the real router (Ajv
// argument checks, the call log, denial audits), as every gateway client
// and agent channel reaches them.

const fleet = useFleetHarness('fleet');
const { call, eventCount } = fleet;

describe('fleet tools', () => {
	it('offers its tools as one group, read-only ones marked', () => {
		const group = fleetToolGroup({ db: fleet.db });
		expect(group.id).toBe('fleet');
		expect(group.tools.map((t) => t.name)).toEqual([
			'register',
			'pilots',
			'send_message',
			'inbox',
			'read_message',
			'ack',
			'reserve_files',
			'release_files',
			'reservations',
			'create_sortie',
			'ready_work',
			'update_sortie',
			'checkpoint',
			'checkpoints',
		]);
		const readOnly = group.tools.filter((t) => t.annotations?.readOnlyHint === true);
		expect(readOnly.map((t) => t.name)).toEqual([
			'pilots',
			'inbox',
			'read_message',
			'reservations',
			'ready_work',
			'checkpoints',
		]);
		expect(fleet.router.builtinGroups().map((g) => g.id)).toEqual(['fleet']);
	});

	it("calls a tool directly with the caller in its context (the router's path adds checks)", async () => {
		const register = fleetToolGroup({ db: fleet.db }).tools.find((t) => t.name === 'register');
		if (register === undefined) throw new Error('no register tool');
		const result = await register.call(
			{ callsign: 'viper-1', program: 'opencode' },
			{ caller: claude, signal: new AbortController().signal, onProgress: () => {} },
		);
		expect(result.isError).toBe(false);
		expect(result.structuredContent).toMatchObject({ callsign: 'viper-1', project: 'default' });
		expect(JSON.parse((result.content[0] as { text: string }).text)).toEqual(
			result.structuredContent,
		);
	});

	it('registers pilots with the caller as actor, and lists them', async () => {
		const registered = await call(claude, 'register', {
			callsign: 'alice',
			program: 'claude-code',
			task_description: 'fixing the parser',
		});
		expect(registered.structuredContent).toMatchObject({
			callsign: 'alice',
			project: '/work/repo',
			status: 'registered',
		});
		await call(builder, 'register', { callsign: 'builder' });
		const [event] = queryEvents(fleet.db, {
			project_key: '/work/repo',
			types: ['pilot_registered'],
		});
		expect(event?.metadata.actor).toEqual({ type: 'mcp-client', id: 'claude-code' });

		const listed = await call(cursor, 'pilots', { callsign: 'carol' });
		expect(listed.structuredContent.more).toBe(false);
		expect(listed.structuredContent.pilots).toMatchObject([
			{ callsign: 'alice', status: 'registered', program: 'claude-code' },
			{ callsign: 'builder', status: 'registered', program: null },
		]);
		const one = await call(cursor, 'pilots', { callsign: 'carol', limit: 1 });
		expect(one.structuredContent).toMatchObject({ pilots: [{ callsign: 'alice' }], more: true });
		// Another project's fleet is another fleet.
		const other = await call(cursor, 'pilots', { callsign: 'carol', project: '/elsewhere' });
		expect(other.structuredContent.pilots).toEqual([]);
		// Every call is in the call log, as the MCP client that made it, without a run.
		const calls = queryToolCalls(fleet.db, { agentId: 'fleet' });
		expect(calls).toHaveLength(5);
		expect(calls.every((c) => c.runId === null && c.status === 'ok')).toBe(true);
	});

	it('delivers a message to the inbox of each recipient, until acknowledged', async () => {
		await call(claude, 'register', { callsign: 'alice' });
		await call(builder, 'register', { callsign: 'builder' });
		const sent = await call(claude, 'send_message', {
			callsign: 'alice',
			to: ['builder', 'bob'],
			subject: 'parser',
			body: 'I am on src/parser/**; take the lexer?',
			ack_required: true,
		});
		const messageId = sent.structuredContent.message_id as string;
		expect(sent.structuredContent).toMatchObject({
			to: ['builder', 'bob'],
			thread_id: null,
			// Kept for bob all the same: he may register later.
			unregistered: ['bob'],
		});

		const inbox = await call(builder, 'inbox', { callsign: 'builder' });
		expect(inbox.structuredContent).toMatchObject({
			callsign: 'builder',
			unread: 1,
			more: false,
			messages: [
				{
					message_id: messageId,
					from: 'alice',
					to: ['bob', 'builder'],
					subject: 'parser',
					body: 'I am on src/parser/**; take the lexer?',
					body_truncated: false,
					importance: 'normal',
					ack_required: true,
					read_at: null,
					acked_at: null,
				},
			],
		});
		// The sender's own inbox does not hold it; the sender may read it.
		expect((await call(claude, 'inbox', { callsign: 'alice' })).structuredContent.unread).toBe(0);
		expect(
			(await call(claude, 'read_message', { callsign: 'alice', message_id: messageId }))
				.structuredContent.message,
		).toMatchObject({ message_id: messageId, from: 'alice' });
		// A pilot it was not sent to cannot.
		const foreign = await refusal(
			call(cursor, 'read_message', { callsign: 'carol', message_id: messageId }),
		);
		expect(foreign.code).toBe('NOT_FOUND');

		const acked = await call(builder, 'ack', { callsign: 'builder', message_ids: [messageId] });
		expect(acked.structuredContent).toEqual({
			acknowledged: [messageId],
			already_acknowledged: [],
		});
		const [ackEvent] = queryEvents(fleet.db, { types: ['message_acknowledged'] });
		expect(ackEvent?.metadata.actor).toEqual({ type: 'agent', id: 'builder' });
		expect((await call(builder, 'inbox', { callsign: 'builder' })).structuredContent).toMatchObject(
			{ unread: 0, messages: [] },
		);
		const history = await call(builder, 'inbox', { callsign: 'builder', unread_only: false });
		expect(history.structuredContent.messages).toMatchObject([{ message_id: messageId }]);
		expect(
			(await call(builder, 'ack', { callsign: 'builder', message_ids: [messageId] }))
				.structuredContent,
		).toEqual({ acknowledged: [], already_acknowledged: [messageId] });
	});

	it('acknowledges all or nothing: a message not sent to the pilot refuses the whole call', async () => {
		const sent = await call(claude, 'send_message', {
			callsign: 'alice',
			to: ['builder'],
			subject: 's',
			body: 'b',
		});
		const id = sent.structuredContent.message_id as string;
		const before = eventCount();
		const error = await refusal(
			call(builder, 'ack', { callsign: 'builder', message_ids: [id, 'msg_nope1234'] }),
		);
		expect(error.code).toBe('NOT_FOUND');
		expect(error.message).toContain('msg_nope1234');
		expect(eventCount()).toBe(before);
	});

	it('cuts long bodies in the inbox; read_message has the whole', async () => {
		const body = `${'x'.repeat(1999)}😀 and more`;
		const sent = await call(claude, 'send_message', {
			callsign: 'alice',
			to: ['bob'],
			subject: 'long',
			body,
		});
		const [message] = (await call(cursor, 'inbox', { callsign: 'bob' })).structuredContent
			.messages as { body: string; body_truncated: boolean }[];
		// A surrogate pair is never cut in half.
		expect(message?.body).toBe('x'.repeat(1999));
		expect(message?.body_truncated).toBe(true);
		const whole = await call(cursor, 'read_message', {
			callsign: 'bob',
			message_id: sent.structuredContent.message_id,
		});
		expect(whole.structuredContent.message).toMatchObject({ body, body_truncated: false });
	});

	it('refuses a conflicting reservation, naming the holder, and writes nothing', async () => {
		const held = await call(claude, 'reserve_files', {
			callsign: 'alice',
			paths: ['src/**'],
			reason: 'refactoring',
		});
		expect(held.structuredContent).toMatchObject({
			granted: true,
			paths: ['src/**'],
			exclusive: true,
			conflicts: [],
		});
		const before = eventCount();
		const refused = await call(builder, 'reserve_files', {
			callsign: 'builder',
			paths: ['src/lexer.ts', 'docs/*.md'],
		});
		expect(refused.isError).toBe(true);
		expect(refused.structuredContent).toMatchObject({
			granted: false,
			conflicts_total: 1,
			conflicts: [
				{
					holder: 'alice',
					reservation_id: held.structuredContent.reservation_id,
					paths: ['src/lexer.ts'],
					exclusive: true,
				},
			],
		});
		expect((refused.content[0] as { text: string }).text).toMatch(
			/^error\[CONFLICT\]: not reserved: src\/lexer\.ts held by alice until /,
		);
		expect(eventCount()).toBe(before);
		// The call log has it as the tool's error.
		expect(queryToolCalls(fleet.db, { agentId: 'fleet', tool: 'reserve_files' })[0]?.status).toBe(
			'error',
		);

		// Shared reservations never conflict with each other; another project is another fleet.
		expect(
			(
				await call(builder, 'reserve_files', {
					callsign: 'builder',
					paths: ['docs/**'],
					exclusive: false,
				})
			).structuredContent.granted,
		).toBe(true);
		expect(
			(
				await call(cursor, 'reserve_files', {
					callsign: 'carol',
					paths: ['docs/a.md'],
					exclusive: false,
				})
			).structuredContent.granted,
		).toBe(true);
		expect(
			(
				await call(builder, 'reserve_files', {
					callsign: 'builder',
					paths: ['src/**'],
					project: '/other',
				})
			).structuredContent.granted,
		).toBe(true);

		// allow_conflicts grants it, advisory, and the conflict is recorded.
		const forced = await call(builder, 'reserve_files', {
			callsign: 'builder',
			paths: ['src/lexer.ts'],
			allow_conflicts: true,
		});
		expect(forced.structuredContent).toMatchObject({
			granted: true,
			conflicts: [{ holder: 'alice' }],
		});
		expect(queryEvents(fleet.db, { types: ['file_conflict'] })).toHaveLength(1);
	});

	it('lists active reservations, by holder or by an overlapping path', async () => {
		await call(claude, 'reserve_files', { callsign: 'alice', paths: ['src/**'] });
		await call(cursor, 'reserve_files', { callsign: 'carol', paths: ['docs/*.md'] });
		const all = await call(claude, 'reservations', { callsign: 'alice' });
		expect(all.structuredContent.reservations).toMatchObject([
			{ holder: 'alice', paths: ['src/**'], mine: true },
			{ holder: 'carol', paths: ['docs/*.md'], mine: false },
		]);
		const byPath = await call(claude, 'reservations', { callsign: 'alice', path: 'docs/guide.md' });
		expect(byPath.structuredContent.reservations).toMatchObject([{ holder: 'carol' }]);
		const byHolder = await call(claude, 'reservations', { callsign: 'alice', holder: 'alice' });
		expect(byHolder.structuredContent.reservations).toMatchObject([{ holder: 'alice' }]);
	});

	it("releases the pilot's own reservations, never another's", async () => {
		const a = await call(claude, 'reserve_files', { callsign: 'alice', paths: ['src/**'] });
		await call(claude, 'reserve_files', { callsign: 'alice', paths: ['test/**'] });
		const aliceId = a.structuredContent.reservation_id as string;

		const before = eventCount();
		const stolen = await refusal(
			call(builder, 'release_files', { callsign: 'builder', reservation_ids: [aliceId] }),
		);
		expect(stolen.code).toBe('PERMISSION_DENIED');
		expect(stolen.message).toContain('held by alice');
		expect(eventCount()).toBe(before);
		const unknown = await refusal(
			call(claude, 'release_files', { callsign: 'alice', reservation_ids: ['res_nothere1'] }),
		);
		expect(unknown.code).toBe('NOT_FOUND');

		const released = await call(claude, 'release_files', { callsign: 'alice' });
		expect(released.structuredContent.released).toHaveLength(2);
		expect(released.structuredContent.more).toBe(false);
		const [event] = queryEvents(fleet.db, { types: ['file_released'] });
		expect(event).toMatchObject({ released_by: 'alice', holder: 'alice' });
		expect(event?.metadata.actor).toEqual({ type: 'mcp-client', id: 'claude-code' });
		// Released: the other pilot gets the files now; releasing again is not active.
		expect(
			(await call(builder, 'reserve_files', { callsign: 'builder', paths: ['src/x.ts'] }))
				.structuredContent.granted,
		).toBe(true);
		expect(
			(await call(claude, 'release_files', { callsign: 'alice', reservation_ids: [aliceId] }))
				.structuredContent,
		).toEqual({ released: [], not_active: [aliceId], more: false });
	});

	it('caps what one pilot can pile up: 16 active reservations, 60 messages a minute — then CONFLICT, nothing written', async () => {
		await call(claude, 'register', { callsign: 'builder' });
		await call(claude, 'register', { callsign: 'tester' });
		for (let i = 0; i < MAX_ACTIVE_RESERVATIONS_PER_PILOT; i++)
			await call(builder, 'reserve_files', { callsign: 'builder', paths: [`src/part${i}/**`] });
		let before = eventCount();
		const reserved = await refusal(
			call(builder, 'reserve_files', { callsign: 'builder', paths: ['docs/**'] }),
		);
		expect(reserved.code).toBe('CONFLICT');
		expect(reserved.message).toContain('already holds 16 active reservations');
		expect(eventCount()).toBe(before);
		// Another pilot is not held back by it; a released reservation makes room.
		await call(claude, 'reserve_files', { callsign: 'tester', paths: ['docs/**'] });
		await call(builder, 'release_files', { callsign: 'builder' });
		await call(builder, 'reserve_files', {
			callsign: 'builder',
			paths: ['docs/**'],
			allow_conflicts: true,
		});

		for (let i = 0; i < MAX_MESSAGES_PER_MINUTE; i++)
			await call(builder, 'send_message', {
				callsign: 'builder',
				to: ['tester'],
				subject: `note ${i}`,
				body: 'x',
			});
		before = eventCount();
		const sent = await refusal(
			call(builder, 'send_message', {
				callsign: 'builder',
				to: ['tester'],
				subject: 'one more',
				body: 'x',
			}),
		);
		expect(sent.code).toBe('CONFLICT');
		expect(sent.message).toContain('sent 60 messages');
		expect(eventCount()).toBe(before);
		await call(claude, 'send_message', {
			callsign: 'tester',
			to: ['builder'],
			subject: 'hi',
			body: 'x',
		});
	});

	it('refuses an agent acting as another pilot: recorded as denied, audited, nothing written', async () => {
		await call(claude, 'reserve_files', { callsign: 'alice', paths: ['src/**'] });
		const before = eventCount();
		for (const [tool, args] of [
			['register', { callsign: 'alice' }],
			['send_message', { callsign: 'alice', to: ['bob'], subject: 's', body: 'b' }],
			['inbox', { callsign: 'alice' }],
			['release_files', { callsign: 'alice' }],
			['reserve_files', { callsign: 'alice', paths: ['x'] }],
		] as const) {
			const error = await refusal(call(builder, tool, args));
			expect(error.code, tool).toBe('PERMISSION_DENIED');
			expect(error.hint).toContain('"builder"');
		}
		expect(eventCount()).toBe(before);
		const denied = queryToolCalls(fleet.db, { agentId: 'fleet', status: 'denied' });
		expect(denied).toHaveLength(5);
		expect(denied[0]?.caller).toMatchObject({ type: 'agent', id: 'builder' });
		const audit = await getAuditEvents(fleet.db, { type: 'security.denied' });
		expect(audit.length).toBeGreaterThan(0);
		expect(audit[0]?.actor.type).toBe('agent');
		// People's MCP clients choose their callsign.
		expect((await call(cursor, 'inbox', { callsign: 'alice' })).isError).toBe(false);
	});

	it('refuses bad arguments with every field named, before anything is written', async () => {
		const before = eventCount();
		const cases: [string, Record<string, unknown>, string[]][] = [
			['register', {}, ['/callsign']],
			['register', { callsign: '-bad' }, ['/callsign']],
			['register', { callsign: 'a', extra: 1 }, ['/extra']],
			[
				'send_message',
				{ callsign: 'a', to: [], subject: '', body: 1 },
				['/to', '/subject', '/body'],
			],
			[
				'send_message',
				{ callsign: 'a', to: ['b', 'b'], subject: 's', body: 'x'.repeat(16_385) },
				['/to', '/body'],
			],
			[
				'ack',
				{ callsign: 'a', message_ids: Array.from({ length: 101 }, (_, i) => `m${i}`) },
				['/message_ids'],
			],
			[
				'reserve_files',
				{ callsign: 'a', paths: ['../etc/passwd', '/abs', 'ok/**'] },
				['/paths/0', '/paths/1'],
			],
			['reserve_files', { callsign: 'a', paths: ['a'], ttl_seconds: 0 }, ['/ttl_seconds']],
			['reserve_files', { callsign: 'a', paths: ['?'.repeat(17)] }, ['/paths/0']],
			['inbox', { callsign: 'a', limit: 51 }, ['/limit']],
			['reservations', { callsign: 'a', path: '../x' }, ['/path']],
			['pilots', { callsign: 'a', project: '' }, ['/project']],
		];
		for (const [tool, args, paths] of cases) {
			const error = await refusal(call(cursor, tool, args));
			expect(error.code, `${tool} ${JSON.stringify(args).slice(0, 80)}`).toBe('VALIDATION_FAILED');
			expect(error.issues.map((i) => i.path).sort(), tool).toEqual([...paths].sort());
		}
		expect(eventCount()).toBe(before);
		expect(queryToolCalls(fleet.db, { agentId: 'fleet', status: 'invalid' })).toHaveLength(
			cases.length,
		);
	});

	it('writes only through the event log: a replay rebuilds the same tables', async () => {
		await call(claude, 'register', { callsign: 'alice' });
		const sent = await call(claude, 'send_message', {
			callsign: 'alice',
			to: ['bob'],
			subject: 's',
			body: 'b',
			thread_id: 'parser-work',
		});
		await call(cursor, 'ack', {
			callsign: 'bob',
			message_ids: [sent.structuredContent.message_id],
		});
		await call(claude, 'reserve_files', { callsign: 'alice', paths: ['src/**'] });
		await call(cursor, 'reserve_files', {
			callsign: 'bob',
			paths: ['src/a.ts'],
			allow_conflicts: true,
		});
		await call(claude, 'release_files', { callsign: 'alice' });
		const inline = projectionDigest(fleet.db);
		rebuildProjections(fleet.db);
		expect(projectionDigest(fleet.db)).toEqual(inline);
	});
});
