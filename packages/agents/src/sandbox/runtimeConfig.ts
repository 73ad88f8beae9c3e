import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { SandboxRuntimeConfig } from '@anthropic-ai/sandbox-runtime';
import { isAtOrBelow, isBelow } from './pathWithin.js';
import type { SandboxPolicy } from './sandboxPolicy.js';

/**
 * `dir`'s entries, without the writable paths below it: entries that are
 * writable paths are left out, entries above one are split in turn.
 */
function splitAround(dir: string, writable: readonly string[]): string[] {
	let names: string[];
	try {
		names = readdirSync(dir);
	} catch {
		return [];
	}
	return names.flatMap((name) => {
		const entry = join(dir, name);
		if (writable.includes(entry)) return [];
		return writable.some((path) => isBelow(path, entry)) ? splitAround(entry, writable) : [entry];
	});
}

/**
 * The read re-allowances to hand the library. In 0.0.78 bubblewrap mounts each
 * `allowRead` path read-only AFTER putting the writable paths back over a
 * hidden area, so an `allowRead` directory above a writable one (the agent's
 * directory above its data directory) made that writable path read-only.
 * Such a directory is given as its entries instead, minus the writable paths.
 * Nothing can appear in it meanwhile except through those writable paths.
 */
export function readAllowances(policy: SandboxPolicy): string[] {
	const hidden = (path: string) => policy.denyRead.some((denied) => isAtOrBelow(path, denied));
	const rebound = policy.allowWrite.filter(hidden);
	return policy.allowRead.flatMap((path) =>
		rebound.some((write) => isBelow(write, path)) ? splitAround(path, rebound) : [path],
	);
}

/**
 * The library configuration for a policy: one network allowlist for the whole
 * host process (the library keeps one), strict so no host outside it is ever
 * asked about; the policy's filesystem rules.
 */
export function sandboxRuntimeConfig(
	policy: SandboxPolicy,
	bwrapPath: string | undefined,
): SandboxRuntimeConfig {
	return {
		network: {
			// `host:port` entries are matched on that port only (the library
			// splits the suffix off and compares the destination port).
			allowedDomains: [...policy.allowedHosts],
			deniedDomains: [],
			strictAllowlist: true,
		},
		filesystem: {
			denyRead: [...policy.denyRead],
			allowRead: readAllowances(policy),
			allowWrite: [...policy.allowWrite],
			denyWrite: [...policy.denyWrite],
		},
		...(bwrapPath === undefined ? {} : { bwrapPath }),
	};
}
