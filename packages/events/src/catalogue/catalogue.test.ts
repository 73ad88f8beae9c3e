import { readFileSync } from 'node:fs';
import { isValidationError } from '@agentspace/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEvent } from '../createEvent.js';
import { isEventType } from '../isEventType.js';
import { PAYLOADS } from '../testing/eventArbitraries.js';
import { safeValidateEvent, validateEvent } from '../validateEvent.js';
import {
	EVENT_DEFINITIONS,
	type EventType,
	type FleetEvent,
	FleetEventSchema,
} from './catalogue.js';
import { renderEventCatalogue } from './describeCatalogue.js';
import { storedEnvelopeShape } from './envelope.js';
import { ENVELOPE_FIELDS, EVENT_SCHEMA_VERSIONS, EVENT_TYPES } from './eventTypes.js';

const stored = (type: EventType, payload: object): FleetEvent =>
	({
		...createEvent(type, { project_key: '/p', ...payload } as never),
		sequence: 1,
		stream_version: 1,
	}) as FleetEvent;

describe('event catalogue', () => {
	it('has every family the issue names', () => {
		const required = [
			'agent_discovered',
			'agent_updated',
			'agent_installed',
			'agent_build_started',
			'agent_built',
			'agent_build_failed',
			'agent_enabled',
			'agent_permissions_revoked',
			'agent_run_started',
			'agent_run_stopped',
			'agent_run_crashed',
			'agent_run_unhealthy',
			'agent_errored',
			'agent_uninstalled',
			'pilot_registered',
			'pilot_active',
			'pilot_deregistered',
			'pilot_spawned',
			'pilot_terminated',
			'message_sent',
			'message_read',
			'message_acknowledged',
			'message_deleted',
			'thread_created',
			'file_reserved',
			'file_released',
			'file_conflict',
			'file_reservation_renewed',
			'sortie_created',
			'sortie_assigned',
			'sortie_started',
			'sortie_progress',
			'sortie_blocked',
			'sortie_resumed',
			'sortie_completed',
			'mission_created',
			'mission_started',
			'mission_completed',
			'mission_updated',
			'work_order_created',
			'work_order_status_changed',
			'work_order_completed',
			'checkpoint_created',
			'context_compacted',
			'checkpoint_restored',
			'checkpoint_deleted',
			'coordinator_decision',
			'lock_acquired',
			'lock_released',
			'cursor_moved',
			'review_started',
			'review_completed',
			'agent_mcp_connected',
			'agent_tools_listed',
			'agent_tools_cleared',
			'tool_pinned',
			'tool_drifted',
			'tool_accepted',
			'tool_policy_set',
			'mcp_token_minted',
			'mcp_token_revoked',
			'key_added',
			'key_updated',
			'key_removed',
			'secret_set',
			'secret_removed',
			'key_limit_set',
			'key_token_minted',
			'key_token_revoked',
		];
		expect([...EVENT_TYPES].sort()).toEqual([...required].sort());
	});

	it.each(EVENT_TYPES.map((t) => [t]))(
		'%s: createEvent fills the envelope and the union accepts it',
		(type) => {
			const [payload] = fc.sample(PAYLOADS[type] as fc.Arbitrary<object>, { seed: 7, numRuns: 1 });
			const event = createEvent(type, { project_key: '/p', ...(payload as object) } as never);
			expect(event.id).toMatch(/^evt_[A-Za-z0-9_-]{21}$/);
			expect(event.type).toBe(type);
			expect(event.stream_id.length).toBeGreaterThan(0);
			expect(Date.parse(event.timestamp)).not.toBeNaN();
			expect(event.metadata.actor).toEqual({ type: 'system', id: 'agentspace' });
			const asStored = { ...event, sequence: 3, stream_version: 2 };
			expect(FleetEventSchema.parse(asStored)).toEqual(asStored);
			expect(validateEvent(asStored)).toEqual(asStored);
		},
	);

	it('narrows with isEventType so payload fields type-check', () => {
		const event = stored('pilot_registered', { callsign: 'viper-1', program: 'opencode' });
		if (!isEventType(event, 'pilot_registered')) throw new Error('not narrowed');
		const callsign: string = event.callsign;
		expect(callsign).toBe('viper-1');
		expect(isEventType(event, 'pilot_active')).toBe(false);
	});

	it('applies payload defaults and derives the stream', () => {
		const sent = createEvent('message_sent', {
			project_key: '/p',
			message_id: 'm1',
			from: 'a',
			to: ['b'],
			subject: 'hi',
			body: '',
		});
		expect(sent).toMatchObject({
			importance: 'normal',
			ack_required: false,
			stream_id: 'message:m1',
			schema_version: 2,
		});
		const pilot = createEvent('pilot_registered', { project_key: '/p', callsign: 'v' });
		expect(pilot.stream_id).toBe('pilot:/p:v');
		const named = createEvent('pilot_registered', {
			project_key: '/p',
			callsign: 'v',
			stream_id: 'custom',
		});
		expect(named.stream_id).toBe('custom');
	});

	it('createEvent lists every bad field by path and throws a ValidationError', () => {
		let caught: unknown;
		try {
			createEvent('message_sent', {
				project_key: '',
				from: 'has space',
				to: [],
				subject: 'x',
				body: 'y',
				importance: 'loud',
			} as never);
		} catch (error) {
			caught = error;
		}
		expect(isValidationError(caught)).toBe(true);
		const paths = (caught as { issues: { path: string }[] }).issues.map((i) => i.path).sort();
		expect(paths).toEqual(['from', 'importance', 'message_id', 'project_key', 'to']);
	});

	it('validateEvent refuses unknown types, unknown fields and missing positions, naming each', () => {
		const good = stored('sortie_progress', { sortie_id: 's1', percent: 5 });
		const cases: [unknown, string[]][] = [
			[{ ...good, type: 'sortie_exploded' }, ['type']],
			[{ ...good, extra: 1 }, ['extra']],
			[{ ...good, percent: 101, sequence: 0 }, ['percent', 'sequence']],
			[
				{ ...good, metadata: { actor: { type: 'robot', id: '' } } },
				['metadata.actor.id', 'metadata.actor.type'],
			],
			[{ ...good, id: 'nope' }, ['id']],
			['not an event', ['(root)']],
		];
		for (const [input, paths] of cases) {
			const result = safeValidateEvent(input);
			expect(result.ok).toBe(false);
			if (!result.ok) expect(result.errors.map((e) => e.path).sort()).toEqual(paths);
			expect(() => validateEvent(input)).toThrow(/invalid event/);
		}
		const unknown = safeValidateEvent({ ...good, type: 'sortie_exploded' });
		if (!unknown.ok) expect(unknown.errors[0]?.message).toMatch(/known types: agent_discovered/);
	});

	it('refuses globs with more than 16 wildcards', () => {
		const make = (glob: string) => () =>
			createEvent('file_reserved', {
				project_key: '/p',
				reservation_id: 'r',
				holder: 'h',
				paths: [glob],
				ttl_seconds: 5,
				expires_at: '2026-01-01T00:00:05Z',
			});
		expect(make(`${'*/'.repeat(16)}x`)).not.toThrow();
		expect(make(`${'*/'.repeat(17)}x`)).toThrow(/at most 16 wildcards/);
	});

	it('refuses globs that leave the project', () => {
		for (const path of ['/etc/passwd', '../x', 'a/../../b']) {
			expect(() =>
				createEvent('file_reserved', {
					project_key: '/p',
					reservation_id: 'r',
					holder: 'h',
					paths: [path],
					ttl_seconds: 5,
					expires_at: '2026-01-01T00:00:00Z',
				}),
			).toThrow(/paths\[0\]/);
		}
	});
});

