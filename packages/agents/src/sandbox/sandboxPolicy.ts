import { isAbsolute, join, normalize } from 'node:path';
import { PermissionDeniedError, ValidationError } from '@agentspace/core';
import type { AgentPaths } from '../agentPaths.js';
import { type GitProtection, protectGitDirs } from '../gitGuard/protectGitDirs.js';
import { formatPermission } from '../permissions/parsePermission.js';
import type { Permission } from '../permissions/types.js';
import { CREDENTIAL_STORES } from './credentialStores.js';
import { isAtOrBelow, isBelow } from './pathWithin.js';

/**
 * What the OS sandbox enforces for one run. Every path is absolute and
 * normalised. Reads are allowed everywhere except `denyRead` (with `allowRead`
 * re-opening parts of it); writes only to `allowWrite` (minus `denyWrite`);
 * the network only to `allowedHosts`, through the sandbox's filtering proxy.
 */
export interface SandboxPolicy {
	/** The run's id: it names the run in the proxy's credentials instead of the command text. */
	readonly runId: string;
	/** Where the agent starts: its checkout. */
	readonly cwd: string;
	/** The agent's TMPDIR (inside its data directory). */
	readonly tmpdir: string;
	/** The agent's data directory: always writable; the sandbox host works from there. */
	readonly dataDir: string;
	readonly allowWrite: readonly string[];
	readonly denyWrite: readonly string[];
	readonly denyRead: readonly string[];
	readonly allowRead: readonly string[];
	/** `host`, `host:port`, `*.domain[:port]` or `[v6]:port`, as the proxy matches them. */
	readonly allowedHosts: readonly string[];
	/**
	 * A run approved for `llm:` with the daemon's LLM endpoint: inside the
	 * sandbox, 127.0.0.1:<port> is bridged to the endpoint's Unix socket
	 * (Linux; see directBwrapArgv). Absent: nothing of the endpoint reachable.
	 */
	readonly llmBridge?: LlmBridge;
}

/** The LLM endpoint's port (inside the sandbox, on its loopback) and its Unix socket on the host. */
export interface LlmBridge {
	readonly port: number;
	readonly socketPath: string;
}

/** What {@link sandboxPolicyFor} derives a policy from. */
export interface SandboxPolicyInput {
	/** The AgentSpace home: hidden from agents as a whole. */
	readonly agentHome: string;
	/** The user's home directory, where the credential stores are. */
	readonly userHome: string;
	readonly paths: AgentPaths;
	/** The agent's checkout (where it runs); normally `paths.src`. */
	readonly installPath: string;
	readonly runId: string;
	/** The approved permissions, paths resolved (see assertRunnable). */
	readonly approved: readonly Permission[];
	/**
	 * Given the git protection the policy's `denyWrite` was made from (every
	 * repository below the writable paths): the supervisor keeps it for the
	 * end-of-run check (gitGuard/).
	 */
	readonly onGitProtection?: (protection: GitProtection) => void;
	/** The daemon's LLM endpoint: bridged into the sandbox when an `llm:` permission is approved. */
	readonly llmEndpoint?: LlmBridge;
}

const unique = (list: readonly string[]): string[] => [...new Set(list)];

/**
 * The folders of the home directory the sandbox library makes writable in
 * every sandbox unasked (its getDefaultWritePaths): denied again, as the
 * rest of the user's files are read-only.
 */
const LIBRARY_HOME_WRITE_DIRS: readonly string[] = ['.npm/_logs', '.claude/debug'];

/** The paths of `list` no other one contains (a directory re-opened covers what is below it). */
const outermost = (list: readonly string[]): string[] =>
	unique(list).filter((path, _, all) => !all.some((other) => isBelow(path, other)));

function absoluteDir(field: string, path: string): string {
	if (!isAbsolute(path)) {
		throw new ValidationError(`${field} must be an absolute path, got "${path}"`, {
			hint: 'pass absolute paths (resolve them first)',
			issues: [{ path: field, message: 'must be an absolute path' }],
		});
	}
	const normalised = normalize(path);
	return normalised.length > 1 && normalised.endsWith('/') ? normalised.slice(0, -1) : normalised;
}

