import { loadConfig, type SecurityMode } from '@agentspace/core';

/** How often config.json is read again for the security mode (it decides default policies). */
export const SECURITY_MODE_TTL_MS = 1000;

/**
 * The config's `securityMode` for a service that asks on every call (the tool
 * router, the LLM endpoint's first-use gate): config.json read at most once
 * a second. A config that does not load keeps the last mode read —
 * `limited-control`, the safer, if none was — and says why through `log`.
 */
export function securityModeReader(
	home: () => string,
	log: (line: string) => void,
): () => SecurityMode {
	let mode: { value: SecurityMode; at: number } | undefined;
	return () => {
		const now = Date.now();
		if (mode === undefined || now - mode.at > SECURITY_MODE_TTL_MS) {
			try {
				mode = { value: loadConfig({ home: home() }).securityMode, at: now };
			} catch (error) {
				log(`reading the security mode: ${(error as Error).message}`);
				mode = { value: mode?.value ?? 'limited-control', at: now };
			}
		}
		return mode.value;
	};
}
