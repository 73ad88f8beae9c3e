import { posix } from 'node:path';
import type { FieldIssue, ValidationResult } from '@agentspace/core';
import { formatPermission, parsePermission } from '../permissions/parsePermission.js';
import type { SandboxPolicy } from './sandboxPolicy.js';

// Checked by hand rather than with Zod: the sandbox host validates this on
// every agent start, and loading Zod (with @agentspace/core's index) would add
// about 100 ms to it. Only type imports from core here.

/** What the sandbox host is given (one JSON argument): the policy and the agent's argv. */
export interface SandboxLaunch extends SandboxPolicy {
	/** The agent's command and arguments: never a shell string. */
	readonly argv: readonly string[];
}

type Check = (value: unknown) => string | undefined;

const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

const runId: Check = (value) =>
	typeof value === 'string' && RUN_ID.test(value)
		? undefined
		: 'must be 1-128 letters, digits, ".", "_" or "-"';

// Absolute and already normalised: the host passes paths to bwrap as they are,
// so a path that means something else than it reads is refused, not fixed.
const absolutePath: Check = (value) => {
	if (typeof value !== 'string' || value.length === 0 || value.length > 4096) {
		return 'must be a path of 1-4096 characters';
	}
	if (value.includes('\0')) return 'must not contain a NUL character';
	const normalised =
		value.startsWith('/') &&
		posix.normalize(value) === value &&
		(value === '/' || !value.endsWith('/'));
	return normalised
		? undefined
		: 'must be an absolute, normalised path (no "..", "." or "//", no trailing "/")';
};

// The syntax of `network:egress:` permissions, in canonical (lowercase) form,
// so the proxy matches exactly what was approved.
const hostPattern: Check = (value) => {
	if (typeof value === 'string') {
		const parsed = parsePermission(`network:egress:${value}`, { home: '/', agentDir: '/' });
		if (parsed.ok && formatPermission(parsed.value) === `network:egress:${value}`) return undefined;
	}
	return 'must be a lowercase host name, IPv4 address or [IPv6] address, optionally "*." in front and ":port" after';
};

const argvWord: Check = (value) => {
	if (typeof value !== 'string' || value.length > 131_072) {
		return 'must be a string of at most 131072 characters';
	}
	return value.includes('\0') ? 'must not contain a NUL character' : undefined;
};

const LISTS: Readonly<Record<string, readonly [Check, number]>> = {
	allowWrite: [absolutePath, 1000],
	denyWrite: [absolutePath, 10_000],
	denyRead: [absolutePath, 1000],
	allowRead: [absolutePath, 1000],
	allowedHosts: [hostPattern, 1000],
	argv: [argvWord, 4096],
};
const SINGLES: Readonly<Record<string, Check>> = {
	runId,
	cwd: absolutePath,
	tmpdir: absolutePath,
	dataDir: absolutePath,
};

// socat reads the socket's path inside an address (`UNIX-CONNECT:<path>`),
// where ",", ":" and "!" mean something, and a Unix socket's path holds at
// most 107 bytes: only plain paths that fit.
const SOCKET_PATH = /^\/[A-Za-z0-9_./-]{1,106}$/;

function llmBridgeProblems(value: unknown): FieldIssue[] {
	if (typeof value !== 'object' || value === null || Array.isArray(value))
		return [{ path: '', message: 'must be an object { port, socketPath }' }];
	const { port, socketPath, ...rest } = value as Record<string, unknown>;
	const issues: FieldIssue[] = Object.keys(rest).map((field) => ({
		path: `.${field}`,
		message: 'unknown field',
	}));
	if (!Number.isInteger(port) || (port as number) < 1 || (port as number) > 65535)
		issues.push({ path: '.port', message: 'must be a port number from 1 to 65535' });
	if (
		typeof socketPath !== 'string' ||
		!SOCKET_PATH.test(socketPath) ||
		absolutePath(socketPath) !== undefined
	)
		issues.push({
			path: '.socketPath',
			message:
				'must be an absolute, normalised path of at most 107 letters, digits, ".", "_", "-" and "/"',
		});
	return issues;
}

/** Checks a launch (policy + argv), returning every problem found. */
export function validateSandboxLaunch(input: unknown): ValidationResult<SandboxLaunch> {
	if (typeof input !== 'object' || input === null || Array.isArray(input)) {
		return { ok: false, errors: [{ path: '(root)', message: 'must be a JSON object' }] };
	}
	const record = input as Record<string, unknown>;
	const errors: FieldIssue[] = [];
	for (const [field, check] of Object.entries(SINGLES)) {
		const message = check(record[field]);
		if (message !== undefined) errors.push({ path: field, message });
	}
	for (const [field, [check, max]] of Object.entries(LISTS)) {
		const list = record[field];
		if (!Array.isArray(list) || list.length > max) {
			errors.push({ path: field, message: `must be a list of at most ${max} entries` });
			continue;
		}
		list.forEach((entry, index) => {
			const message = check(entry);
			if (message !== undefined) errors.push({ path: `${field}[${index}]`, message });
		});
	}
	const argv = record.argv;
	if (Array.isArray(argv) && (argv.length === 0 || argv[0] === '')) {
		errors.push({ path: 'argv[0]', message: 'the command must be given and not be empty' });
	}
	if (record.llmBridge !== undefined) {
		for (const issue of llmBridgeProblems(record.llmBridge))
			errors.push({ path: `llmBridge${issue.path}`, message: issue.message });
	}
	for (const field of Object.keys(record)) {
		if (!(field in SINGLES) && !(field in LISTS) && field !== 'llmBridge')
			errors.push({ path: field, message: 'unknown field' });
	}
	return errors.length === 0
		? { ok: true, value: record as unknown as SandboxLaunch }
		: { ok: false, errors };
}

/** Parses the sandbox host's JSON argument; a missing or malformed one is an error at `(root)`. */
export function parseSandboxLaunch(text: string | undefined): ValidationResult<SandboxLaunch> {
	if (text === undefined || text === '') {
		return {
			ok: false,
			errors: [{ path: '(root)', message: 'missing: pass the policy as one JSON argument' }],
		};
	}
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch (error) {
		return {
			ok: false,
			errors: [{ path: '(root)', message: `not JSON: ${(error as Error).message}` }],
		};
	}
	return validateSandboxLaunch(json);
}