describe('specs/events.md', () => {
	it('has the field tables of the current catalogue (run `pnpm --filter @agentspace/events run spec` after a change)', () => {
		const spec = readFileSync(new URL('../../../../specs/events.md', import.meta.url), 'utf8');
		const generated = spec.slice(
			spec.indexOf('<!-- catalogue:start -->') + 24,
			spec.indexOf('<!-- catalogue:end -->'),
		);
		// Compared modulo table alignment, so a Markdown formatter may pad the columns.
		const normal = (text: string) => text.replace(/-{3,}/g, '---').replace(/\s+/g, ' ').trim();
		expect(normal(generated)).toBe(normal(renderEventCatalogue()));
	});
});

describe('schema versions', () => {
	it('accepts only the current version of a type on write', () => {
		const event = createEvent('message_sent', {
			project_key: '/p',
			message_id: 'm',
			from: 'a',
			to: ['b'],
			subject: 's',
			body: '',
		});
		const stale = safeValidateEvent({
			...event,
			schema_version: 1,
			sequence: 1,
			stream_version: 1,
		});
		expect(stale.ok).toBe(false);
		if (!stale.ok) expect(stale.errors.map((e) => e.path)).toEqual(['schema_version']);
	});

	it('refuses envelope fields smuggled in as payload', () => {
		expect(() =>
			createEvent('pilot_active', {
				project_key: '/p',
				callsign: 'v',
				type: 'pilot_registered',
			} as never),
		).toThrow(/type cannot be set here/);
		expect(() =>
			createEvent('pilot_active', { project_key: '/p', callsign: 'v', sequence: 9 } as never),
		).toThrow(/sequence/);
	});
});

describe('the Zod-free type list', () => {
	it('matches the definitions: same types, same order, same versions', () => {
		expect(EVENT_TYPES).toEqual(EVENT_DEFINITIONS.map((d) => d.type));
		expect(EVENT_SCHEMA_VERSIONS).toEqual(
			Object.fromEntries(EVENT_DEFINITIONS.map((d) => [d.type, d.schemaVersion])),
		);
		expect([...ENVELOPE_FIELDS].sort()).toEqual(
			[...Object.keys(storedEnvelopeShape), 'type'].sort(),
		);
	});
});
