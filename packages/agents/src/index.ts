export type { ParsedManifest } from './manifest/parseManifest.js';
export {
	MANIFEST_FILE,
	MAX_MANIFEST_BYTES,
	parseManifest,
	permissionsHash,
} from './manifest/parseManifest.js';
export { readManifestFile } from './manifest/readManifestFile.js';
export type { Manifest } from './manifest/schema.js';
export { CommandSchema, GitUrlSchema, ManifestSchema } from './manifest/schema.js';
export { permissionCovers, uncoveredPermissions } from './permissions/covers.js';
export { formatPermission, parsePermission } from './permissions/parsePermission.js';
export type {
	EnvPermission,
	FilesystemPermission,
	NetworkPermission,
	Permission,
	PermissionBases,
	ProcessPermission,
	SecretPermission,
} from './permissions/types.js';
export { PERMISSION_ACTIONS } from './permissions/types.js';
