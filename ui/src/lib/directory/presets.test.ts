import { describe, expect, it } from "vitest";
import { categoryLabel, KIND_PRESETS, portFor, withKind } from "./presets";
import { officePolicy } from "../settings/fixtures";
import type { DirectorySettings } from "../ipc/generated/DirectorySettings";

const settings: DirectorySettings = {
  enabled: true,
  kind: "open_ldap",
  host: "ldap.univ.example.fr",
  port: 389,
  security: "starttls",
  caCertificate: null,
  bindDn: null,
  baseDn: "ou=people,dc=univ,dc=example",
  personFilter: "(objectClass=inetOrgPerson)",
  disabledFilter: null,
  attributes: { ...KIND_PRESETS.open_ldap.attributes },
  groups: [{ groupDn: "cn=staff,ou=groups,dc=univ,dc=example", category: "staff" }],
  syncInHousekeeping: false,
  timeoutSeconds: 10,
};

describe("directory presets", () => {
  it("fills each kind's attribute names and filters, and keeps the rest", () => {
    const ad = withKind(settings, "active_directory");
    expect(ad.attributes).toEqual({
      login: "sAMAccountName",
      familyName: "sn",
      givenNames: "givenName",
      email: "mail",
      unit: "department",
      externalId: "employeeID",
      photo: "thumbnailPhoto",
    });
    expect(ad.personFilter).toBe("(&(objectCategory=person)(objectClass=user))");
    expect(ad.disabledFilter).toBe("(userAccountControl:1.2.840.113556.1.4.803:=2)");
    expect([ad.host, ad.baseDn, ad.groups]).toEqual([settings.host, settings.baseDn, settings.groups]);

    const back = withKind(ad, "open_ldap");
    expect(back.attributes).toEqual({
      login: "uid",
      familyName: "sn",
      givenNames: "givenName",
      email: "mail",
      unit: "ou",
      externalId: "employeeNumber",
      photo: "jpegPhoto",
    });
    expect(back.personFilter).toBe("(objectClass=inetOrgPerson)");
    expect(back.disabledFilter).toBe("(pwdAccountLockedTime=*)");
    // The preset is copied, never shared with the settings.
    back.attributes.login = "cn";
    expect(KIND_PRESETS.open_ldap.attributes.login).toBe("uid");
  });

  it("moves a usual port with the security and keeps one the operator chose", () => {
    expect(portFor("tls", 389)).toBe(636);
    expect(portFor("starttls", 636)).toBe(389);
    expect(portFor("none", 636)).toBe(389);
    expect(portFor("none", 389)).toBe(389);
    expect(portFor("tls", 3269)).toBe(3269);
    expect(portFor("starttls", 10389)).toBe(10389);
  });

  it("names a category in the UI's language, or by its key when the office has no such category", () => {
    const categories = officePolicy().categories;
    expect(categoryLabel(categories, "staff", "fr")).toBe("Personnel");
    expect(categoryLabel(categories, "staff", "en")).toBe("Staff");
    expect(categoryLabel(categories, "alumni", "fr")).toBe("alumni");
  });
});
