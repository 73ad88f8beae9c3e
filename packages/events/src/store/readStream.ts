import { ValidationError } from '@agentspace/core';
import type { AgentSpaceDb } from '@agentspace/db';
import { prepared, preparedRaw } from '@agentspace/db';
import type { FleetEvent } from '../catalogue/catalogue.js';
import { invalidArguments, isText } from '../invalid.js';
import { EVENT_COLUMNS, type RawEventRow, rowToEvent } from './rowToEvent.js';

/** Which part of a stream to read: versions `from`…`to`, both inclusive. */
export interface ReadStreamOptions {
	/** Default 1. */
	readonly from?: number;
	/** Default: the end of the stream. */
	readonly to?: number;
}

const READ = `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ? AND stream_version BETWEEN ? AND ? ORDER BY stream_version`;

/** The events of one stream in version order (empty for a stream that does not exist). */
export function readStream(
	db: AgentSpaceDb,
	streamId: string,
	options: ReadStreamOptions = {},
): FleetEvent[] {
	if (typeof options !== 'object' || options === null) {
		throw invalidArguments('readStream', [
			{ path: '(root)', message: 'options must be an object' },
		]);
	}
	const from = options.from ?? 1;
	const to = options.to ?? Number.MAX_SAFE_INTEGER;
	// `{ form: 2 }` must not quietly read the whole stream.
	const issues = Object.keys(options)
		.filter((key) => key !== 'from' && key !== 'to')
		.map((path) => ({ path, message: 'unknown option' }));
	if (typeof streamId !== 'string' || streamId.length === 0) {
		issues.push({ path: 'stream_id', message: 'must be a non-empty string' });
	}
	if (!Number.isSafeInteger(from) || from < 1)
		issues.push({ path: 'from', message: 'must be an integer ≥ 1' });
	if (!Number.isSafeInteger(to) || to < from)
		issues.push({ path: 'to', message: 'must be an integer ≥ from' });
	if (issues.length > 0) {
		throw new ValidationError(
			`invalid readStream arguments: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`,
			{
				hint: 'stream versions start at 1',
				issues,
			},
		);
	}
	return (preparedRaw(db.$client, READ).all(streamId, from, to) as RawEventRow[]).map(rowToEvent);
}

/** The current version of a stream; 0 when it has no events. */
export function streamVersion(db: AgentSpaceDb, streamId: string): number {
	if (!isText(streamId)) {
		throw invalidArguments('streamVersion', [
			{ path: 'stream_id', message: 'must be a non-empty string' },
		]);
	}
	const row = prepared(
		db.$client,
		'SELECT stream_version FROM events WHERE stream_id = ? ORDER BY stream_version DESC LIMIT 1',
	).get(streamId) as { stream_version: number } | undefined;
	return row?.stream_version ?? 0;
}
