import { join } from 'node:path';
import { ConflictError, formatIssues } from '@agentspace/core';
import { MANIFEST_FILE, type ParsedManifest } from '../manifest/parseManifest.js';
import { readManifestFile } from '../manifest/readManifestFile.js';
import type { AgentRecord } from './agentRecord.js';

/**
 * Reads the manifest of an installed agent's checkout. A missing or invalid
 * one is a `CONFLICT` saying to reinstall. The hash is returned, not compared:
 * callers decide whether a change is drift or a refusal.
 */
export function readInstalledManifest(
	agent: AgentRecord & { readonly installPath: string },
): ParsedManifest {
	const parsed = readManifestFile(join(agent.installPath, MANIFEST_FILE));
	if (!parsed.ok) {
		throw new ConflictError(
			`the manifest of installed agent "${agent.id}" cannot be used:\n${formatIssues(parsed.errors)}`,
			{
				hint: `reinstall it: agentspace agents install ${agent.id}`,
				issues: parsed.errors,
			},
		);
	}
	return parsed.value;
}

/**
 * {@link readInstalledManifest}, refusing a manifest that changed on disk since
 * the catalogue recorded it: build steps or permissions edited behind the
 * catalogue's back are never run or approved. `then` ends the hint (what to do
 * after `agents discover`).
 */
export function readCataloguedManifest(
	agent: AgentRecord & { readonly installPath: string },
	then: string,
): ParsedManifest {
	const parsed = readInstalledManifest(agent);
	if (parsed.manifestHash !== agent.manifestHash) {
		throw new ConflictError(
			`the manifest in ${agent.installPath} changed since the catalogue recorded it`,
			{ hint: `run \`agentspace agents discover\` ${then}` },
		);
	}
	return parsed;
}
