import { ensureHomeDirs, homePaths } from '@agentspace/core';
import type { DoctorCheck } from '../types.js';

/** The home and its directories exist with mode 0700 (created, or tightened, if not). */
export function checkHome(home: string): DoctorCheck {
	const tightened = ensureHomeDirs(homePaths(home));
	const data = { path: home, tightened };
	if (tightened.length === 0) {
		return { id: 'home', status: 'ok', detail: `${home} (mode 0700)`, data };
	}
	return {
		id: 'home',
		status: 'warn',
		detail: `${home}: tightened to mode 0700 (others could read it): ${tightened.join(', ')}`,
		hint: 'the home holds secrets; keep it private to you',
		data,
	};
}
