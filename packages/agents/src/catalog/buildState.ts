import { join } from 'node:path';
import { MANIFEST_FILE } from '../manifest/parseManifest.js';
import { readManifestFile } from '../manifest/readManifestFile.js';
import type { AgentRecord } from './agentRecord.js';

/**
 * Where an agent stands with its build, as every front end shows it:
 * `built`, `build failed`, `building`, `no build` (its manifest has no build
 * steps: there is nothing to build), `not built` (it has some, never run or
 * not yet for this checkout), or `not installed` (discovered, nothing checked out).
 */
export type BuildState =
	| 'built'
	| 'build failed'
	| 'building'
	| 'no build'
	| 'not built'
	| 'not installed';

/** The build state of a catalogue entry (see {@link BuildState}). */
export function buildState(agent: AgentRecord): BuildState {
	switch (agent.buildStatus) {
		case 'built':
			return 'built';
		case 'failed':
			return 'build failed';
		case 'building':
			return 'building';
		default:
			// "not built" for what needs no build would send the user to build it.
			if (buildNeeded(agent) === false) return 'no build';
			return agent.installPath === null ? 'not installed' : 'not built';
	}
}

const neededByRecord = new WeakMap<AgentRecord, boolean | null>();

/**
 * Whether the manifest the catalogue recorded has build steps (`build`):
 * read from the checkout (or, not installed, where it was discovered); null
 * when it cannot be read or is no longer the one recorded (its hash differs).
 * Read once per record.
 */
export function buildNeeded(agent: AgentRecord): boolean | null {
	const known = neededByRecord.get(agent);
	if (known !== undefined) return known;
	const path =
		agent.installPath === null ? agent.manifestPath : join(agent.installPath, MANIFEST_FILE);
	const parsed = path === null ? undefined : readManifestFile(path);
	const needed =
		parsed?.ok === true && parsed.value.manifestHash === agent.manifestHash
			? parsed.value.manifest.build !== undefined
			: null;
	neededByRecord.set(agent, needed);
	return needed;
}
