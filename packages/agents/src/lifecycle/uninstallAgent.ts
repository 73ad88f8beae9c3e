import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ConflictError, homePaths } from '@agentspace/core';
import type { AgentSpaceDb, AuditRecord } from '@agentspace/db';
import { agentPaths } from '../agentPaths.js';
import { assertNotRunning } from '../catalog/assertNotRunning.js';
import { type ChangeActor, recordChange } from '../catalog/recordChange.js';
import { requireAgent } from '../catalog/requireAgent.js';

/** Options of {@link uninstallAgent}. */
export interface UninstallOptions {
	readonly db: AgentSpaceDb;
	readonly home: string;
	readonly id: string;
	readonly actor: ChangeActor;
	readonly sourceApp?: string;
}

/**
 * Removes an agent's directory (`<home>/agents/<id>`: checkout, build home)
 * and records `agent_uninstalled`; its events, audit entries and logs stay.
 * The directory is moved aside first and deleted only after the record
 * commits, so a failure leaves the install as it was.
 */
export function uninstallAgent(options: UninstallOptions): {
	id: string;
	removed: string;
	audit: AuditRecord;
} {
	const agent = requireAgent(options.db, options.id);
	if (agent.installPath === null) {
		throw new ConflictError(`agent "${agent.id}" is not installed`, {
			hint: '`agentspace agents list` shows what is installed',
		});
	}
	assertNotRunning(agent);
	const root = agentPaths(options.home, agent.id).root;
	const aside = join(
		homePaths(options.home).agentsDir,
		`.uninstall-${randomBytes(4).toString('hex')}`,
	);
	const present = statSync(root, { throwIfNoEntry: false }) !== undefined;
	if (present) renameSync(root, aside);
	try {
		const recorded = recordChange(options.db, {
			actor: options.actor,
			...(options.sourceApp === undefined ? {} : { sourceApp: options.sourceApp }),
			events: [{ type: 'agent_uninstalled', fields: { agent_id: agent.id } }],
			audit: {
				eventType: 'agents.uninstalled',
				agentId: agent.id,
				metadata: { removed: root, commit: agent.installedCommit, checkoutWasPresent: present },
			},
		});
		rmSync(aside, { recursive: true, force: true });
		return { id: agent.id, removed: root, audit: recorded.audit };
	} catch (error) {
		if (present) renameSync(aside, root);
		throw error;
	}
}
