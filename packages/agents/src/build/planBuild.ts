import type { AgentSpaceDb } from '@agentspace/db';
import type { AgentRecord } from '../catalog/agentRecord.js';
import { readCataloguedManifest } from '../catalog/installedManifest.js';
import { requireInstalled } from '../catalog/requireAgent.js';
import type { Manifest } from '../manifest/schema.js';

/** One build step: an argv run in the checkout. */
export type BuildStep = Manifest['entrypoint'];

/** What `build` would run, to show the user before asking. */
export interface BuildPlan {
	readonly agent: AgentRecord;
	/** The exact steps, in order, from the checkout's manifest. */
	readonly steps: readonly BuildStep[];
	/** The directory they run in (the checkout). */
	readonly cwd: string;
	/** The manifest the steps come from: `buildAgent` refuses if it changes before it runs. */
	readonly manifestHash: string;
}

/**
 * Reads the build steps from the installed checkout's manifest. The manifest
 * on disk must be the one the catalogue recorded: steps changed behind the
 * catalogue's back are refused, not run.
 */
export function planBuild(db: AgentSpaceDb, id: string): BuildPlan {
	const agent = requireInstalled(db, id);
	const parsed = readCataloguedManifest(
		agent,
		'to record the change (approvals will need renewing), then build again',
	);
	return {
		agent,
		steps: parsed.manifest.build?.steps ?? [],
		cwd: agent.installPath,
		manifestHash: parsed.manifestHash,
	};
}
