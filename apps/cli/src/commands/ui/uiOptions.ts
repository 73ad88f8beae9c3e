// A leaf module: register.ts and uiOpen.ts both import it, never each other.

/** Options of `agentspace ui`. */
export interface UiOptions {
	readonly port?: string;
	readonly close?: boolean;
}
