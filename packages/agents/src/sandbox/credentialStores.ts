/**
 * Where the user's credentials live, relative to their home: hidden from every
 * agent unless the user approved reading exactly that path (or a directory
 * above it). Reads are otherwise allowed everywhere, so each store must be
 * listed here to be protected.
 */
export const CREDENTIAL_STORES: readonly string[] = [
	'.ssh',
	'.aws',
	'.gnupg',
	'.npmrc',
	'.config/gh',
	'.git-credentials',
	'.netrc',
	'.docker',
	'.kube',
	'.config/gcloud',
	'.azure',
	'.pypirc',
	'.pgpass',
	'.cargo/credentials',
	'.cargo/credentials.toml',
	'.vault-token',
	'.password-store',
];
