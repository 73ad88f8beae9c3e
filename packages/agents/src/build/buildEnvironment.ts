import { mkdirSync } from 'node:fs';
import type { AgentPaths } from '../agentPaths.js';

/** The only variables of the caller's environment a build step sees. */
export const BUILD_ENV_PASSTHROUGH: readonly string[] = ['PATH', 'LANG', 'TZ'];

/**
 * The environment of a build step: an allowlist. PATH, LANG and TZ come from
 * the caller; HOME and TMPDIR are directories inside the agent's own, so a
 * build cannot read the user's dotfiles through $HOME or leave files in /tmp.
 * Nothing else — no tokens, no cloud credentials — reaches agent code.
 */
export function buildEnvironment(
	callerEnv: Readonly<Record<string, string | undefined>>,
	paths: AgentPaths,
): NodeJS.ProcessEnv {
	mkdirSync(paths.home, { recursive: true, mode: 0o700 });
	mkdirSync(paths.tmp, { recursive: true, mode: 0o700 });
	const env: NodeJS.ProcessEnv = { HOME: paths.home, TMPDIR: paths.tmp };
	for (const name of BUILD_ENV_PASSTHROUGH) {
		const value = callerEnv[name];
		if (value !== undefined) env[name] = value;
	}
	env.PATH ??= '/usr/local/bin:/usr/bin:/bin';
	return env;
}
