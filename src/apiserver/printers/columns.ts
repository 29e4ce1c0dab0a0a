/**
 * Column-definition helpers. Names, types, formats and priorities follow upstream's
 * printers exactly; descriptions reuse ObjectMeta's documentation for Name and Age
 * and otherwise paraphrase the field documentation upstream points at.
 */
import type { TableColumn } from './types.js';

export const NAME_DESCRIPTION =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of a name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';

export const CREATION_TIMESTAMP_DESCRIPTION =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

export const CONTAINERS_DESCRIPTION = 'Names of each container in the template.';
export const IMAGES_DESCRIPTION = 'Images referenced by each container in the template.';

interface ColumnOptions {
  priority?: number;
  format?: string;
}

/** A column definition; priority 0 and no format unless given. */
export function col(name: string, type: string, description: string, opts: ColumnOptions = {}): TableColumn {
  return { name, type, format: opts.format ?? '', description, priority: opts.priority ?? 0 };
}

/** A wide-only (priority 1) column. */
export function wide(name: string, type: string, description: string, opts: ColumnOptions = {}): TableColumn {
  return col(name, type, description, { ...opts, priority: 1 });
}

/** The Name column every printer starts with. */
export const nameColumn = (): TableColumn => col('Name', 'string', NAME_DESCRIPTION, { format: 'name' });

/** The Age column (a string: the server renders the duration). */
export const ageColumn = (): TableColumn => col('Age', 'string', CREATION_TIMESTAMP_DESCRIPTION);

export const containersColumn = (): TableColumn => wide('Containers', 'string', CONTAINERS_DESCRIPTION);
export const imagesColumn = (): TableColumn => wide('Images', 'string', IMAGES_DESCRIPTION);
