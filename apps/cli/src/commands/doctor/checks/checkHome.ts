import { ensureHomeDirs, homePaths } from '@agentspace/core';
import type { DoctorCheck } from '../types.js';

/** The home and its directories exist with mode 0700 (created if missing). */
export function checkHome(home: string): DoctorCheck {
	ensureHomeDirs(homePaths(home));
	return { id: 'home', status: 'ok', detail: `${home} (mode 0700)`, data: { path: home } };
}
