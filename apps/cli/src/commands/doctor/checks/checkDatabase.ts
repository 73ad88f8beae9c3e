import { homePaths } from '@agentspace/core';
import { openDb, readSchemaStatus } from '@agentspace/db';
import type { DoctorCheck } from '../types.js';

/** The database opens, is migrated to this build's schema and is in WAL mode. */
export function checkDatabase(home: string): DoctorCheck {
	const path = homePaths(home).dbFile;
	const db = openDb({ path });
	try {
		const schema = readSchemaStatus(db.$client);
		const journalMode = db.$client.pragma('journal_mode', { simple: true }) as string;
		const auditEntries = (
			db.$client.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }
		).n;
		const data = {
			path,
			schemaVersion: schema.version,
			latestSchemaVersion: schema.latest,
			journalMode,
			auditEntries,
		};
		if (journalMode !== 'wal') {
			return {
				id: 'database',
				status: 'fail',
				detail: `${path}: journal mode is ${journalMode}, not wal`,
				hint: 'the file system may not support WAL (e.g. some network file systems); put the home on a local disk',
				data,
			};
		}
		return {
			id: 'database',
			status: 'ok',
			detail: `${path}: schema version ${schema.version}/${schema.latest}, ${journalMode}, ${auditEntries} audit entries`,
			data,
		};
	} finally {
		db.$client.close();
	}
}
