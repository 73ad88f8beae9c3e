import { hasErrorCode } from '@agentspace/core';
import { createInMemoryDb } from '@agentspace/db';
import { describe, expect, it } from 'vitest';
import { projectionDigest } from '../replay/projectionDigest.js';
import { rebuildProjections } from '../replay/rebuildProjections.js';
import { EventStore } from '../store/EventStore.js';
import { validateEvent } from '../validateEvent.js';
import { upcastPayload } from './upcasters.js';

// A message_sent event as AgentSpace wrote it before version 2: one recipient, an urgent flag.
const V1_ROW = `INSERT INTO events (id, type, project_key, stream_id, stream_version, timestamp, schema_version, actor_type, actor_id, data)
VALUES ('evt_oldmessage01', 'message_sent', '/p', 'message:m1', 1, '2025-12-01T00:00:00.000Z', 1, 'agent', 'viper',
'{"message_id":"m1","from":"viper","to":"goose","subject":"hi","body":"old","urgent":true}')`;

describe('upcasting message_sent v1 → v2', () => {
	it('reads a stored v1 event in the current shape, and it validates', async () => {
		const db = createInMemoryDb();
		db.$client.exec(V1_ROW);
		const [event] = await EventStore.fromDb(db).query();
		expect(event).toMatchObject({
			type: 'message_sent',
			schema_version: 2,
			to: ['goose'],
			importance: 'urgent',
			ack_required: false,
		});
		expect(event).not.toHaveProperty('urgent');
		expect(() => validateEvent(event)).not.toThrow();
		// The log keeps the bytes it was written with.
		expect(db.$client.prepare('SELECT schema_version, data FROM events').get()).toMatchObject({
			schema_version: 1,
		});
	});

	it('feeds upcast events to the projections on rebuild', () => {
		const db = createInMemoryDb();
		db.$client.exec(V1_ROW);
		rebuildProjections(db);
		expect(db.$client.prepare('SELECT callsign FROM message_recipients').all()).toEqual([
			{ callsign: 'goose' },
		]);
		expect(db.$client.prepare('SELECT importance FROM messages').get()).toEqual({
			importance: 'urgent',
		});
		expect(projectionDigest(db).messages?.rows).toBe(1);
	});

	it('leaves current versions alone and refuses versions from the future', () => {
		const payload = { to: ['a'] };
		expect(upcastPayload('message_sent', 2, payload)).toEqual({ version: 2, payload });
		expect(upcastPayload('message_sent', 1, { to: 'a' }).payload).toMatchObject({
			to: ['a'],
			importance: 'normal',
		});
		let caught: unknown;
		try {
			upcastPayload('message_sent', 3, payload);
		} catch (error) {
			caught = error;
		}
		expect(hasErrorCode(caught, 'DB_SCHEMA_TOO_NEW')).toBe(true);
	});
});
