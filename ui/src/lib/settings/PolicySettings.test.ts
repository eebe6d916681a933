import { afterEach, describe, expect, it } from "vitest";
import { render, screen } from "@testing-library/svelte";
import { mockIPC } from "@tauri-apps/api/mocks";
import PolicySettings from "./PolicySettings.svelte";
import { officePolicy } from "./fixtures";
import { setLocale } from "../i18n/index.svelte";
import { identifiersIn } from "../i18n/identifiers";

/** Every rule field the editor draws (nested groups too), as `prefix-field` test ids. */
function ruleIds(target: Record<string, unknown>, prefix: string, skip: string[]): string[] {
  return Object.entries(target).flatMap(([field, value]) => {
    if (skip.includes(field)) return [];
    const id = `${prefix}-${field}`;
    return value !== null && typeof value === "object" && !Array.isArray(value)
      ? [id, ...ruleIds(value as Record<string, unknown>, id, [])]
      : [id];
  });
}

describe("PolicySettings", () => {
  afterEach(() => setLocale("fr"));

  for (const locale of ["fr", "en"] as const) {
    it(`labels and explains every rule in ${locale}, with no internal name on screen`, async () => {
      setLocale(locale);
      const policy = officePolicy();
      mockIPC((cmd) => {
        if (cmd === "get_policy") return policy;
        throw { code: "test.unexpected", message: cmd };
      });
      const { container } = render(PolicySettings);
      await screen.findByTestId("policy-save");
      const ids = [
        ...ruleIds(policy as unknown as Record<string, unknown>, "policy", ["categories", "badgeNumberFormat"]),
        ...ruleIds(policy.categories[0] as unknown as Record<string, unknown>, "category-staff", ["key", "requiredDocuments"]),
      ];
      for (const id of ids) {
        expect(screen.getByTestId(`${id}-help`).textContent?.trim(), id).not.toBe("");
      }
      expect(identifiersIn(container.textContent ?? "")).toEqual([]);
    });
  }
});