/**
 * The sandbox policy of one run of an agent, from what the user approved:
 * - writes: the agent's data directory and each approved `filesystem:write`
 *   path, never `.git/hooks` or `.git/config` of any repository in them at any
 *   depth (see protectGitDirs), nor the library's shared
 *   `/tmp/claude`, nor the user's `~/.npm/_logs` and `~/.claude/debug` the
 *   library opens by default (unless an approved write path covers them);
 * - reads: everything except the user's credential stores (`~/.ssh`, `~/.aws`,
 *   … unless `filesystem:read` approved that path or a directory above it) and
 *   the AgentSpace home (its database, tokens, logs and the other agents); the
 *   agent's own directory and approved paths inside a hidden area stay
 *   readable. A `filesystem:write` path is readable too: the sandbox cannot
 *   grant writing without reading;
 * - network: the approved `network:egress` hosts, a port kept when one was
 *   approved (the library's allowlist takes `host:port` and then matches that
 *   port only); none by default. With an approved `llm:` permission and the
 *   daemon's LLM endpoint, its port on the sandbox's loopback (`llmBridge`).
 * An approval that reaches into the AgentSpace home outside the agent's own
 * directory is refused with `PERMISSION_DENIED`.
 */
export function sandboxPolicyFor(input: SandboxPolicyInput): SandboxPolicy {
	const agentHome = absoluteDir('agentHome', input.agentHome);
	const userHome = absoluteDir('userHome', input.userHome);
	const { paths } = input;
	const reads: string[] = [];
	const writes: string[] = [];
	const hosts: string[] = [];
	for (const permission of input.approved) {
		if (permission.domain === 'filesystem') {
			if (isAtOrBelow(permission.path, agentHome) && !isAtOrBelow(permission.path, paths.root)) {
				// The home holds the database (with every approval), the audit log,
				// tokens and the other agents: an agent that could touch it could
				// approve itself anything.
				throw new PermissionDeniedError(
					`the approved permission ${formatPermission(permission)} reaches into the AgentSpace home (${agentHome}), which agents may never ${permission.action}`,
					{
						hint: 'enable the agent again and leave that permission out: agentspace agents enable <id>',
					},
				);
			}
			(permission.action === 'read' ? reads : writes).push(permission.path);
		} else if (permission.domain === 'network') {
			hosts.push(
				permission.port === undefined ? permission.host : `${permission.host}:${permission.port}`,
			);
		}
	}
	const allowWrite = unique([paths.data, ...writes]);
	// Every repository below the writable paths, at any depth (bounded).
	const git = protectGitDirs(allowWrite);
	input.onGitProtection?.(git);
	const denyRead = unique([
		...CREDENTIAL_STORES.map((store) => join(userHome, store)).filter(
			(store) => !reads.some((read) => isAtOrBelow(store, read)),
		),
		agentHome,
	]);
	const hidden = (path: string) => denyRead.some((denied) => isAtOrBelow(path, denied));
	return {
		runId: input.runId,
		cwd: input.installPath,
		tmpdir: join(paths.data, 'tmp'),
		dataDir: paths.data,
		allowWrite,
		// `/tmp/claude` is writable by default in every sandbox the library
		// makes (and shared by all of them); we give each agent its own TMPDIR.
		// So are two folders of the home directory (its getDefaultWritePaths),
		// the user's own unless an approval covers them.
		denyWrite: unique([
			...git.denyWrite,
			'/tmp/claude',
			'/private/tmp/claude',
			...LIBRARY_HOME_WRITE_DIRS.map((dir) => join(userHome, dir)).filter(
				(dir) => !writes.some((write) => isAtOrBelow(dir, write)),
			),
		]),
		denyRead,
		allowRead: outermost([paths.root, ...[input.installPath, ...reads, ...writes].filter(hidden)]),
		allowedHosts: unique(hosts),
		// Only for a run approved for some provider: the endpoint refuses the
		// others itself, and a run with none has no reason to reach it.
		...(input.llmEndpoint !== undefined &&
		input.approved.some((permission) => permission.domain === 'llm')
			? { llmBridge: { port: input.llmEndpoint.port, socketPath: input.llmEndpoint.socketPath } }
			: {}),
	};
}
