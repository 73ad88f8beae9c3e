import { getOrCreateAuthToken, homePaths } from '@agentspace/core';
import { closeDb, openDb, recordAuditEvent } from '@agentspace/db';
import { CLI_SOURCE_APP, cliActor } from '../../../actor.js';
import type { DoctorCheck } from '../types.js';

/**
 * The auth token exists, in the OS keychain or (reported as a warning) in the
 * 0600 fallback file. Creating it is audited as `auth_token_created` — with
 * severity `security` when it had to go to a file — and never includes the token.
 */
export async function checkAuthToken(home: string): Promise<DoctorCheck> {
	const result = await getOrCreateAuthToken({ home });
	if (result.created) {
		const db = openDb({ path: homePaths(home).dbFile });
		try {
			await recordAuditEvent(db, {
				eventType: 'auth_token_created',
				actor: cliActor(),
				subject: { type: 'auth_token', id: result.storage },
				severity: result.storage === 'file' ? 'security' : 'info',
				sourceApp: CLI_SOURCE_APP,
				metadata: {
					storage: result.storage,
					...(result.file === undefined ? {} : { file: result.file }),
					...(result.fallbackReason === undefined ? {} : { reason: result.fallbackReason }),
				},
			});
		} finally {
			closeDb(db);
		}
	}
	if (result.storage === 'keychain') {
		return {
			id: 'keychain',
			status: 'ok',
			detail: `auth token in the OS keychain${result.created ? ' (created)' : ''}`,
			data: { storage: 'keychain', created: result.created },
		};
	}
	return {
		id: 'keychain',
		status: 'warn',
		detail: `no OS keychain; auth token in ${result.file} (mode 0600)${result.created ? ', created' : ''}: ${result.fallbackReason}`,
		hint: 'normal on headless Linux and CI; on a desktop, unlock or install a Secret Service keyring (e.g. gnome-keyring) to use it',
		data: {
			storage: 'file',
			created: result.created,
			file: result.file,
			reason: result.fallbackReason,
		},
	};
}
