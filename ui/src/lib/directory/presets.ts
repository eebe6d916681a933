// What the directory settings page fills in for the operator: each kind of server's
// usual attribute names and filters, the port that goes with the connection's
// security, and a badge category's name in the UI's language.
import type { CategoryRules } from "../ipc/generated/CategoryRules";
import type { DirectoryAttributes } from "../ipc/generated/DirectoryAttributes";
import type { DirectoryKind } from "../ipc/generated/DirectoryKind";
import type { DirectorySecurity } from "../ipc/generated/DirectorySecurity";
import type { DirectorySettings } from "../ipc/generated/DirectorySettings";

export interface KindPreset {
  attributes: DirectoryAttributes;
  personFilter: string;
  disabledFilter: string | null;
}

/** The attribute names and filters each kind of directory usually has. */
export const KIND_PRESETS: Record<DirectoryKind, KindPreset> = {
  open_ldap: {
    attributes: {
      login: "uid",
      familyName: "sn",
      givenNames: "givenName",
      email: "mail",
      unit: "ou",
      externalId: "employeeNumber",
      photo: "jpegPhoto",
    },
    personFilter: "(objectClass=inetOrgPerson)",
    disabledFilter: "(pwdAccountLockedTime=*)",
  },
  active_directory: {
    attributes: {
      login: "sAMAccountName",
      familyName: "sn",
      givenNames: "givenName",
      email: "mail",
      unit: "department",
      externalId: "employeeID",
      photo: "thumbnailPhoto",
    },
    personFilter: "(&(objectCategory=person)(objectClass=user))",
    disabledFilter: "(userAccountControl:1.2.840.113556.1.4.803:=2)",
  },
};

/** The settings with `kind`'s attribute names and filters. */
export function withKind(settings: DirectorySettings, kind: DirectoryKind): DirectorySettings {
  const preset = KIND_PRESETS[kind];
  return {
    ...settings,
    kind,
    attributes: { ...preset.attributes },
    personFilter: preset.personFilter,
    disabledFilter: preset.disabledFilter,
  };
}

/** The usual port of each connection's security. */
export const DEFAULT_PORTS: Record<DirectorySecurity, number> = { starttls: 389, tls: 636, none: 389 };

/**
 * The port once the security changes: the new security's usual port when the
 * current one was the other usual port, else the port the operator chose.
 */
export function portFor(security: DirectorySecurity, port: number): number {
  const usual = Object.values(DEFAULT_PORTS);
  return usual.includes(port) ? DEFAULT_PORTS[security] : port;
}

/** A category's name in `locale`, or its key when the office has no such category. */
export function categoryLabel(categories: readonly CategoryRules[], key: string, locale: string): string {
  const category = categories.find((c) => c.key === key);
  if (!category) return key;
  return locale === "fr" ? category.labelFr : category.labelEn;
}
