import { getOrCreateAuthToken } from '@agentspace/core';
import type { DoctorCheck } from '../types.js';

/** The auth token exists, in the OS keychain or (reported as a warning) in the 0600 fallback file. */
export async function checkAuthToken(home: string): Promise<DoctorCheck> {
	const result = await getOrCreateAuthToken({ home });
	if (result.storage === 'keychain') {
		return {
			id: 'keychain',
			status: 'ok',
			detail: 'auth token in the OS keychain',
			data: { storage: 'keychain' },
		};
	}
	return {
		id: 'keychain',
		status: 'warn',
		detail: `no OS keychain; auth token in ${result.file} (mode 0600): ${result.fallbackReason}`,
		hint: 'normal on headless Linux and CI; on a desktop, unlock or install a Secret Service keyring (e.g. gnome-keyring) to use it',
		data: { storage: 'file', file: result.file, reason: result.fallbackReason },
	};
}
