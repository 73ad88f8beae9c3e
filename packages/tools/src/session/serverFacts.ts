import type { SessionLog } from './sessionLog.js';

/** The longest server name, version or title kept (they are shown, and come from the agent). */
const MAX_INFO_LENGTH = 200;
/** The largest JSON of one declared capability kept; a bigger one is kept as `{}`. */
const MAX_CAPABILITY_BYTES = 4096;

/** The agent's `serverInfo`, each string cut to MAX_INFO_LENGTH. */
export function boundedServerInfo(
	info: { name?: unknown; version?: unknown; title?: unknown } | undefined,
): { readonly name: string; readonly version: string; readonly title?: string } {
	const cut = (value: unknown) =>
		typeof value === 'string' ? value.slice(0, MAX_INFO_LENGTH) : undefined;
	const title = cut(info?.title);
	return {
		name: cut(info?.name) ?? '',
		version: cut(info?.version) ?? '',
		...(title === undefined ? {} : { title }),
	};
}

/** The agent's declared capabilities, each one kept if its JSON is at most MAX_CAPABILITY_BYTES. */
export function boundedCapabilities(
	capabilities: Readonly<Record<string, unknown>> | undefined,
	log: SessionLog,
): Readonly<Record<string, unknown>> {
	const out: Record<string, unknown> = {};
	for (const [name, value] of Object.entries(capabilities ?? {}).slice(0, 32)) {
		const json = JSON.stringify(value ?? {});
		if (Buffer.byteLength(json) <= MAX_CAPABILITY_BYTES) out[name] = JSON.parse(json);
		else {
			log.problem(
				'capabilities',
				`capability ${name} is over ${MAX_CAPABILITY_BYTES} bytes: kept as {}`,
			);
			out[name] = {};
		}
	}
	return out;
}
