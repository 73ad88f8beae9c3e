import { ConflictError, NotFoundError, secretVariable } from '@agentspace/core';
import {
	type AgentSpaceDb,
	type AuditRecord,
	prepared,
	withImmediateTransaction,
} from '@agentspace/db';
import type { Actor } from '@agentspace/events';
import type { Vault, VaultStorage } from '../vault/vaultTypes.js';
import { fingerprintOf } from './fingerprint.js';
import { appendKeyChange } from './recordKeyChange.js';
import { checkSecretName, checkSecretValue } from './storeInput.js';

/** One secret as `secrets list` shows it: never the value. */
export interface SecretInfo {
	readonly name: string;
	readonly fingerprint: string;
	readonly storage: VaultStorage;
	readonly setAt: string;
	readonly setBy: string;
}

interface Row {
	name: string;
	fingerprint: string;
	storage: VaultStorage;
	set_at: string;
	set_by: string;
}

const secretRow = (db: AgentSpaceDb, name: string) =>
	prepared(
		db.$client,
		'SELECT name, fingerprint, storage, set_at, set_by FROM secrets WHERE name = ?',
	).get(name) as Row | undefined;

/**
 * Sets (or replaces) a secret: the value to the vault, then `secret_set` and
 * its audit entry. The vault goes first: a crash before the event leaves a
 * value no row names, or a replaced value under its old fingerprint — never
 * a row without a value.
 */
export async function setSecret(
	db: AgentSpaceDb,
	vault: Vault,
	options: {
		readonly name: string;
		readonly value: string;
		readonly actor: Actor;
		readonly sourceApp?: string;
	},
): Promise<{
	readonly name: string;
	readonly fingerprint: string;
	readonly storage: VaultStorage;
	readonly replaced: boolean;
	readonly audit: AuditRecord;
}> {
	assertSecretSettable(db, options.name);
	checkSecretValue(options.value);
	const fingerprint = fingerprintOf(options.value);
	await vault.set({ kind: 'secret', name: options.name }, options.value);
	let replaced = false;
	const audit = withImmediateTransaction(db, (tx) => {
		replaced = secretRow(tx, options.name) !== undefined;
		return appendKeyChange(tx, {
			actor: options.actor,
			event: 'secret_set',
			fields: { name: options.name, fingerprint, storage: vault.storage, replaced },
			auditType: 'secret_set',
			severity: 'security',
			subject: { type: 'secret', id: options.name },
			metadata: { name: options.name, fingerprint, storage: vault.storage, replaced },
			...(options.sourceApp === undefined ? {} : { sourceApp: options.sourceApp }),
		});
	});
	return { name: options.name, fingerprint, storage: vault.storage, replaced, audit };
}

/**
 * Throws unless a secret named `name` could be set: a valid name whose
 * `AGENTSPACE_SECRET_` variable no other secret has. `secrets set` asks
 * before it reads the value, so a bad name is not typed a secret for.
 */
export function assertSecretSettable(db: AgentSpaceDb, name: string): void {
	checkSecretName(name);
	refuseSharedVariable(db, name);
}

/**
 * Refuses a new secret whose variable another secret already has (`a-b`
 * beside `a_b`, `gh_token` beside `GH_TOKEN`): a run approved for both would
 * get one value under that variable, silently. Replacing the same name is fine.
 */
function refuseSharedVariable(db: AgentSpaceDb, name: string): void {
	const variable = secretVariable(name);
	const rows = prepared(db.$client, 'SELECT name FROM secrets').all() as { name: string }[];
	const other = rows
		.map((row) => row.name)
		.find((existing) => existing !== name && secretVariable(existing) === variable);
	if (other !== undefined) {
		throw new ConflictError(
			`secret ${name} would be passed to runs as ${variable}, as secret ${other} already is`,
			{
				hint: `use a name that differs in more than case and ".", "-", "_" — or replace it: agentspace secrets set ${other}`,
			},
		);
	}
}

/**
 * Removes a secret: `secret_removed` and its audit entry, then the value from
 * the vault (the event first: a crash in between leaves a value no row names,
 * not a row whose value is gone). NOT_FOUND when there is none.
 */
export async function removeSecret(
	db: AgentSpaceDb,
	vault: Vault,
	options: { readonly name: string; readonly actor: Actor; readonly sourceApp?: string },
): Promise<{ readonly name: string; readonly audit: AuditRecord }> {
	checkSecretName(options.name);
	const audit = withImmediateTransaction(db, (tx) => {
		const row = secretRow(tx, options.name);
		if (row === undefined) {
			throw new NotFoundError(`no secret ${options.name}`, {
				hint: 'see the secrets AgentSpace holds: agentspace secrets list',
			});
		}
		return appendKeyChange(tx, {
			actor: options.actor,
			event: 'secret_removed',
			fields: { name: options.name },
			auditType: 'secret_removed',
			severity: 'security',
			subject: { type: 'secret', id: options.name },
			metadata: { name: options.name, fingerprint: row.fingerprint },
			...(options.sourceApp === undefined ? {} : { sourceApp: options.sourceApp }),
		});
	});
	await vault.delete({ kind: 'secret', name: options.name });
	return { name: options.name, audit };
}

/** Every secret, by name. */
export function listSecrets(db: AgentSpaceDb): readonly SecretInfo[] {
	return (
		prepared(
			db.$client,
			'SELECT name, fingerprint, storage, set_at, set_by FROM secrets ORDER BY name',
		).all() as Row[]
	).map((row) => ({
		name: row.name,
		fingerprint: row.fingerprint,
		storage: row.storage,
		setAt: row.set_at,
		setBy: row.set_by,
	}));
}

/**
 * The values of the named secrets that exist (for a run's approved
 * `secret:read:` permissions); a name with no secret, or whose value the
 * vault lost, is left out — the caller says which.
 */
export async function readSecrets(
	db: AgentSpaceDb,
	vault: Vault,
	names: readonly string[],
): Promise<Record<string, string>> {
	const values: Record<string, string> = {};
	for (const name of new Set(names)) {
		if (secretRow(db, name) === undefined) continue;
		const value = await vault.get({ kind: 'secret', name });
		if (value !== undefined && value !== '') values[name] = value;
	}
	return values;
}
