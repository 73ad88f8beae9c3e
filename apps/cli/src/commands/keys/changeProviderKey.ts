import { addProviderKey, parseProvider, providerSpec, rotateProviderKey } from '@agentspace/keys';
import type { ActionResult } from '../../action.js';
import { CLI_SOURCE_APP, cliActor } from '../../actor.js';
import type { CommandContext } from '../../context.js';
import { openHomeDb } from '../../homeDb.js';
import { openHomeVault, storageLabel } from './openHomeVault.js';
import { readSecretValue, refuseValueArgument } from './readSecretValue.js';

/** Options of `keys add` and `keys rotate`. */
export interface KeysAddOptions {
	readonly baseUrl?: string;
	/** Positional arguments past the provider (a key typed on the command line): refused. */
	readonly extra?: number;
}

/** Adds or rotates a provider key, the value read from a prompt or stdin. */
export async function changeKey(
	ctx: CommandContext,
	providerText: string,
	options: KeysAddOptions,
	change: 'add' | 'rotate',
): Promise<ActionResult> {
	refuseValueArgument(
		options.extra ?? 0,
		`printf %s "$KEY" | agentspace keys ${change} ${providerText}`,
	);
	const provider = parseProvider(providerText);
	let value: string | undefined;
	if (providerSpec(provider).needsKey) {
		const keepHint =
			change === 'rotate' && options.baseUrl !== undefined ? ' (empty: keep it)' : '';
		value = await readSecretValue(`${provider} key${keepHint}: `, true);
		// Rotating only the base URL: no new key.
		if (value === '' && change === 'rotate' && options.baseUrl !== undefined) value = undefined;
	}
	const db = openHomeDb(ctx.home);
	try {
		const vault = await openHomeVault(ctx.home);
		const input = {
			provider,
			actor: cliActor(),
			sourceApp: CLI_SOURCE_APP,
			...(value === undefined ? {} : { value }),
			...(options.baseUrl === undefined ? {} : { baseUrl: options.baseUrl }),
		};
		const result =
			change === 'add'
				? await addProviderKey(db, vault, input)
				: await rotateProviderKey(db, vault, input);
		ctx.output.data({
			provider: result.provider,
			fingerprint: result.fingerprint,
			storage: result.storage,
			baseUrl: result.baseUrl,
			auditId: result.audit.id,
		});
		const verb = change === 'add' ? 'Added' : 'Rotated';
		ctx.output.line(
			`${verb} ${result.provider} (${result.fingerprint}), stored in ${storageLabel(result.storage)}.`,
		);
		if (vault.storage === 'file') {
			ctx.output.line(ctx.output.style.dim(`${vault.file} (mode 0600): ${vault.fallbackReason}`));
		}
	} finally {
		db.$client.close();
	}
}
