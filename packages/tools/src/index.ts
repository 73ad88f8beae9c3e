// The public entry of @agentspace/tools: explicit re-exports only (see README).
export {};
