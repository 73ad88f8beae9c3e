import {
	formatIssues,
	homePaths,
	loadConfig,
	saveConfig,
	ValidationError,
	validateConfig,
} from '@agentspace/core';
import { appendAuditRecord, withImmediateTransaction } from '@agentspace/db';
import type { ActionResult } from '../../action.js';
import { CLI_SOURCE_APP, cliActor } from '../../actor.js';
import type { CommandContext } from '../../context.js';
import { openHomeDb } from '../../homeDb.js';
import {
	assertConfigKey,
	formatConfigValue,
	getConfigValue,
	parseConfigValue,
	READ_ONLY_KEYS,
	setConfigValue,
} from './configKeys.js';

/**
 * `config set <key> <value>`: validates the whole resulting config, then writes
 * it and its audit entry together — the file is replaced inside the audit
 * transaction, so a failed write leaves no audit entry and vice versa.
 * Changing `securityMode` is audited as `mode_changed`, anything else as `config_changed`.
 */
export async function configSet(
	ctx: CommandContext,
	rawKey: string,
	rawValue: string,
): Promise<ActionResult> {
	const key = assertConfigKey(rawKey);
	if (READ_ONLY_KEYS.includes(key)) {
		throw new ValidationError(`${key} is read-only`, {
			hint: 'AgentSpace sets it; nothing was changed',
			issues: [{ path: key, message: 'read-only' }],
		});
	}
	const location = { path: homePaths(ctx.home).configFile };
	const db = openHomeDb(ctx.home);
	try {
		// Read, check and write under the database's write lock: two concurrent
		// `config set`s then apply one after the other, and neither loses the
		// other's change while both are audited.
		const change = withImmediateTransaction(db, (tx) => {
			const current = loadConfig(location);
			const from = getConfigValue(current, key);
			const result = validateConfig(setConfigValue(current, key, parseConfigValue(from, rawValue)));
			if (!result.ok) {
				throw new ValidationError(
					`cannot set ${key} to "${rawValue}":\n${formatIssues(result.errors)}`,
					{
						hint: `nothing was changed; run \`agentspace config set --help\` for the keys and accepted values`,
						issues: result.errors,
					},
				);
			}
			const to = getConfigValue(result.value, key);
			if (JSON.stringify(from) === JSON.stringify(to)) return { from, to, auditId: undefined };
			const entry = appendAuditRecord(tx, {
				eventType: key === 'securityMode' ? 'mode_changed' : 'config_changed',
				actor: cliActor(),
				subject: { type: 'config', id: key },
				severity: key === 'securityMode' ? 'security' : 'info',
				sourceApp: CLI_SOURCE_APP,
				metadata: { setting: key, from, to },
			});
			// Replaced last: if it fails, the audit entry rolls back with it.
			saveConfig(location, result.value);
			return { from, to, auditId: entry.id };
		});
		const { from, to, auditId } = change;
		if (auditId === undefined) {
			ctx.output.data({ key, from, to, changed: false });
			ctx.output.line(`${key} is already ${formatConfigValue(to)}; nothing changed`);
			return;
		}
		ctx.output.data({ key, from, to, changed: true, auditId });
		ctx.output.line(
			`${key}: ${formatConfigValue(from)} → ${ctx.output.style.bold(formatConfigValue(to))}`,
		);
	} finally {
		db.$client.close();
	}
}
