import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { homePaths } from '@agentspace/core';
import type { AgentSpaceDb, AuditRecord } from '@agentspace/db';
import { type ChangeActor, recordPlannedChange } from '../catalog/recordChange.js';
import { MANIFEST_FILE } from '../manifest/parseManifest.js';
import { readManifestFile } from '../manifest/readManifestFile.js';
import type { DiscoveredManifest, IgnoredManifest, InvalidManifest } from './discoveredManifest.js';
import {
	type FindManifestsOptions,
	findManifests,
	isInside,
	type SkippedPath,
} from './findManifests.js';
import { type Candidate, type DiscoveryPlan, planDiscovery } from './planDiscovery.js';

/** Options of {@link discoverAgents}. */
export interface DiscoverOptions extends FindManifestsOptions {
	readonly db: AgentSpaceDb;
	/** The AgentSpace home: its `agents/` holds the installed checkouts. */
	readonly home: string;
	/** The roots to scan (see `scanRoots`); the home's `agents/` is always looked at. */
	readonly roots: readonly string[];
	readonly actor: ChangeActor;
	readonly sourceApp?: string;
}

/** Everything one scan found. */
export interface DiscoveryResult {
	readonly roots: readonly string[];
	readonly missingRoots: readonly string[];
	readonly agents: readonly DiscoveredManifest[];
	readonly invalid: readonly InvalidManifest[];
	readonly ignored: readonly IgnoredManifest[];
	readonly skipped: readonly SkippedPath[];
	readonly truncated: boolean;
	/** The audit entry, when the scan changed the catalogue. */
	readonly audit: AuditRecord | undefined;
}

const isUnder = (dir: string, path: string) => path !== dir && isInside(dir, path);

/** `<agents>/<id>/src/agentspace.agent.json` for every directory in the home's `agents/`. */
function installedManifests(agentsDir: string): string[] {
	let names: string[];
	try {
		names = readdirSync(agentsDir).sort();
	} catch {
		return [];
	}
	return names
		.filter((name) => !name.startsWith('.'))
		.map((name) => join(agentsDir, name, 'src', MANIFEST_FILE))
		.filter((path) => existsSync(path));
}

/**
 * Scans the roots for agent manifests and brings the catalogue up to date:
 * `agent_discovered` for a new id, `agent_updated` when a known agent's
 * manifest hash (or place) changed. Runs no code: it reads directories and
 * manifest files only. A bad manifest is reported with its path and every
 * error and the scan goes on.
 *
 * For an installed agent, only its checkout's manifest counts; copies
 * elsewhere (the author's working tree) are reported as ignored, so editing
 * one cannot change what was approved. The events and one `agents.discovered`
 * audit entry are written in one transaction; a scan that changes nothing
 * writes nothing.
 */
export function discoverAgents(options: DiscoverOptions): DiscoveryResult {
	const agentsDir = homePaths(options.home).agentsDir;
	// Found paths are real paths: compare with the real agents directory.
	const realAgentsDir = realPathOr(agentsDir);
	const found = findManifests(
		options.roots.filter((root) => realPathOr(root) !== realAgentsDir),
		options,
	);
	const paths = [
		...found.manifests.filter((path) => !isUnder(realAgentsDir, path)),
		...installedManifests(agentsDir),
	];
	const invalid: InvalidManifest[] = [];
	const byId = new Map<string, Candidate[]>();
	for (const path of paths) {
		const parsed = readManifestFile(path);
		if (!parsed.ok) {
			invalid.push({ path, errors: parsed.errors });
			continue;
		}
		const id = parsed.value.manifest.id;
		const installed = path === join(agentsDir, id, 'src', MANIFEST_FILE);
		if (isUnder(agentsDir, path) && !installed) {
			invalid.push({
				path,
				errors: [
					{
						path: 'id',
						message: `is "${id}", but the checkout is in agents/${relative(agentsDir, path).split(sep)[0]}/`,
					},
				],
			});
			continue;
		}
		byId.set(id, [...(byId.get(id) ?? []), { path, parsed: parsed.value, installed }]);
	}

	const { plan, audit } = recordPlan(options, byId);
	return {
		roots: [...options.roots],
		missingRoots: found.missingRoots,
		agents: plan.agents,
		invalid,
		ignored: plan.ignored,
		skipped: found.skipped,
		truncated: found.truncated,
		audit,
	};
}

// Planned again inside the write transaction: a scan that ran meanwhile may
// have recorded everything already, and then this one records nothing at all.
function recordPlan(
	options: DiscoverOptions,
	byId: ReadonlyMap<string, readonly Candidate[]>,
): { plan: DiscoveryPlan; audit: AuditRecord | undefined } {
	// A read-only look first: a scan that changes nothing takes no write lock.
	let plan = planDiscovery(options.db, byId);
	if (plan.events.length === 0) return { plan, audit: undefined };
	const recorded = recordPlannedChange(options.db, (tx) => {
		plan = planDiscovery(tx, byId);
		if (plan.events.length === 0) return undefined;
		const ids = (outcome: string) =>
			plan.agents.filter((a) => a.outcome === outcome).map((a) => a.id);
		return {
			actor: options.actor,
			...(options.sourceApp === undefined ? {} : { sourceApp: options.sourceApp }),
			events: plan.events,
			audit: {
				eventType: 'agents.discovered',
				metadata: { roots: [...options.roots], discovered: ids('new'), updated: ids('updated') },
			},
		};
	});
	return { plan, audit: recorded?.audit };
}

function realPathOr(path: string): string {
	try {
		return realpathSync(path);
	} catch {
		return path;
	}
}
