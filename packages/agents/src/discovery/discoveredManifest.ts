import type { FieldIssue } from '@agentspace/core';

// What one discovery scan reports per manifest: a leaf module, so both the scan
// (discoverAgents) and its plan (planDiscovery) use these shapes without importing each other.

/** A manifest the scan found and what it meant for the catalogue. */
export interface DiscoveredManifest {
	readonly id: string;
	readonly name: string;
	readonly version: string;
	readonly path: string;
	readonly manifestHash: string;
	/** new: `agent_discovered`; updated: `agent_updated`; unchanged: nothing recorded. */
	readonly outcome: 'new' | 'updated' | 'unchanged';
}

/** A manifest that did not parse, with every problem. */
export interface InvalidManifest {
	readonly path: string;
	readonly errors: readonly FieldIssue[];
}

/** A valid manifest that was not used because another one has the same id. */
export interface IgnoredManifest {
	readonly path: string;
	readonly id: string;
	/** The manifest used for that id instead. */
	readonly usedPath: string;
	readonly reason: string;
}
