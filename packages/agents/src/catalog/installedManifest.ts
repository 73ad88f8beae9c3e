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
