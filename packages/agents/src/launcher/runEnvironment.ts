import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { isSecretVariable, redactText, secretVariable } from '@agentspace/core';
import type { AgentPaths } from '../agentPaths.js';
import type { Permission } from '../permissions/types.js';

/** What a run's environment is made of. */
export interface RunEnvironmentInput {
	/** The caller's environment: only PATH, LANG, TZ and approved variables are taken from it. */
	readonly callerEnv: Readonly<Record<string, string | undefined>>;
	readonly paths: AgentPaths;
	readonly agentId: string;
	readonly runId: string;
	/** Per-run token the agent presents to the daemon. */
	readonly sessionToken: string;
	/** The daemon's socket, when there is one. */
	readonly socketPath?: string;
	/** The approved permissions: `env:read:X` lets X through. */
	readonly approved: readonly Permission[];
	/** Values of the approved secrets, by name (`secret:read:<name>`), resolved by the caller. */
	readonly secrets?: Readonly<Record<string, string>>;
}

/** The environment variable a secret named `name` is given in: `AGENTSPACE_SECRET_<NAME>` (core's rule). */
export { secretVariable };

/** The caller's variables a run receives: PATH, LANG, TZ and each approved `env:read:` one. */
export function callerVariables(approved: readonly Permission[]): string[] {
	return [
		'PATH',
		'LANG',
		'TZ',
		...approved.flatMap((permission) => (permission.domain === 'env' ? [permission.variable] : [])),
	];
}

/**
 * The environment of a run: an allowlist, never the caller's environment.
 * PATH, LANG and TZ; a HOME and TMPDIR inside the agent's data directory;
 * `AGENTSPACE_AGENT_ID`, `AGENTSPACE_RUN_ID`, `AGENTSPACE_SESSION_TOKEN`,
 * `AGENTSPACE_SOCKET`; each approved `env:read:` variable the caller has; each
 * approved secret as `AGENTSPACE_SECRET_<NAME>`. A cloud key in the caller's
 * environment reaches the agent only if the user approved exactly it.
 */
export function runEnvironment(input: RunEnvironmentInput): NodeJS.ProcessEnv {
	const home = join(input.paths.data, 'home');
	const tmp = join(input.paths.data, 'tmp');
	mkdirSync(home, { recursive: true, mode: 0o700 });
	mkdirSync(tmp, { recursive: true, mode: 0o700 });
	const env: NodeJS.ProcessEnv = { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: home, TMPDIR: tmp };
	for (const name of callerVariables(input.approved)) {
		const value = input.callerEnv[name];
		// AGENTSPACE_* are AgentSpace's own: an approved env:read: of one
		// (parsePermission refuses new ones; an enablement from before may
		// hold one) never passes the caller's, nor replaces the run's session
		// token, id, socket or secrets.
		if (value !== undefined && !name.toUpperCase().startsWith('AGENTSPACE_')) env[name] = value;
	}
	Object.assign(env, {
		AGENTSPACE_AGENT_ID: input.agentId,
		AGENTSPACE_RUN_ID: input.runId,
		AGENTSPACE_SESSION_TOKEN: input.sessionToken,
	});
	if (input.socketPath !== undefined) env.AGENTSPACE_SOCKET = input.socketPath;
	for (const permission of input.approved) {
		if (permission.domain === 'secret') {
			const value = input.secrets?.[permission.name];
			if (value !== undefined) env[secretVariable(permission.name)] = value;
		}
	}
	return env;
}

/** The longest approved value a run's log may show; longer ones are hidden. */
const PLAIN_VALUE_MAX = 64;
// Letters (any script), digits, spaces and common punctuation: a name, a
// greeting, a path, a plain URL. No control characters, quotes or backslashes.
const PLAIN_VALUE_CHARS = /^[\p{L}\p{M}\p{N} .,:;!?'()[\]{}<>@#%&*+=/_~|$^-]*$/u;
// Runs of the characters tokens are written in (hex, base64, base64url, JWT):
// one of 16 or more that mixes letters and digits looks like a credential.
const TOKEN_RUN = /[A-Za-z0-9_+/=.~-]{16,}/g;
// A URL carrying a user (and usually a password) before its host.
const URL_WITH_CREDENTIALS = /:\/\/[^\s/?#]*@/;

/**
 * True when an approved variable's value looks like plain text rather than a
 * credential: at most 64 characters of letters, digits, spaces and common
 * punctuation, no run of 16 or more token characters mixing letters and
 * digits (`ghp_…`, a hex or base64 key), no `scheme://user:pass@`, and
 * nothing the credential patterns would redact.
 */
export function looksLikePlainText(value: string): boolean {
	if (value.length > PLAIN_VALUE_MAX || !PLAIN_VALUE_CHARS.test(value)) return false;
	if (URL_WITH_CREDENTIALS.test(value)) return false;
	for (const run of value.match(TOKEN_RUN) ?? []) {
		if (/[A-Za-z]/.test(run) && /[0-9]/.test(run)) return false;
	}
	return redactText(value) === value;
}

/**
 * Whether a run's log shows the value of an approved `env:read:` variable:
 * only when its name does not look secret (isSecretVariable) and its value
 * looks like plain text (looksLikePlainText). `HELLO_NAME=Ada` is shown;
 * `SLACK_WEBHOOK_URL=…`, `SOME_VAR=ghp_…` and `DATABASE_URL=postgres://u:p@…`
 * are hidden. Approval says the agent may read a value, not that a log may.
 */
export function runLogShowsVariable(name: string, value: string): boolean {
	return !isSecretVariable(name) && looksLikePlainText(value);
}

/**
 * The values a run's log must never hold, taken from its environment: the
 * session token (`AGENTSPACE_SESSION_TOKEN`, which the generic credential
 * patterns do not recognise), every approved secret (`AGENTSPACE_SECRET_*`),
 * and each approved `env:read:` variable's value unless runLogShowsVariable
 * says it may be shown. The credential patterns still apply to every line.
 */
export function runLogSecrets(env: NodeJS.ProcessEnv, approved: readonly Permission[]): string[] {
	const names = [
		'AGENTSPACE_SESSION_TOKEN',
		...Object.keys(env).filter((name) => name.startsWith('AGENTSPACE_SECRET_')),
		...approved.flatMap((permission) => {
			if (permission.domain !== 'env') return [];
			const value = env[permission.variable];
			return value !== undefined && !runLogShowsVariable(permission.variable, value)
				? [permission.variable]
				: [];
		}),
	];
	return [...new Set(names)].flatMap((name) => (env[name] === undefined ? [] : [env[name]]));
}
