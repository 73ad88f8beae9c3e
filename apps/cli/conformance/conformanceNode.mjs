// The conformance suite needs a newer Node than AgentSpace itself (it calls
// fs.globSync, new in Node 22), so the harness may run it under another Node
// than its own.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The oldest Node major the conformance suite runs on. */
export const SUITE_MIN_NODE_MAJOR = 22;

/** The major version a `node --version` string (`v24.21.0`) or `process.versions.node` names, or undefined. */
export function nodeMajor(version) {
	const match = /^v?(\d+)\./.exec(version.trim());
	return match === null ? undefined : Number(match[1]);
}

function versionOf(binary) {
	const result = spawnSync(binary, ['--version'], { encoding: 'utf8', timeout: 10_000 });
	return result.status === 0 ? result.stdout.trim() : undefined;
}

/**
 * A Node binary of at least {@link SUITE_MIN_NODE_MAJOR} to run the suite, or
 * a refusal saying why none was found. Looked for, in order: the one in
 * `AGENTSPACE_CONFORMANCE_NODE` (a wrong one is refused, not skipped), the
 * Node running this harness, and the portable Nodes CI unpacks under
 * `<repoRoot>/.tools/node-<version>/bin/node`.
 *
 * @param {{
 *   env: Record<string, string | undefined>,
 *   repoRoot: string,
 *   self?: { version: string, execPath: string },
 * }} where `self` is the Node running the harness (this process by default)
 * @returns {{ node: string, version: string } | { refusal: string, hint: string }}
 */
export function findConformanceNode({
	env,
	repoRoot,
	self = { version: process.versions.node, execPath: process.execPath },
}) {
	const wanted = `Node >= ${SUITE_MIN_NODE_MAJOR}`;
	const hint = `run it under Node ${SUITE_MIN_NODE_MAJOR} or later, or set AGENTSPACE_CONFORMANCE_NODE=/path/to/node (Node ${SUITE_MIN_NODE_MAJOR} or later)`;
	const chosen = env.AGENTSPACE_CONFORMANCE_NODE;
	if (chosen !== undefined && chosen !== '') {
		const version = existsSync(chosen) ? versionOf(chosen) : undefined;
		if (version === undefined) {
			return {
				refusal: `AGENTSPACE_CONFORMANCE_NODE=${chosen} is not a Node binary that runs`,
				hint,
			};
		}
		if ((nodeMajor(version) ?? 0) < SUITE_MIN_NODE_MAJOR) {
			return {
				refusal: `AGENTSPACE_CONFORMANCE_NODE=${chosen} is Node ${version}; the conformance suite needs ${wanted}`,
				hint,
			};
		}
		return { node: chosen, version };
	}
	if ((nodeMajor(self.version) ?? 0) >= SUITE_MIN_NODE_MAJOR) {
		return { node: self.execPath, version: `v${self.version.replace(/^v/, '')}` };
	}
	const tools = join(repoRoot, '.tools');
	const unpacked = existsSync(tools)
		? readdirSync(tools)
				.filter((name) => /^node-\d+\.\d+\.\d+$/.test(name))
				.sort((a, b) => (nodeMajor(b.slice(5)) ?? 0) - (nodeMajor(a.slice(5)) ?? 0))
		: [];
	for (const name of unpacked) {
		const binary = join(tools, name, 'bin', 'node');
		const version = existsSync(binary) ? versionOf(binary) : undefined;
		if (version !== undefined && (nodeMajor(version) ?? 0) >= SUITE_MIN_NODE_MAJOR) {
			return { node: binary, version };
		}
	}
	return {
		refusal: `the conformance suite needs ${wanted} (it uses fs.globSync); this is Node v${self.version.replace(/^v/, '')} and no newer Node was found in ${tools}`,
		hint,
	};
}
