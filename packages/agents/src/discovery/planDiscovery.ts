import type { AgentSpaceDb } from '@agentspace/db';
import { getAgent } from '../catalog/agentRecord.js';
import type { AgentEventInput } from '../catalog/recordChange.js';
import type { ParsedManifest } from '../manifest/parseManifest.js';
import type { DiscoveredManifest, IgnoredManifest } from './discoveredManifest.js';

/** A valid manifest a scan found. */
export interface Candidate {
	readonly path: string;
	readonly parsed: ParsedManifest;
	/** Found at `<home>/agents/<id>/src/`: the installed copy. */
	readonly installed: boolean;
}

/** What a scan means for the catalogue: the events to record, and what to report. */
export interface DiscoveryPlan {
	readonly events: AgentEventInput[];
	readonly agents: DiscoveredManifest[];
	readonly ignored: IgnoredManifest[];
}

/**
 * Compares the manifests found (grouped by id) with the catalogue and decides,
 * per id, which manifest counts (the installed checkout's, else the one
 * catalogued before, else the first by path) and what to record. Reads only.
 */
export function planDiscovery(
	db: AgentSpaceDb,
	byId: ReadonlyMap<string, readonly Candidate[]>,
): DiscoveryPlan {
	const events: AgentEventInput[] = [];
	const agents: DiscoveredManifest[] = [];
	const ignored: IgnoredManifest[] = [];
	for (const [id, candidates] of byId) {
		const known = getAgent(db, id);
		const live = known !== undefined && known.status !== 'uninstalled' ? known : undefined;
		const chosen =
			candidates.find((c) => c.installed) ??
			candidates.find((c) => c.path === live?.manifestPath) ??
			(candidates[0] as Candidate);
		for (const other of candidates) {
			if (other === chosen) continue;
			ignored.push({
				path: other.path,
				id,
				usedPath: chosen.path,
				reason: chosen.installed
					? 'the agent is installed: only its checkout’s manifest counts'
					: 'another manifest has the same id',
			});
		}
		if (live?.installPath != null && !chosen.installed) {
			// Installed, but its checkout has no valid manifest now: the copy found
			// elsewhere must not take its place (assertRunnable reports the checkout).
			ignored.push({
				path: chosen.path,
				id,
				usedPath: live.installPath,
				reason: 'the agent is installed, and its checkout has no valid manifest: reinstall it',
			});
			continue;
		}
		const { manifest, manifestHash, permissionsHash } = chosen.parsed;
		const fields = {
			agent_id: id,
			name: manifest.name,
			version: manifest.version,
			...(manifest.description === undefined ? {} : { description: manifest.description }),
			manifest_path: chosen.path,
			manifest_hash: manifestHash,
			permissions_hash: permissionsHash,
			requested_permissions: manifest.permissions,
			...(manifest.source === undefined ? {} : { source_url: manifest.source }),
		};
		let outcome: DiscoveredManifest['outcome'] = 'unchanged';
		if (live === undefined) {
			outcome = 'new';
			events.push({ type: 'agent_discovered', fields });
		} else if (live.manifestHash !== manifestHash || live.manifestPath !== chosen.path) {
			outcome = 'updated';
			events.push({
				type: 'agent_updated',
				fields: { ...fields, previous_manifest_hash: live.manifestHash },
			});
		}
		agents.push({
			id,
			name: manifest.name,
			version: manifest.version,
			path: chosen.path,
			manifestHash,
			outcome,
		});
	}
	return { events, agents: agents.sort((a, b) => (a.id < b.id ? -1 : 1)), ignored };
}
