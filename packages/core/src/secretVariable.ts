/**
 * The environment variable a run is given the secret `name` in
 * (`secret:read:<name>`): `AGENTSPACE_SECRET_` and the name upper-cased with
 * every other character as `_`, so `a-b`, `a_b` and `A.B` are one variable.
 * One rule for the launcher that passes secrets and the store that refuses
 * two names sharing a variable.
 */
export function secretVariable(name: string): string {
	return `AGENTSPACE_SECRET_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}
