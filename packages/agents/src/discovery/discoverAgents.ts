import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { FieldIssue } from '@agentspace/core';
import { homePaths } from '@agentspace/core';
import type { AgentSpaceDb, AuditRecord } from '@agentspace/db';
import { getAgent } from '../catalog/agentRecord.js';
import { type AgentEventInput, type ChangeActor, recordChange } from '../catalog/recordChange.js';
import { MANIFEST_FILE, type ParsedManifest } from '../manifest/parseManifest.js';
import { readManifestFile } from '../manifest/readManifestFile.js';
import { type FindManifestsOptions, findManifests, type SkippedPath } from './findManifests.js';

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

/** A manifest the scan found and what it meant for the catalogue. */
export interface DiscoveredManifest {
	readonly id: string;
	readonly name: string;
	readonly version: string;
	readonly path: string;
	readonly manifestHash: string;
	/** new: `agent_discovered`; updated: `agent_updated`; unchanged: nothing recorded. */
	readonly outcome: 'new' | 'updated' | 'unchanged';
}

/** A manifest that did not parse, with every problem. */
export interface InvalidManifest {
	readonly path: string;
	readonly errors: readonly FieldIssue[];
}

/** A valid manifest that was not used because another one has the same id. */
export interface IgnoredManifest {
	readonly path: string;
	readonly id: string;
	/** The manifest used for that id instead. */
	readonly usedPath: string;
	readonly reason: string;
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

interface Candidate {
	readonly path: string;
	readonly parsed: ParsedManifest;
	/** Found at `<home>/agents/<id>/src/`: the installed copy. */
	readonly installed: boolean;
}

function isUnder(dir: string, path: string): boolean {
	const rel = relative(dir, path);
	return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..';
}

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

	const agents: DiscoveredManifest[] = [];
	const ignored: IgnoredManifest[] = [];
	const audit = recordChangesIfAny(options, byId, agents, ignored);
	return {
		roots: [...options.roots],
		missingRoots: found.missingRoots,
		agents: agents.sort((a, b) => (a.id < b.id ? -1 : 1)),
		invalid,
		ignored,
		skipped: found.skipped,
		truncated: found.truncated,
		audit,
	};
}

// Decides inside the write transaction, so two scans at once cannot both
// record the same agent as new.
function recordChangesIfAny(
	options: DiscoverOptions,
	byId: Map<string, Candidate[]>,
	agents: DiscoveredManifest[],
	ignored: IgnoredManifest[],
): AuditRecord | undefined {
	const events: AgentEventInput[] = [];
	const decide = (db: AgentSpaceDb) => {
		events.length = 0;
		agents.length = 0;
		ignored.length = 0;
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
	};
	// A read-only look first: a scan that changes nothing takes no write lock.
	decide(options.db);
	if (events.length === 0) return undefined;
	const ids = (outcome: string) => agents.filter((a) => a.outcome === outcome).map((a) => a.id);
	// Decided again under the write lock: a scan that ran meanwhile may have
	// recorded everything already, and then this one records nothing at all.
	const nothingLeft = new Error('nothing left to record');
	try {
		return recordChange(options.db, {
			actor: options.actor,
			...(options.sourceApp === undefined ? {} : { sourceApp: options.sourceApp }),
			check: (tx) => {
				decide(tx);
				if (events.length === 0) throw nothingLeft;
			},
			get events() {
				return events;
			},
			audit: {
				eventType: 'agents.discovered',
				get metadata() {
					return { roots: [...options.roots], discovered: ids('new'), updated: ids('updated') };
				},
			},
		}).audit;
	} catch (error) {
		if (error === nothingLeft) return undefined;
		throw error;
	}
}

function realPathOr(path: string): string {
	try {
		return realpathSync(path);
	} catch {
		return path;
	}
}
