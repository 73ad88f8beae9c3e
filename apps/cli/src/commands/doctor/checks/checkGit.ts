import { spawnSync } from 'node:child_process';
import type { DoctorCheck } from '../types.js';

/** git is installed (`agents install` clones with it). */
export function checkGit(): DoctorCheck {
	const result = spawnSync('git', ['--version'], { encoding: 'utf8', timeout: 10_000 });
	if (result.status === 0) {
		const version = result.stdout.trim().replace(/^git version /, '');
		return { id: 'git', status: 'ok', detail: `git ${version}`, data: { version } };
	}
	return {
		id: 'git',
		status: 'warn',
		detail: 'git not found',
		hint: 'install git (needed by `agentspace agents install`)',
		data: { version: null },
	};
}
